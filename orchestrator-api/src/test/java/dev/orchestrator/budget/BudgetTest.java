package dev.orchestrator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {
  @Test
  void thresholdsDefaultToTheRoadmapsAndAreKeptSortedWithoutDuplicates() {
    assertThat(Budget.of(BudgetScope.global(), Money.usd("10")).thresholds()).containsExactly(0.5, 0.75, 0.9);
    Budget b = Budget.builder().scope(BudgetScope.project("p")).limit(Money.usd("10"))
        .thresholds(List.of(0.9, 0.5, 0.9)).build();
    assertThat(b.thresholds()).containsExactly(0.5, 0.9);
    assertThat(b.toBuilder().limit(Money.usd("20")).build())
        .isEqualTo(Budget.builder().scope(BudgetScope.project("p")).limit(Money.usd("20"))
            .thresholds(List.of(0.5, 0.9)).build())
        .hasToString("Budget[scope=project p, limit=$20.00, thresholds=[0.5, 0.9]]");
  }

  @Test
  void badValuesAreRefusedWhenSet() {
    assertThatThrownBy(() -> Budget.builder().limit(Money.usd("-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("budget limit must not be negative (was $-1.00)");
    assertThatThrownBy(() -> Budget.builder().thresholds(List.of(0.5, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budget thresholds must be between 0 and 1, such as 0.75 for 75% (was 1.0)");
  }

  @Test
  void scopeAndLimitAreRequired() {
    assertThatThrownBy(() -> Budget.builder().limit(Money.usd("1")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a scope");
    assertThatThrownBy(() -> Budget.builder().scope(BudgetScope.global()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("global needs a limit");
  }

  @Test
  void linesAndProviderCostsDefaultToZeroAndNeedTheirName() {
    BudgetLine line = BudgetLine.builder().scope(BudgetScope.provider("claude")).spent(Money.usd("3")).build();
    assertThat(line.reserved()).isEqualTo(Money.ZERO);
    assertThat(line.limit()).isNull();
    assertThat(line.remaining()).isNull();
    assertThat(line.toBuilder().limit(Money.usd("4")).build().remaining()).isEqualTo(Money.usd("1"));
    assertThatThrownBy(() -> BudgetLine.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a scope");
    assertThatThrownBy(() -> ProviderCost.builder().unpricedCalls(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unpricedCalls must be >= 0 (was -1)");
    assertThatThrownBy(() -> ProviderCost.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a provider");
  }

  @Test
  void aPlanNeedsItsWorkflowAndProjectAndNoNegativeDuration() {
    Plan.Step step = Plan.Step.builder().taskId("draft").build();
    assertThat(step.kind()).isEqualTo("task");
    assertThat(step.bounded()).isTrue();
    Plan plan = Plan.builder().workflow("w").project("p").waves(List.of(List.of(step))).build();
    assertThat(plan.ok()).isTrue();
    assertThat(plan.toBuilder().problems(List.of("no provider")).build().ok()).isFalse();
    assertThatThrownBy(() -> Plan.builder().workflow("w").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a project");
    assertThatThrownBy(() -> Plan.Step.builder().duration(java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration must not be negative");
    assertThatThrownBy(() -> Plan.Step.builder().title("t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a task");
  }
}
