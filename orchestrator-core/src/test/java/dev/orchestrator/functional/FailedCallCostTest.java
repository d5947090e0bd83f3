package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.CostOverrunEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failed call is never free: its failure decides what it cost, and a call that may have been billed is not $0. */
class FailedCallCostTest {
  private final Harness h = new Harness();

  /** Calls reserve $0.50 and end when the test completes them. */
  private static FakeProvider waiting() {
    return FakeProvider.builder("p").otherwise(r -> Reply.hang()).estimate(worstCase("0.50")).build();
  }

  private static CostEstimate worstCase(String high) {
    return CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.usd(high), Money.usd(high), Duration.ofSeconds(5));
  }

  private static Workflow one() {
    return Workflow.builder("w").task("a", t -> t.instructions("x").retry(RetryPolicy.builder().maxAttempts(1)
        .build())).build();
  }

  private static ProviderException failure(ErrorKind kind, Billing billing, TokenUsage usage, String cost) {
    return new ProviderException("p", kind, "injected", false, null, null, billing, usage, Money.usd(cost));
  }

  private Attempt attempt(Run run) {
    return run.task("a").attempts().get(0);
  }

  @Test
  void aStreamCutBeforeItsUsageCostsItsReservationEstimated() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(
          failure(ErrorKind.NETWORK, Billing.MAY_HAVE_BILLED, TokenUsage.of(1000, 0), "0.10"));

      assertThat(run.task("a").state()).isEqualTo(TaskState.FAILED);
      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.50"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(attempt(run).usage()).as("the usage that arrived is kept").isEqualTo(TokenUsage.of(1000, 0));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.50"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void aStreamCutAfterMoreThanItReservedCostsWhatArrived() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(
          failure(ErrorKind.NETWORK, Billing.MAY_HAVE_BILLED, TokenUsage.of(9000, 0), "0.70"));

      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.70"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(h.events.events(CostOverrunEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.actual()).isEqualTo(Money.usd("0.70")));
    }
  }

  @Test
  void aRefusalThatReportedItsUsageCostsThatUsage() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(
          failure(ErrorKind.CONTENT_REFUSED, Billing.BILLED, TokenUsage.of(700, 20), "0.07"));

      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.07"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.MEASURED);
      assertThat(attempt(run).usage()).isEqualTo(TokenUsage.of(700, 20));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.07"));
    }
  }

  @Test
  void aRateLimitRefusalIsNotBilled() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(new ProviderException("p", ErrorKind.RATE_LIMITED,
          "HTTP 429", false, null, null));

      assertThat(attempt(run).cost()).isEqualTo(Money.ZERO);
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.MEASURED);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.ZERO);
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void anyOtherThrowableMayHaveBeenBilled() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(new IllegalStateException("the client broke"));

      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.50"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
    }
  }

  @Test
  void aCallInFlightHoldsItsReservationAsItsCostUntilItEnds() {
    FakeProvider p = waiting();
    Store store = InMemoryStore.create();
    try (Orchestrator o = h.builder().provider(p).store(store).build()) {
      Run run = o.submit("demo", one());
      Attempt inFlight = store.tasks("demo", run.id()).get(0).attempts().get(0);
      assertThat(inFlight.outcome()).isNull();
      assertThat(inFlight.cost()).isEqualTo(Money.usd("0.50"));
      assertThat(inFlight.costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(run.task("a").cost()).as("a reservation is not spending").isEqualTo(Money.ZERO);
    }
  }

  @Test
  void aCallTheEngineTimesOutCostsItsReservationEstimated() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")
          .timeout(Duration.ofMinutes(1)).retry(RetryPolicy.builder().maxAttempts(1).build())).build());
      h.scheduler.advance(Duration.ofMinutes(2));

      assertThat(attempt(run).outcome()).isEqualTo(Attempt.Outcome.TIMED_OUT);
      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.50"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.50"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void aCallCancelledInFlightCostsItsReservationEstimated() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      run.cancelTask("a", "alice", "not needed");

      assertThat(p.cancelledCount()).isEqualTo(1);
      assertThat(attempt(run).outcome()).isEqualTo(Attempt.Outcome.CANCELLED);
      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.50"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.50"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void aCallInterruptedByACrashCostsItsReservationWhenTheRunIsTakenOver() {
    Store store = RecoveryTest.durable(InMemoryStore.create());
    String runId;
    try (Orchestrator o = h.builder().provider(waiting()).store(store).build()) {
      runId = o.submit("demo", one()).id();
    } // the process "dies" with a in flight

    FakeProvider second = FakeProvider.builder("p").estimate(worstCase("0.50")).costPerCall(Money.usd("0.20"))
        .build();
    try (Orchestrator o = h.builder().provider(second).store(store).build()) {
      Run run = o.run("demo", runId).orElseThrow();
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      Attempt interrupted = attempt(run);
      assertThat(interrupted.message()).contains("interrupted");
      assertThat(interrupted.cost()).isEqualTo(Money.usd("0.50"));
      assertThat(interrupted.costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(run.task("a").cost()).isEqualTo(Money.usd("0.70"));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.70"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void anUnpricedReplyUnderAReservationCostsTheReservationEstimated() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().complete(ProviderResponse.builder().text("ok").usage(TokenUsage.of(10, 10))
          .costBasis(CostBasis.UNPRICED).build());

      assertThat(attempt(run).cost()).isEqualTo(Money.usd("0.50"));
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.ESTIMATED);
      assertThat(h.events.events(TaskSucceededEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.costBasis()).isEqualTo(CostBasis.ESTIMATED));
    }
  }

  @Test
  void anUnpricedReplyWithoutAReservationIsRecordedAtZeroUnpriced() {
    FakeProvider p = FakeProvider.builder("p").otherwise(r -> Reply.hang()).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().complete(ProviderResponse.builder().text("ok").usage(TokenUsage.of(10, 10))
          .costBasis(CostBasis.UNPRICED).build());

      assertThat(attempt(run).cost()).isEqualTo(Money.ZERO);
      assertThat(attempt(run).costBasis()).isEqualTo(CostBasis.UNPRICED);
      assertThat(h.events.events(CostOverrunEvent.class)).isEmpty();
    }
  }

  @Test
  void aCallThatCostsMoreThanItReservedIsReported() {
    FakeProvider p = FakeProvider.builder("p").estimate(worstCase("0.10")).costPerCall(Money.usd("0.40")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      o.submit("demo", one()).completion().join();

      assertThat(h.events.events(CostOverrunEvent.class)).singleElement().satisfies(e -> {
        assertThat(e.project()).isEqualTo("demo");
        assertThat(e.taskId()).isEqualTo("a");
        assertThat(e.provider()).isEqualTo("p");
        assertThat(e.model()).isEqualTo("p-model");
        assertThat(e.reserved()).isEqualTo(Money.usd("0.10"));
        assertThat(e.actual()).isEqualTo(Money.usd("0.40"));
      });
    }
  }

  @Test
  void aCallItsProviderSaidWasFreeButCostMoneyIsReported() {
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.40")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      o.submit("demo", one()).completion().join();

      assertThat(h.events.events(CostOverrunEvent.class)).singleElement().satisfies(e -> {
        assertThat(e.reserved()).isEqualTo(Money.ZERO);
        assertThat(e.actual()).isEqualTo(Money.usd("0.40"));
      });
    }
  }

  @Test
  void aCallWithinItsReservationIsNoOverrun() {
    FakeProvider p = FakeProvider.builder("p").estimate(worstCase("0.40")).costPerCall(Money.usd("0.40")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      o.submit("demo", one()).completion().join();

      assertThat(h.events.events(CostOverrunEvent.class)).isEmpty();
    }
  }
}
