package dev.orchestrator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
    BudgetLine daily = new BudgetLine(BudgetScope.providerDaily("claude"), LocalDate.of(2026, 1, 1),
        Money.usd("23.40"), Money.ZERO, Money.usd("20"), true);
    CostReport r = new CostReport(Instant.EPOCH, "p", Money.usd("45.23"), Money.ZERO, Money.usd("100"),
        Money.usd("87.50"), Map.of(), Map.of(), Map.of(), List.of(daily), Money.ZERO, Money.ZERO,
        List.of(new ProviderCost("claude", Money.usd("23.40"), Money.ZERO, 0, Money.ZERO, daily)), 0);
    assertThat(r.toText()).isEqualTo("""
        Total spent: $45.23
        Remaining: $54.77
        Projected total: $87.50 (within budget)
        Claude: $23.40 (117% of daily limit - PAUSED)
        """);
  }

  @Test
  void smallCostsAreNeverShownAsZero() {
    CostReport r = new CostReport(Instant.EPOCH, null, Money.usd("0.0042"), Money.ZERO, null, Money.usd("0.0042"),
        Map.of(), Map.of(), Map.of(), List.of(), Money.usd("0.0042"), Money.usd("0.0011"),
        List.of(new ProviderCost("gemini", Money.usd("0.0042"), Money.usd("0.0042"), 0, Money.usd("0.0011"), null)),
        0);
    assertThat(r.toText()).contains("Total spent: $0.0042\n", "Estimated: $0.0042 of it",
        "Overruns: $0.0011 above reservations (Gemini)\n", "Gemini: $0.0042 of which $0.0042 estimated\n");
  }
}
