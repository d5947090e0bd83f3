package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;

/** The one money format of the command line. */
class MoneyTextTest {
  @Example
  void examples() {
    assertThat(MoneyText.format(Money.usd("0.013"))).isEqualTo("$0.013");
    assertThat(MoneyText.format(Money.usd("0.00058"))).isEqualTo("$0.00058");
    assertThat(MoneyText.format(Money.usd("12.5"))).isEqualTo("$12.50");
    assertThat(MoneyText.format(Money.usd("0.04901155"))).isEqualTo("$0.049");
    assertThat(MoneyText.format(Money.usd("0.0006"))).isEqualTo("$0.00060");
    assertThat(MoneyText.format(Money.usd("0.0999"))).isEqualTo("$0.10");
    assertThat(MoneyText.format(Money.usd("0"))).isEqualTo("$0.00");
    assertThat(MoneyText.format(Money.usd("0.00000001"))).isEqualTo("$0.000000010");
    assertThat(MoneyText.format(Money.usd("-0.013"))).isEqualTo("-$0.013");
    assertThat(MoneyText.format(Money.usd("1234.567"))).isEqualTo("$1234.57");
  }

  @Property
  void aCostThatIsNotZeroNeverShowsAsZero(@ForAll @BigRange(min = "0.000000001", max = "100000") @Scale(12)
      BigDecimal amount) {
    String shown = MoneyText.format(Money.usd(amount));
    assertThat(shown).isNotEqualTo("$0.00");
    assertThat(new BigDecimal(shown.substring(1))).isPositive();
  }

  @Property
  void atLeastTwoSignificantDigitsAndNoMore(@ForAll @BigRange(min = "0.000000001", max = "100000") @Scale(12)
      BigDecimal amount) {
    String shown = MoneyText.format(Money.usd(amount));
    assertThat(shown).startsWith("$");
    BigDecimal value = new BigDecimal(shown.substring(1));
    String digits = value.unscaledValue().toString();
    assertThat(digits.length()).as(shown).isGreaterThanOrEqualTo(2);
    if (amount.compareTo(new BigDecimal("0.1")) < 0) {
      // Below ten cents: exactly two significant digits, so no trailing noise such as $0.04901155.
      assertThat(digits.length()).as(shown).isEqualTo(2);
    } else {
      assertThat(value.scale()).as(shown).isEqualTo(2);
    }
    // Close to the amount: within half a unit of the last digit shown.
    BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(value.scale()).divide(BigDecimal.valueOf(2));
    assertThat(value.subtract(amount).abs()).as(shown).isLessThanOrEqualTo(halfUnit);
  }
}
