package dev.orchestrator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostReportTest {
  @Test
  void amountsForPeopleHaveAtLeastTwoSignificantDigits() {
    assertThat(CostReport.format(Money.usd("0"))).isEqualTo("$0.00");
    assertThat(CostReport.format(Money.usd("0.0042"))).isEqualTo("$0.0042");
    assertThat(CostReport.format(Money.usd("0.004249"))).isEqualTo("$0.0042");
    assertThat(CostReport.format(Money.usd("0.0123"))).isEqualTo("$0.012");
    assertThat(CostReport.format(Money.usd("0.05"))).isEqualTo("$0.05");
    assertThat(CostReport.format(Money.usd("0.000000123"))).isEqualTo("$0.00000012");
    assertThat(CostReport.format(Money.usd("0.1"))).isEqualTo("$0.10");
    assertThat(CostReport.format(Money.usd("45.234"))).isEqualTo("$45.23");
    assertThat(CostReport.format(Money.usd("1234.5"))).isEqualTo("$1234.50");
    assertThat(CostReport.format(Money.usd("-0.0042"))).isEqualTo("-$0.0042");
  }

  @Test
  void theTextIsTheRoadmapsWithoutEstimatedOrOverrunLinesWhenThereAreNone() {
    BudgetLine daily = BudgetLine.builder().scope(BudgetScope.providerDaily("claude")).day(LocalDate.of(2026, 1, 1))
        .spent(Money.usd("23.40")).limit(Money.usd("20")).paused(true).build();
    CostReport r = CostReport.builder().at(Instant.EPOCH).project("p").spent(Money.usd("45.23"))
        .limit(Money.usd("100")).forecast(Money.usd("87.50")).lines(List.of(daily))
        .providers(List.of(ProviderCost.builder().provider("claude").spent(Money.usd("23.40")).limit(daily).build()))
        .build();
    assertThat(r.toText()).isEqualTo("""
        Total spent: $45.23
        Remaining: $54.77
        Projected total: $87.50 (within budget)
        Claude: $23.40 (117% of daily limit - PAUSED)
        """);
  }

  @Test
  void smallCostsAreNeverShownAsZero() {
    CostReport r = CostReport.builder().at(Instant.EPOCH).spent(Money.usd("0.0042")).forecast(Money.usd("0.0042"))
        .estimated(Money.usd("0.0042")).overrun(Money.usd("0.0011"))
        .providers(List.of(ProviderCost.builder().provider("gemini").spent(Money.usd("0.0042"))
            .estimated(Money.usd("0.0042")).overrun(Money.usd("0.0011")).build()))
        .build();
    assertThat(r.toText()).contains("Total spent: $0.0042\n", "Estimated: $0.0042 of it",
        "Overruns: $0.0011 above reservations (Gemini)\n", "Gemini: $0.0042 of which $0.0042 estimated\n");
  }

  @Test
  void aReportNeedsItsInstantAndNoNegativeCount() {
    assertThatThrownBy(() -> CostReport.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("call at(clock.instant())");
    assertThatThrownBy(() -> CostReport.builder().unpricedCalls(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unpricedCalls must be >= 0 (was -2)");
    CostReport r = CostReport.builder().at(Instant.EPOCH).spent(Money.usd("1")).build();
    assertThat(r.remaining()).isNull();
    assertThat(r.toBuilder().limit(Money.usd("3")).build().remaining()).isEqualTo(Money.usd("2"));
  }
}
