package dev.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void isExactAndFormatsForPeople() {
    Money sum = Money.usd("0.1").plus(Money.usd("0.2"));
    assertThat(sum).isEqualTo(Money.usd("0.3"));
    assertThat(sum.amount()).isEqualByComparingTo(new BigDecimal("0.3"));
    assertThat(Money.usd("12.5").toString()).isEqualTo("$12.50");
    assertThat(Money.usd("0.0042").toString()).isEqualTo("$0.0042");
    assertThat(Money.parse("$100")).isEqualTo(Money.usd("100.00"));
    assertThat(Money.parse("3.10 usd")).isEqualTo(Money.usd("3.10"));
  }

  @Test
  void refusesToMixCurrenciesOrParseNonsense() {
    assertThatThrownBy(() -> Money.parse("5 EUR")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be in US dollars").hasMessageContaining("(was '5 EUR')")
        .hasMessageContaining("give the amount in USD");
    assertThatThrownBy(() -> Money.parse("-5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative").hasMessageContaining("(was '-5')");
    assertThatThrownBy(() -> Money.parse("1e3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("such as 0.50, $0.50 or 12");
    assertThatThrownBy(() -> new Money(BigDecimal.ONE, java.util.Currency.getInstance("GBP")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 1 GBP");
    assertThatThrownBy(() -> Money.usd("ten")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(was 'ten')");
  }
}
