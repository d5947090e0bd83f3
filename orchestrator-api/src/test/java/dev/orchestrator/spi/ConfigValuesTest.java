package dev.orchestrator.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "500ms       | PT0.5S",
      "30s         | PT30S",
      "10m         | PT10M",
      "1h          | PT1H",
      "2d          | PT48H",
      "1h30m       | PT1H30M",
      "1d12h       | PT36H",
      "1d 12h      | PT36H",
      "1h 30m 15s  | PT1H30M15S",
      "30 s        | PT30S",
      "'  90s  '   | PT1M30S",
      "1H30M       | PT1H30M",
      "500MS       | PT0.5S",
      "1d2h3m4s5ms | PT26H3M4.005S",
      "0s          | PT0S",
      "PT30S       | PT30S",
      "pt30s       | PT30S",
      "P2D         | PT48H",
      "P1DT2H      | PT26H",
      "PT0.25S     | PT0.25S",
      "+PT5M       | PT5M",
  })
  void readsShortAndIsoDurations(String text, String iso) {
    assertThat(ConfigValues.parseDuration("timeout", text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "   ", "5x", "soon", "5", "m", "1.5h", "5 minutes", "1hr", "10sec", "2 days", "1h30",
      "h30m", "1h,30m", "P1Y", "P1M", "PT", "P", "5mss", "1e3s", "0x10s", "PT5"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> ConfigValues.parseDuration("timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be a duration such as 500ms, 30s, 10m, 1h30m or 2d (units ms, s, m, h, d) or"
            + " ISO-8601 such as PT30S (was '" + text + "')");
  }

  @Test
  void refusesNullAsEmpty() {
    assertThatThrownBy(() -> ConfigValues.parseDuration("timeout", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be a duration")
        .hasMessageEndingWith("(was '')");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"-5m", "-1h30m", "-PT5S", "PT-5S", "- 5s", "--5m"})
  void refusesNegativeDurations(String text) {
    assertThatThrownBy(() -> ConfigValues.parseDuration("notifications.digest_window", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("notifications.digest_window must not be negative: write a duration such as 30s or 1h30m (was '"
            + text + "')");
  }

  @Test
  void aNegativeSignBeforeJunkIsCalledJunk() {
    assertThatThrownBy(() -> ConfigValues.parseDuration("timeout", "-5x"))
        .hasMessageContaining("timeout must be a duration such as");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"30m1h", "1m1m", "5s1d", "1ms1s", "1h 1h"})
  void refusesUnitsOutOfOrderOrRepeated(String text) {
    assertThatThrownBy(() -> ConfigValues.parseDuration("timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must give its units from the largest to the smallest, each once, such as 1d12h or 1h30m"
            + " (was '" + text + "')");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"999999999999999999d", "106751991167301d", "106751991167300d24h",
      "PT9999999999999999999H", "P999999999999999D", "9999999999999999999s", "99999999999999999999999ms"})
  void refusesDurationsTooLongToHold(String text) {
    assertThatThrownBy(() -> ConfigValues.parseDuration("timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout is too long to be a duration: write a shorter one, such as 365d (was '" + text + "')");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "PT0S            | 0s",
      "PT0.5S          | 500ms",
      "PT30S           | 30s",
      "PT1H30M         | 1h30m",
      "PT48H           | 2d",
      "PT36H           | 1d12h",
      "PT26H3M4.005S   | 1d2h3m4s5ms",
      "PT0.0000015S    | PT0.0000015S",
      "PT1.0000001S    | PT1.0000001S",
  })
  void formatsTheShortFormWhereItHoldsTheDuration(String iso, String text) {
    assertThat(ConfigValues.formatDuration(Duration.parse(iso))).isEqualTo(text);
  }

  @Test
  void refusesToFormatANegativeDuration() {
    assertThatThrownBy(() -> ConfigValues.formatDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(was PT-1S)");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "0.50                 | 0.50",
      "$0.50                | 0.50",
      "12                   | 12",
      "$12                  | 12",
      "$ 12                 | 12",
      "12.50 USD            | 12.50",
      "12.50usd             | 12.50",
      "$1 USD               | 1",
      "0                    | 0",
      "'  7.25 '            | 7.25",
      "0.000000150          | 0.00000015",
      "999999999999.99      | 999999999999.99",
  })
  void readsAmountsOfUsDollarsExactly(String text, String amount) {
    Money m = ConfigValues.parseMoney("max_cost", text);
    assertThat(m).isEqualTo(Money.usd(new java.math.BigDecimal(amount)));
    assertThat(m.currency()).isEqualTo(Money.USD);
  }

  @Test
  void keepsTheDigitsAsWritten() {
    assertThat(ConfigValues.parseMoney("max_cost", "0.10").amount()).hasToString("0.10");
    assertThat(ConfigValues.parseMoney("max_cost", "0.1").amount().add(ConfigValues.parseMoney("x", "0.2").amount()))
        .hasToString("0.3");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", " ", "ten", ".50", "12.", "1e3", "1,000", "$", "USD", "12 dollars", "0x10", "+5",
      "12.5.0", "NaN", "Infinity", "$$5", "5$"})
  void refusesWhatIsNotAnAmount(String text) {
    assertThatThrownBy(() -> ConfigValues.parseMoney("max_cost", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_cost must be an amount of US dollars such as 0.50, $0.50 or 12 (was '" + text + "')");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"-1", "-0.50", "-$1", "$-1", "- 5"})
  void refusesNegativeAmounts(String text) {
    assertThatThrownBy(() -> ConfigValues.parseMoney("--limit", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--limit must not be negative: write an amount of US dollars such as 0.50, $0.50 or 12 (was '"
            + text + "')");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"5 EUR", "5eur", "12.50 GBP", "$5 CAD"})
  void refusesOtherCurrencies(String text) {
    assertThatThrownBy(() -> ConfigValues.parseMoney("limit", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be in US dollars, the only currency this release accounts in: give the amount in USD,"
            + " such as 0.50, $0.50 or 12 (was '" + text + "')");
  }

  @Test
  void refusesAmountsBeyondTwelveDigitsOfDollars() {
    assertThatThrownBy(() -> ConfigValues.parseMoney("limit", "1000000000000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at most 12 digits of dollars before the point, such as 100000 (was"
            + " '1000000000000')");
  }
}
