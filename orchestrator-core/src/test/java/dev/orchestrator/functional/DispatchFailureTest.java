package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A store that fails while a call is being started: the task is not lost, and the call it did not make keeps
 * neither money reserved nor the circuit's probe.
 */
class DispatchFailureTest {
  private final Harness h = new Harness();

  /** What {@link Interceptor} returns for a call the store is to answer itself. */
  private static final Object PASS = new Object();

  /** Answers some of a store's calls in its place. */
  @FunctionalInterface
  private interface Interceptor {
    /** The answer to the call of {@code method}, or {@link #PASS}; may throw as the store would. */
    Object call(String method, Object[] args);
  }

  /** The store, with {@code interceptor} answering the calls it chooses to. */
  private static Store intercepted(Store delegate, Interceptor interceptor) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          Object answer = interceptor.call(method.getName(), args == null ? new Object[0] : args);
          if (answer != PASS) {
            return answer;
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static boolean startsRunning(String method, Object[] args) {
    return method.equals("updateTask") && args.length == 3 && args[1] instanceof TaskRecord t
        && t.state() == TaskState.RUNNING;
  }

  /** The store, failing the next {@code failures} writes of a task moving to RUNNING. */
  private static Store failingStarts(Store delegate, AtomicInteger failures) {
    return intercepted(delegate, (method, args) -> {
      if (startsRunning(method, args) && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("connection reset");
      }
      return PASS;
    });
  }

  @Test
  void aCallNotStartedForAStoreFailureReleasesItsReservationAndIsStartedLater() {
    AtomicInteger failures = new AtomicInteger();
    InMemoryStore memory = InMemoryStore.create(h.clock);
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.40"))
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.usd("0.40"), Money.usd("0.40"), Duration.ZERO))
        .build();
    try (Orchestrator o = h.builder().provider(p).store(failingStarts(memory, failures)).build()) {
      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00")));
      failures.set(1);
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());

      assertThat(p.callCount()).isZero();
      assertThat(run.task("a").state()).isEqualTo(TaskState.READY);
      assertThat(memory.ledger().balance(new Account(BudgetScope.project("demo"), null)).reserved())
          .as("nothing stays reserved for the call not made").isZero();

      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(run.completion().getNow(null).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.callCount()).isEqualTo(1);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.40"));
    }
  }

  @Test
  void aStartTheStoreRefusesBecauseAnotherEngineHoldsTheRunMakesNoCall() {
    InMemoryStore memory = InMemoryStore.create(h.clock);
    Store refusing = intercepted(memory, (method, args) -> startsRunning(method, args)
        ? Boolean.FALSE // the lease was taken over
        : PASS);
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).store(refusing).build()) {
      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());

      assertThat(p.callCount()).as("the engine that holds the run now makes the call, not this one").isZero();
    }
  }

  @Test
  void aCallWhoseEndCannotBeRecordedReloadsItsRunFromTheStoreAndIsMadeAgain() {
    InMemoryStore memory = InMemoryStore.create(h.clock);
    AtomicInteger failures = new AtomicInteger(1);
    Store failingEnds = intercepted(memory, (method, args) -> {
      if (method.equals("atomically") && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("deadlock detected"); // nothing of the block was written
      }
      return PASS;
    });
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.40"))
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.usd("0.40"), Money.usd("0.40"), Duration.ZERO))
        .build();
    try (Orchestrator o = h.builder().provider(p).store(failingEnds).build()) {
      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("5.00")));
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());

      TaskRecord a = memory.task("demo", run.id(), "a").orElseThrow();
      assertThat(a.state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(a.attempts()).extracting(at -> at.outcome()).containsExactly(
          dev.orchestrator.run.Attempt.Outcome.FAILED, dev.orchestrator.run.Attempt.Outcome.SUCCEEDED);
      assertThat(a.attempts().get(0).message()).contains("interrupted");
      assertThat(p.callCount()).isEqualTo(2);
      assertThat(run.completion().getNow(null).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(memory.ledger().balance(new Account(BudgetScope.project("demo"), null)).reserved())
          .as("the reservation of the call whose end was lost is released with its lease").isZero();
    }
  }

  @Test
  void aProbeNotStartedForAStoreFailureIsFreeForTheNextTry() {
    AtomicInteger failures = new AtomicInteger();
    FakeProvider p = FakeProvider.builder("p").script(Reply.failure(ErrorKind.SERVER)).build();
    try (Orchestrator o = h.builder().provider(p).store(failingStarts(InMemoryStore.create(h.clock), failures))
        .retryPolicy(dev.orchestrator.policy.RetryPolicy.none())
        .circuitBreaker(CircuitBreakerPolicy.builder().failureThreshold(1).window(Duration.ofMinutes(1))
            .openFor(Duration.ofMinutes(1)).maxOpenFor(Duration.ofMinutes(1)).build()).build()) {
      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());
      assertThat(o.circuit("p").state()).isEqualTo(CircuitState.State.OPEN);

      failures.set(1);
      Run run = o.submit("demo", Workflow.builder("w").task("b", t -> t.instructions("y")).build());
      h.scheduler.advance(Duration.ofMinutes(1)); // half-open: b takes the probe, and its start fails
      assertThat(p.callCount()).isEqualTo(1);
      assertThat(run.task("b").state()).isEqualTo(TaskState.READY);

      h.scheduler.advance(Duration.ofSeconds(1)); // b again: the probe was given back
      assertThat(p.callCount()).isEqualTo(2);
      assertThat(run.task("b").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(run.completion().getNow(null).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(o.circuit("p").state()).isEqualTo(CircuitState.State.CLOSED);
    }
  }
}
