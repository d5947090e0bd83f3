package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.ProviderCost;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost report reads the store: a process that made no calls reports what every process spent. */
class CostReportFromStoreTest {
  private final Harness h = new Harness();
  private final InMemoryStore store = InMemoryStore.create(h.clock);

  private static FakeProvider priced(String name, String worst, String actual) {
    return FakeProvider.builder(name).costPerCall(Money.usd(actual))
        .estimate(CostEstimate.of(TokenUsage.of(10, 10), Money.usd("0"), Money.usd(worst), Money.usd(worst),
            Duration.ofSeconds(5)))
        .build();
  }

  @Test
  void aProcessThatMadeNoCallsReportsWhatAnotherSpentPerProviderTypeAndDay() {
    try (Orchestrator worker = h.builder().store(store).provider(priced("claude", "0.30", "0.25"))
        .provider(priced("chatgpt", "0.10", "0.05")).defaultProvider("chatgpt").build()) {
      Run run = worker.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("x").provider("claude").taskType("research"))
          .task("b", t -> t.instructions("y").taskType("writing")).build());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    try (Orchestrator reader = h.builder().store(store).provider(priced("claude", "0.30", "0.25"))
        .provider(priced("chatgpt", "0.10", "0.05")).build()) {
      CostReport report = reader.costReport("demo");
      assertThat(report.spent()).isEqualTo(Money.usd("0.30"));
      assertThat(report.byProvider()).isEqualTo(Map.of("claude", Money.usd("0.25"), "chatgpt", Money.usd("0.05")));
      assertThat(report.byTaskType()).isEqualTo(Map.of("research", Money.usd("0.25"), "writing", Money.usd("0.05")));
      assertThat(report.byDay()).isEqualTo(Map.of("2026-01-01", Money.usd("0.30")));
      assertThat(report.providers()).extracting(ProviderCost::provider).containsExactly("chatgpt", "claude");
      assertThat(reader.costReport().byProvider()).isEqualTo(report.byProvider());
      assertThat(reader.costReport("elsewhere").byProvider()).isEmpty();
    }
  }

  @Test
  void estimatedSpendOverrunsAndUnpricedCallsAreShownApartAndCallsInFlightAreNotCounted() {
    try (Orchestrator o = h.builder().store(store).provider(priced("claude", "0.30", "0.25")).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      // What another process recorded for the same task: a call settled at its reservation, a call on an unpriced
      // model, and a call still in flight (its reservation stands as its cost until it ends).
      TaskRecord a = store.task("demo", run.id(), "a").orElseThrow();
      List<Attempt> attempts = new ArrayList<>(a.attempts());
      var at = h.clock.instant();
      attempts.add(Attempt.builder().number(2).provider("claude").startedAt(at).finishedAt(at)
          .outcome(Attempt.Outcome.FAILED).message("stream cut").cost(Money.usd("0.30"))
          .costBasis(CostBasis.ESTIMATED).build());
      attempts.add(Attempt.builder().number(3).provider("claude").startedAt(at).finishedAt(at)
          .outcome(Attempt.Outcome.SUCCEEDED).usage(TokenUsage.of(5, 5)).costBasis(CostBasis.UNPRICED).build());
      attempts.add(Attempt.builder().number(4).provider("claude").startedAt(at).cost(Money.usd("0.30"))
          .costBasis(CostBasis.ESTIMATED).build());
      store.updateTask(a.toBuilder().attempts(attempts).updatedAt(at).build());
      List<Account> accounts = List.of(new Account(BudgetScope.global(), null),
          new Account(BudgetScope.project("demo"), null), new Account(BudgetScope.provider("claude"), null));
      store.ledger().settle(null, accounts, new BigDecimal("0.30"), true);
      RunLease lease = store.createRun(RunRecord.submitted("other", "r", "w", Map.of(), at),
          "{}", List.of(), "elsewhere", Duration.ofMinutes(1));
      assertThat(store.ledger().reserve("x", lease, accounts, new BigDecimal("0.20"), null)).isNull();
      store.ledger().settle("x", accounts, new BigDecimal("0.26"));

      CostReport report = o.costReport("demo");
      assertThat(report.spent()).isEqualTo(Money.usd("0.81"));
      assertThat(report.estimated()).isEqualTo(Money.usd("0.30"));
      assertThat(report.measured()).isEqualTo(Money.usd("0.51"));
      assertThat(report.overrun()).isEqualTo(Money.usd("0.06"));
      assertThat(report.overrunProviders()).containsExactly("claude");
      assertThat(report.unpricedCalls()).isEqualTo(1);
      assertThat(report.byProvider()).isEqualTo(Map.of("claude", Money.usd("0.55")));
      assertThat(report.toText()).isEqualTo("""
          Total spent: $0.81
          Estimated: $0.30 of it (calls that may have been billed without reporting usage, counted at their \
          reservation)
          Remaining: no limit set
          Projected total: $0.81
          Overruns: $0.06 above reservations (Claude)
          Unpriced calls: 1 (recorded at $0.00; configure a price for their models)
          Claude: $0.55 of which $0.30 estimated
          """);
    }
  }

  @Test
  void anotherProcessSeesTheLimitThatHoldsWorkBackAndTheWorkStillToRun() {
    FakeProvider claude = priced("claude", "0.30", "0.40");
    try (Orchestrator worker = h.builder().store(store).provider(claude)
        .budget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("0.70"))).build()) {
      Run run = worker.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x"))
          .task("b", t -> t.instructions("y")).task("c", t -> t.instructions("z")).build());
      assertThat(claude.callCount()).isEqualTo(2);
      assertThat(run.task("c").state()).isEqualTo(TaskState.PAUSED);

      try (Orchestrator reader = h.builder().store(store).provider(priced("claude", "0.30", "0.40")).build()) {
        CostReport report = reader.costReport("demo");
        assertThat(report.spent()).isEqualTo(Money.usd("0.80"));
        assertThat(report.forecast()).as("the paused task's expected cost").isEqualTo(Money.usd("1.10"));
        assertThat(report.toText()).endsWith("Claude: $0.80 (114% of daily limit - PAUSED)\n");
      }
    }
  }
}
