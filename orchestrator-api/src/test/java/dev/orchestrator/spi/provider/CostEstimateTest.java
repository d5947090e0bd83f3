package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each value is checked where it is given, the amounts' order when built, and equality is by value. */
class CostEstimateTest {
  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingAndTheValue() {
    CostEstimate.Builder b = CostEstimate.builder();
    assertThatThrownBy(() -> b.low(Money.usd("-0.01"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("low must not be negative (was $-0.01): give what the call would cost, or Money.ZERO");
    assertThatThrownBy(() -> b.expected(Money.usd("-1"))).hasMessageStartingWith("expected must not be negative");
    assertThatThrownBy(() -> b.high(Money.usd("-1"))).hasMessageStartingWith("high must not be negative");
    assertThatThrownBy(() -> b.expectedDuration(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expectedDuration must not be negative (was PT-1S)");
    assertThatThrownBy(() -> b.unknown(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown must not be blank (was ' ')");
    assertThatThrownBy(() -> b.expectedUsage(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("expectedUsage");
    assertThatThrownBy(() -> b.high(null)).isInstanceOf(NullPointerException.class).hasMessage("high");

    assertThat(b.build()).as("a refused value is never kept").isEqualTo(CostEstimate.free());
  }

  @Test
  void buildRefusesAmountsOutOfOrderAndAnUnknownEstimateWithAnAmount() {
    assertThatThrownBy(() -> CostEstimate.builder().low(Money.usd("2")).expected(Money.usd("1"))
        .high(Money.usd("3")).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cost estimate must satisfy low <= expected <= high (was low=$2.00, expected=$1.00, high=$3.00):"
            + " give the amounts in that order");
    assertThatThrownBy(() -> CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.usd("2"), Money.usd("1"),
        Duration.ZERO)).hasMessageStartingWith("cost estimate must satisfy low <= expected <= high");
    assertThatThrownBy(() -> CostEstimate.builder().high(Money.usd("1")).unknown("no price").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("an unknown cost estimate has zero amounts (was high=$1.00)");
  }

  @Test
  void theFactoriesKeepTheirMeaning() {
    CostEstimate bounded = CostEstimate.of(TokenUsage.of(10, 20), Money.usd("0.1"), Money.usd("0.2"),
        Money.usd("0.4"), Duration.ofSeconds(3));
    assertThat(bounded.isKnown()).isTrue();
    assertThat(bounded.unknown()).isNull();
    assertThat(bounded.high()).isEqualTo(Money.usd("0.4"));
    assertThat(bounded.toBuilder().build()).isEqualTo(bounded).hasSameHashCodeAs(bounded);

    CostEstimate unknown = CostEstimate.unknown("model 'x' has no price", Duration.ofSeconds(2));
    assertThat(unknown.isKnown()).isFalse();
    assertThat(unknown.unknown()).isEqualTo("model 'x' has no price");
    assertThat(unknown.high()).isEqualTo(Money.ZERO);
    assertThat(unknown.expectedDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> CostEstimate.unknown(null, Duration.ZERO)).isInstanceOf(NullPointerException.class)
        .hasMessage("why");

    assertThat(CostEstimate.free()).isEqualTo(CostEstimate.of(TokenUsage.NONE, Money.ZERO, Money.ZERO, Money.ZERO,
        Duration.ZERO));
    assertThat(CostEstimate.free().toString()).startsWith("CostEstimate[expectedUsage=TokenUsage[");
  }
}
