package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PlanTest {
  private final Harness h = new Harness();

  /** Estimates like a real provider and fails the test if ever called. */
  static AiProvider neverCalled(String name, String low, String expected, String high, Duration time) {
    return new AiProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String type() {
        return "estimate-only";
      }

      @Override
      public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
        throw new AssertionError("a dry run called " + name);
      }

      @Override
      public CostEstimate estimate(ProviderRequest request) {
        return CostEstimate.of(TokenUsage.of(100, 200), Money.usd(low), Money.usd(expected), Money.usd(high), time);
      }
    };
  }

  private static Workflow blog() {
    return Workflow.builder("blog")
        .task("research", t -> t.title("Research {{topic}}").instructions("Research {{topic}}").provider("chatgpt"))
        .task("outline", t -> t.instructions("Outline").provider("chatgpt").dependsOn("research"))
        .task("draft", t -> t.instructions("Draft").provider("claude").dependsOn("research"))
        .task("edit", t -> t.instructions("Edit").provider("claude").dependsOn("outline", "draft"))
        .build();
  }

  @Test
  void listsWavesProvidersEstimatesAndTotalsWithoutCallingAnything() {
    try (Orchestrator o = h.builder()
        .provider(neverCalled("chatgpt", "0.01", "0.02", "0.05", Duration.ofSeconds(20)))
        .provider(neverCalled("claude", "0.02", "0.04", "0.10", Duration.ofSeconds(30))).build()) {
      Plan plan = o.plan("demo", blog(), Map.of("topic", "tides"));
      assertThat(plan.ok()).isTrue();
      assertThat(plan.waves()).extracting(w -> w.stream().map(Plan.Step::taskId).toList())
          .containsExactly(List.of("research"), List.of("outline", "draft"), List.of("edit"));
      assertThat(plan.waves().get(0).get(0).title()).isEqualTo("Research tides");
      assertThat(plan.expected()).isEqualTo(Money.usd("0.12"));
      assertThat(plan.high()).isEqualTo(Money.usd("0.30"));
      assertThat(plan.duration()).as("the critical path").isEqualTo(Duration.ofSeconds(80));
      assertThat(plan.toText()).contains("research Research tides", "claude", "$0.12", "No problems found.");
      assertThat(o.runs("demo")).as("nothing submitted").isEmpty();
    }
  }

  @Test
  void findsEveryKindOfProblem() {
    FakeProvider flaky = FakeProvider.builder("flaky").otherwise(r -> Reply.failure(ErrorKind.SERVER))
        .estimate(CostEstimate.of(TokenUsage.NONE, Money.usd("0.01"), Money.usd("0.01"), Money.usd("0.01"),
            Duration.ZERO)).build();
    try (Orchestrator o = h.builder()
        .provider(neverCalled("chatgpt", "0.50", "0.60", "0.70", Duration.ofSeconds(20)))
        .provider(neverCalled("claude", "0.02", "0.04", "0.10", Duration.ofSeconds(30)))
        .provider(flaky).retryPolicy(RetryPolicy.none())
        .budget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00")))
        .build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("other", Workflow.builder("f").task("f", t -> t.instructions("x").provider("flaky")).build());
      }
      o.pauseProvider("claude", "maintenance");
      Workflow w = Workflow.builder("w")
          .task("a", t -> t.instructions("{{topic}}").provider("gpt-5"))
          .task("b", t -> t.instructions("x").provider("flaky"))
          .task("c", t -> t.instructions("x").provider("chatgpt").maxCost(Money.usd("0.10")))
          .task("d", t -> t.instructions("x").provider("chatgpt"))
          .task("e", t -> t.instructions("x").provider("claude"))
          .build();
      int calls = flaky.callCount();
      Plan plan = o.plan("demo", w, Map.of());
      assertThat(flaky.callCount()).isEqualTo(calls);
      assertThat(plan.ok()).isFalse();
      assertThat(plan.problems()).anySatisfy(p -> assertThat(p).contains("parameter 'topic' has no value"))
          .anySatisfy(p -> assertThat(p).contains("names provider 'gpt-5', which is not configured"))
          .anySatisfy(p -> assertThat(p).contains("task 'b' would wait: provider flaky's circuit is open until"))
          .anySatisfy(p -> assertThat(p).contains("task 'e' would wait: provider claude is paused (maintenance)"))
          .anySatisfy(p -> assertThat(p).contains("task 'c' can never run: even its cheapest reply ($0.50)"))
          .anySatisfy(p -> assertThat(p).contains("would break the budget project demo"));
      assertThat(plan.toText()).contains("Problems:");
    }
  }
}
