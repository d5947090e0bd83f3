package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.CostOverrunEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A hard limit never depends on a provider's good estimate: a call whose cost cannot be bounded is not made under one. */
class UnboundedEstimateTest {
  private final Harness h = new Harness();

  private static FakeProvider unpriced() {
    return FakeProvider.builder("p")
        .estimate(CostEstimate.unknown("model 'm' has no price", Duration.ofSeconds(5))).build();
  }

  /** A provider whose estimate throws. */
  private static final class Throwing implements AiProvider {
    private final FakeProvider delegate = FakeProvider.echo("p");

    @Override
    public String name() {
      return "p";
    }

    @Override
    public String type() {
      return "throwing";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      return delegate.complete(request, context);
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      throw new IllegalStateException("tokenizer missing");
    }
  }

  private static Workflow one() {
    return Workflow.builder("w").task("a", t -> t.instructions("x")).build();
  }

  @Test
  void anUnboundedCallUnderAProjectLimitFailsTheTaskAtOnceWithTheFix() {
    FakeProvider p = unpriced();
    try (Orchestrator o = h.builder().provider(p).budget(Budget.of(BudgetScope.project("demo"), Money.usd("5")))
        .build()) {
      Run run = o.submit("demo", one());

      TaskRecord a = run.task("a");
      assertThat(a.state()).isEqualTo(TaskState.FAILED);
      assertThat(a.errorKind()).isEqualTo(ErrorKind.BUDGET);
      assertThat(a.error()).contains("provider p", "model 'm' has no price", "budget project demo",
          "set maxCostPerCall on provider p, or a price for its model, so the budget can reserve the call");
      assertThat(a.attempts()).as("not started, not retried").isEmpty();
      assertThat(p.callCount()).isZero();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void aTasksOwnMaxCostIsALimitToo() {
    FakeProvider p = unpriced();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")
          .maxCost(Money.usd("0.10"))).build());

      assertThat(run.task("a").errorKind()).isEqualTo(ErrorKind.BUDGET);
      assertThat(run.task("a").error()).contains("maxCost $0.10");
      assertThat(p.callCount()).isZero();
    }
  }

  @Test
  void anEstimateThatThrowsIsUnknownNeverFree() {
    try (Orchestrator o = h.builder().provider(new Throwing())
        .budget(Budget.of(BudgetScope.providerDaily("p"), Money.usd("5"))).build()) {
      Run run = o.submit("demo", one());

      assertThat(run.task("a").errorKind()).isEqualTo(ErrorKind.BUDGET);
      assertThat(run.task("a").error()).contains("the estimate failed: tokenizer missing", "budget p daily");
    }
  }

  @Test
  void anUnboundedCallWithoutAnyLimitRunsAndCostsWhatItsReplySays() {
    FakeProvider p = FakeProvider.builder("p").costPerCall(Money.usd("0.30"))
        .estimate(CostEstimate.unknown("the agent reports its own cost", Duration.ofSeconds(5))).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.callCount()).isEqualTo(1);
      assertThat(run.task("a").cost()).isEqualTo(Money.usd("0.30"));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.30"));
      assertThat(h.events.events(CostOverrunEvent.class)).as("nothing was promised").isEmpty();
    }
  }

  @Test
  void aLimitOnAnotherProviderDoesNotApply() {
    FakeProvider p = unpriced();
    try (Orchestrator o = h.builder().provider(p).provider(FakeProvider.echo("q"))
        .budget(Budget.of(BudgetScope.provider("q"), Money.usd("5"))).build()) {
      Workflow onP = Workflow.builder("w").task("a", t -> t.instructions("x").provider("p")).build();
      assertThat(o.submit("demo", onP).completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void theDryRunListsAnUnboundedCallUnderALimitAsAProblem() {
    try (Orchestrator o = h.builder().provider(unpriced()).budget(Budget.of(BudgetScope.global(), Money.usd("5")))
        .build()) {
      Plan plan = o.plan("demo", one(), Map.of());

      assertThat(plan.ok()).isFalse();
      assertThat(plan.problems()).singleElement().asString().contains("task 'a'", "model 'm' has no price",
          "set maxCostPerCall on provider p");
      assertThat(plan.toText()).doesNotContain("No problems found.");
    }
  }

  @Test
  void theDryRunNotesAnUnboundedCallWithoutALimit() {
    try (Orchestrator o = h.builder().provider(unpriced()).build()) {
      Plan plan = o.plan("demo", one(), Map.of());

      assertThat(plan.ok()).isTrue();
      assertThat(plan.notes()).singleElement().asString().contains("task 'a'", "unpriced", "$0");
      assertThat(plan.toText()).contains("Notes:", "unpriced");
    }
  }
}
