package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A second engine on the same durable store picks up where the first stopped. */
class RecoveryTest {
  private final Harness h = new Harness();

  /** An in-memory store that says it is durable: an engine closed and rebuilt on it acts as a restarted process. */
  static Store durable(Store delegate) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("durable")) {
            return true;
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static Workflow chain() {
    return Workflow.builder("chain")
        .task("a", t -> t.instructions("A"))
        .task("b", t -> t.instructions("B from {{tasks.a.output}}").dependsOn("a"))
        .task("c", t -> t.instructions("C").dependsOn("b").question("Which tone?"))
        .build();
  }

  @Test
  void aRunningTaskIsRetriedAndNothingRunsTwice() {
    Store store = durable(InMemoryStore.create());
    FakeProvider first = FakeProvider.builder("p").script(Reply.text("alpha"), Reply.hang()).build();
    String runId;
    try (Orchestrator o = h.builder().provider(first).store(store).build()) {
      Run run = o.submit("demo", chain());
      runId = run.id();
      assertThat(run.task("b").state()).isEqualTo(TaskState.RUNNING);
    } // the process "dies" with b in flight

    FakeProvider second = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(second).store(store).build()) {
      Run run = o.run("demo", runId).orElseThrow();
      assertThat(run.task("b").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(second.requests().get(0).prompt()).isEqualTo("B from alpha");
      assertThat(run.task("b").attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(run.task("b").attempts().get(0).message()).contains("interrupted");
      assertThat(h.events.events(RunRecoveredEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.interrupted()).containsExactly("b"));

      // c waits for its answer; answer it after another restart.
      assertThat(run.task("c").state()).isEqualTo(TaskState.AWAITING_INPUT);
    }
    try (Orchestrator o = h.builder().provider(second).store(store).build()) {
      String question = o.questions("demo").get(0).id();
      o.answer(question, "warm");
      RunSnapshot done = o.run("demo", runId).orElseThrow().completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(first.requests()).extracting(r -> r.prompt()).containsExactly("A", "B from alpha");
      assertThat(second.requests()).extracting(r -> r.prompt())
          .containsExactly("B from alpha", "C\n\nThe tasks this one depends on produced the following.\n\n"
              + "=== Task b ===\np: B from alpha\n=== End of task b ===\n\nQuestion: Which tone?\nAnswer: warm");
    }
  }

  @Test
  void budgetsAndWhatWasSpentSurviveARestart() {
    Store store = durable(InMemoryStore.create());
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.40"))
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.usd("0.40"), Money.usd("0.40"), Duration.ZERO))
        .build();
    try (Orchestrator o = h.builder().provider(p).store(store).build()) {
      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00")));
      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x"))
          .task("b", t -> t.instructions("y")).build()).completion().join();
    }
    try (Orchestrator o = h.builder().provider(p).store(store).build()) {
      assertThat(o.budgets()).extracting(Budget::limit).containsExactly(Money.usd("1.00"));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.80"));
      Run run = o.submit("demo", Workflow.builder("w").task("c", t -> t.instructions("z")).build());
      assertThat(run.task("c").state()).as("0.80 + 0.40 > 1.00").isEqualTo(TaskState.PAUSED);
    }
  }

  @Test
  void anotherProcessCancelsThroughTheStore() {
    Store store = durable(InMemoryStore.create());
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).store(store).build()) {
      Run run = o.submit("demo", chain());
      store.submitCommand(dev.orchestrator.spi.store.Command.builder().id("c1")
          .kind(dev.orchestrator.spi.store.Command.Kind.CANCEL).project("demo").runId(run.id()).by("cli")
          .text("stop it").at(h.clock.instant()).build());
      assertThat(run.task("a").state()).isEqualTo(TaskState.RUNNING);
      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(run.snapshot().run().cancellation().by()).isEqualTo("cli");
      assertThat(p.cancelledCount()).isEqualTo(1);
    }
  }

  @Test
  void archivedProjectsAreReadOnlyAndHidden() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      o.createProject("old-client");
      o.submit("old-client", Workflow.builder("w").task("a", t -> t.instructions("x")).build()).completion().join();
      o.archiveProject("old-client");
      assertThat(o.projects()).doesNotContain("old-client");
      assertThat(o.projectList(true)).extracting(p -> p.name()).contains("old-client");
      assertThatThrownBy(() -> o.submit("old-client", Workflow.builder("w").task("a", t -> t.instructions("x"))
          .build())).isInstanceOf(IllegalStateException.class).hasMessageContaining("archived");
      o.restoreProject("old-client");
      assertThat(o.projects()).contains("old-client");
      assertThatThrownBy(() -> o.createProject("old-client")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> o.archiveProject("nope")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("there is no project 'nope'");
    }
  }
}
