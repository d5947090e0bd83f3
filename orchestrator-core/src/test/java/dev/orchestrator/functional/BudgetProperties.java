package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The hard limit holds with many calls in flight, and reservations never keep a call out that would fit. */
class BudgetProperties {

  /** Prompts read {@code worst actual delaySeconds}; the call costs {@code actual} after the delay. */
  static final class PromptPriced implements AiProvider {
    private final Scheduler scheduler;

    PromptPriced(Scheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public String name() {
      return "p";
    }

    @Override
    public String type() {
      return "priced";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      String[] f = request.prompt().split(" ");
      CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
      scheduler.schedule(() -> out.complete(ProviderResponse.builder().text("ok").usage(TokenUsage.of(1, 1))
          .cost(Money.usd(f[1])).build()), Duration.ofSeconds(Long.parseLong(f[2])));
      return out;
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      Money worst = Money.usd(request.prompt().split(" ")[0]);
      return CostEstimate.of(TokenUsage.NONE, Money.ZERO, worst, worst, Duration.ZERO);
    }
  }

  @Property(tries = 200)
  void spendingNeverExceedsTheLimitAndNothingThatFitsIsLeftWaiting(
      @ForAll @Size(min = 1, max = 150) List<@IntRange(min = 1, max = 100) Integer> worstCents,
      @ForAll @Size(min = 150, max = 150) List<@IntRange(min = 0, max = 100) Integer> actualShare,
      @ForAll @Size(min = 150, max = 150) List<@IntRange(min = 1, max = 30) Integer> delays,
      @ForAll @IntRange(min = 50, max = 3000) int limitCents,
      @ForAll @IntRange(min = 1, max = 64) int inFlight) {
    Harness h = new Harness();
    BigDecimal limit = BigDecimal.valueOf(limitCents, 2);
    try (Orchestrator o = h.builder().provider(new PromptPriced(h.scheduler), inFlight)
        .budget(Budget.of(BudgetScope.project("p"), Money.usd(limit))).build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < worstCents.size(); i++) {
        BigDecimal worst = BigDecimal.valueOf(worstCents.get(i), 2);
        BigDecimal actual = worst.multiply(BigDecimal.valueOf(actualShare.get(i), 2));
        String prompt = worst.toPlainString() + " " + actual.toPlainString() + " " + delays.get(i);
        w.task("t" + i, t -> t.instructions(prompt));
      }
      Run run = o.submit("p", w.build());
      h.scheduler.runUntilIdle(Duration.ofDays(1));

      BigDecimal spent = BigDecimal.ZERO;
      for (Event e : h.events.events()) {
        if (e instanceof TaskSucceededEvent s) {
          spent = spent.add(s.cost().amount());
          assertThat(spent).as("spending so far").isLessThanOrEqualTo(limit);
        }
      }
      CostReport report = o.costReport("p");
      assertThat(report.spent().amount()).isEqualByComparingTo(spent);
      assertThat(report.reserved().isZero()).as("nothing in flight, nothing reserved").isTrue();
      // Every task still held back genuinely does not fit: reservations were released as calls ended.
      BigDecimal headroom = limit.subtract(spent);
      boolean onlySmallWaiting = true;
      for (TaskRecord t : run.snapshot().tasks()) {
        if (t.state() == TaskState.PAUSED) {
          BigDecimal worst = BigDecimal.valueOf(worstCents.get(Integer.parseInt(t.taskId().substring(1))), 2);
          assertThat(worst).as("%s waits although it fits", t.taskId()).isGreaterThan(headroom);
          onlySmallWaiting &= worst.compareTo(limit.multiply(new BigDecimal("0.05"))) <= 0;
        } else {
          assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
        }
      }
      boolean anyWaiting = run.snapshot().tasks().stream().anyMatch(t -> t.state() == TaskState.PAUSED);
      if (anyWaiting && onlySmallWaiting) {
        assertThat(spent).as("at least 95% of the limit is spent").isGreaterThanOrEqualTo(
            limit.multiply(new BigDecimal("0.95")));
      }
    }
  }
}
