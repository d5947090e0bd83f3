package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BudgetTest {
  private final Harness h = new Harness();

  /** A provider whose worst case is {@code worst} and whose calls really cost {@code actual}. */
  private static FakeProvider priced(String name, String worst, String actual) {
    return FakeProvider.builder(name).costPerCall(Money.usd(actual))
        .estimate(CostEstimate.of(TokenUsage.of(10, 10), Money.usd("0"), Money.usd(worst), Money.usd(worst),
            Duration.ofSeconds(5)))
        .build();
  }

  private static Workflow fan(int n) {
    Workflow.Builder w = Workflow.builder("fan");
    for (int i = 0; i < n; i++) {
      w.task("t" + i, t -> t.instructions("x"));
    }
    return w.build();
  }

  @Test
  void aCallWhoseWorstCaseWouldBreakTheLimitIsNotMadeAndResumesWhenTheLimitIsRaised() {
    FakeProvider p = priced("p", "0.30", "0.25");
    try (Orchestrator o = h.builder().provider(p)
        .budget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00"))).build()) {
      Run run = o.submit("demo", fan(5));
      assertThat(p.callCount()).isEqualTo(3);
      assertThat(run.snapshot().tasks()).filteredOn(t -> t.state() == TaskState.PAUSED).hasSize(2);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.75"));
      assertThat(h.events.events(TaskPausedEvent.class).get(0).reason())
          .startsWith("budget project demo would be exceeded: spent $0.00 + reserved $0.90 + this call up to $0.30 "
              + "> limit $1.00");
      assertThat(h.events.events(BudgetLimitReachedEvent.class)).as("announced once").hasSize(1);
      assertThat(h.events.events(BudgetThresholdCrossedEvent.class)).extracting(BudgetThresholdCrossedEvent::threshold)
          .containsExactly(0.5, 0.75);

      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("2.00")));

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("1.25"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.usd("0"));
    }
  }

  @Test
  void eachThresholdFiresOncePerLimit() {
    FakeProvider p = priced("p", "0.10", "0.10");
    try (Orchestrator o = h.builder().provider(p).budget(Budget.of(BudgetScope.global(), Money.usd("1.00")))
        .budget(Budget.of(BudgetScope.provider("p"), Money.usd("0.50"))).build()) {
      o.submit("demo", fan(12)).completion();
      assertThat(h.events.events(BudgetThresholdCrossedEvent.class))
          .extracting(e -> e.scope().toString() + "@" + e.threshold())
          .containsExactlyInAnyOrder("global@0.5", "p total@0.5", "p total@0.75", "p total@0.9");
      assertThat(o.costReport().spent()).isEqualTo(Money.usd("0.50"));
    }
  }

  @Test
  void aTaskMaxCostIsAHardLimitToo() {
    FakeProvider p = priced("p", "0.30", "0.25");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("x").maxCost(Money.usd("0.20"))).build());
      assertThat(run.task("a").state()).isEqualTo(TaskState.PAUSED);
      assertThat(p.callCount()).isZero();
      String runId = run.id();
      o.setBudget(Budget.of(BudgetScope.task(runId, "a"), Money.usd("0.50")));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void failedTimedOutAndCancelledCallsReleaseTheirReservations() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(5))
        .script(Reply.failure(ErrorKind.AUTH), Reply.hang(), Reply.hang())
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.usd("0.1"), Money.usd("0.2"), Money.usd("0.4"),
            Duration.ZERO)).build();
    try (Orchestrator o = h.builder().provider(p).retryPolicy(RetryPolicy.none()).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("fails", t -> t.instructions("x"))
          .task("times-out", t -> t.instructions("x").timeout(Duration.ofMinutes(1)))
          .task("cancelled", t -> t.instructions("x")).build());
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.usd("1.2"));
      run.cancelTask("cancelled", "alice", "no");
      h.scheduler.advance(Duration.ofMinutes(5));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      CostReport report = o.costReport("demo");
      assertThat(report.reserved()).isEqualTo(Money.usd("0"));
      // The refused call was not billed; the timed-out and the cancelled ones may have been, up to what they reserved.
      assertThat(report.spent()).isEqualTo(Money.usd("0.80"));
    }
  }

  @Test
  void aDailyLimitResetsAtLocalMidnightAcrossTheSpringForwardDay() {
    // Europe/Paris moves from 02:00 to 03:00 on 2026-03-29: that day lasts 23 hours.
    ZoneId paris = ZoneId.of("Europe/Paris");
    MutableClock clock = MutableClock.at(Instant.parse("2026-03-28T22:30:00Z"), paris);
    ManualScheduler scheduler = new ManualScheduler(clock);
    RecordingListener events = new RecordingListener();
    FakeProvider claude = priced("claude", "0.30", "0.30");
    try (Orchestrator o = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
        .listener(events).provider(claude).budgetZone(paris)
        .budget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("0.50"))).build()) {
      o.submit("demo", fan(3));
      assertThat(claude.callCount()).isEqualTo(1);
      scheduler.advanceTo(Instant.parse("2026-03-28T22:59:59Z"));
      assertThat(claude.callCount()).isEqualTo(1);
      scheduler.advanceTo(Instant.parse("2026-03-28T23:00:00Z")); // midnight in Paris (CET)
      assertThat(claude.callCount()).isEqualTo(2);
      scheduler.advanceTo(Instant.parse("2026-03-29T21:59:59Z"));
      assertThat(claude.callCount()).as("the 23-hour day is not over").isEqualTo(2);
      scheduler.advanceTo(Instant.parse("2026-03-29T22:00:00Z")); // midnight in Paris (CEST)
      assertThat(claude.callCount()).isEqualTo(3);
      assertThat(events.events(BudgetLimitReachedEvent.class)).hasSize(2);
    }
  }

  @Test
  void aDailyLimitResetsAtLocalMidnightAcrossTheFallBackDayInNewYork() {
    // America/New_York moves from 02:00 back to 01:00 on 2026-11-01: that day lasts 25 hours.
    ZoneId ny = ZoneId.of("America/New_York");
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T03:30:00Z"), ny); // 23:30 EDT on Oct 31
    ManualScheduler scheduler = new ManualScheduler(clock);
    FakeProvider claude = priced("claude", "0.30", "0.30");
    try (Orchestrator o = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
        .provider(claude).budgetZone(ny)
        .budget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("0.50"))).build()) {
      o.submit("demo", fan(3));
      scheduler.advanceTo(Instant.parse("2026-11-01T04:00:00Z")); // midnight EDT
      assertThat(claude.callCount()).isEqualTo(2);
      scheduler.advanceTo(Instant.parse("2026-11-02T04:59:59Z"));
      assertThat(claude.callCount()).as("the 25-hour day is not over").isEqualTo(2);
      scheduler.advanceTo(Instant.parse("2026-11-02T05:00:00Z")); // midnight EST
      assertThat(claude.callCount()).isEqualTo(3);
    }
  }

  @Test
  void theReportReadsLikeTheRoadmapsBudgetReport() {
    FakeProvider chatgpt = priced("chatgpt", "0.01", "21.83");
    FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("23.40"))
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.usd("0.01"), Money.usd("0.01"), Money.usd("0.01"),
            Duration.ZERO)).build();
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).defaultProvider("chatgpt")
        .budget(Budget.of(BudgetScope.project("Quantum Self"), Money.usd("100"))).build()) {
      o.submit("Quantum Self", Workflow.builder("w").task("a", t -> t.instructions("x").provider("claude")).build());
      o.setBudget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("20")));
      o.submit("Quantum Self", Workflow.builder("w").task("b", t -> t.instructions("x")).build());
      Run waiting = o.submit("Quantum Self", Workflow.builder("w").task("c", t -> t.instructions("x")
          .provider("claude")).build());
      assertThat(waiting.task("c").state()).isEqualTo(TaskState.PAUSED);

      CostReport report = o.costReport("Quantum Self");
      assertThat(report.toText()).isEqualTo("""
          Total spent: $45.23
          Remaining: $54.77
          Projected total: $45.24 (within budget)
          Overruns: $45.21 above reservations (Chatgpt, Claude)
          Chatgpt: $21.83
          Claude: $23.40 (117% of daily limit - PAUSED)
          """);
      assertThat(report.byProvider()).containsEntry("claude", Money.usd("23.40"));
      assertThat(report.byTaskType()).containsEntry("general", Money.usd("45.23"));
      assertThat(report.byDay()).containsEntry("2026-01-01", Money.usd("45.23"));
    }
  }

  @Test
  void budgetsNamingUnknownProvidersAreRejected() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      assertThatThrownBy(() -> o.setBudget(Budget.of(BudgetScope.providerDaily("Claud"), Money.usd("1"))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider 'claud'");
      assertThatThrownBy(() -> Budget.of(BudgetScope.global(), Money.usd("-1")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
      assertThatThrownBy(() -> Budget.builder().thresholds(java.util.List.of(75.0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("such as 0.75 for 75%");
    }
  }
}
