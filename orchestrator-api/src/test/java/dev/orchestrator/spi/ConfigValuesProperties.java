package dev.orchestrator.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the configuration grammar: what is written reads back, and nothing read is negative. */
class ConfigValuesProperties {
  @Property
  void aDurationWrittenInTheShortFormReadsBack(@ForAll("durations") Duration d) {
    String text = ConfigValues.formatDuration(d);
    assertThat(ConfigValues.parseDuration("d", text)).isEqualTo(d);
  }

  @Property
  void aWholeNumberOfMillisecondsIsWrittenInTheShortForm(@ForAll("wholeMillis") Duration d) {
    String text = ConfigValues.formatDuration(d);
    assertThat(text).matches("(\\d+(ms|s|m|h|d))+");
    assertThat(ConfigValues.parseDuration("d", text)).isEqualTo(d);
  }

  @Property
  void caseAndSpacesBetweenPartsDoNotChangeADuration(@ForAll("wholeMillis") Duration d) {
    String text = ConfigValues.formatDuration(d);
    String spaced = text.replaceAll("(ms|s|m|h|d)", "$1 ").toUpperCase(Locale.ROOT);
    assertThat(ConfigValues.parseDuration("d", "  " + spaced)).isEqualTo(d);
  }

  @Property
  void theShortFormAndIso8601ReadTheSameDuration(@ForAll("durations") Duration d) {
    assertThat(ConfigValues.parseDuration("d", d.toString())).isEqualTo(d);
  }

  @Property
  void partsInOrderAddUp(@ForAll("parts") List<Long> counts) {
    String[] units = {"d", "h", "m", "s", "ms"};
    StringBuilder text = new StringBuilder();
    Duration sum = Duration.ZERO;
    Duration[] unit = {Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(1),
        Duration.ofMillis(1)};
    for (int i = 0; i < units.length; i++) {
      Long n = counts.get(i);
      if (n >= 0) {
        text.append(n).append(units[i]);
        sum = sum.plus(unit[i].multipliedBy(n));
      }
    }
    if (text.length() == 0) {
      text.append("0s");
    }
    assertThat(ConfigValues.parseDuration("d", text.toString())).isEqualTo(sum);
  }

  @Property(tries = 2000)
  void everyAcceptedTextIsANonNegativeDurationAndEveryRefusalNamesTheField(@ForAll("durationLikeTexts") String text) {
    Duration d;
    try {
      d = ConfigValues.parseDuration("field", text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("field ").contains("(was '" + text + "')");
      return;
    }
    assertThat(d.isNegative()).isFalse();
  }

  @Property
  void anAmountWrittenPlainlyOrWithADollarSignReadsBackExactly(@ForAll("amounts") BigDecimal amount) {
    String plain = amount.toPlainString();
    assertThat(ConfigValues.parseMoney("m", plain).amount()).isEqualTo(amount);
    assertThat(ConfigValues.parseMoney("m", "$" + plain).amount()).isEqualTo(amount);
    assertThat(ConfigValues.parseMoney("m", plain + " USD")).isEqualTo(Money.usd(amount));
    assertThat(Money.parse(plain)).isEqualTo(Money.usd(amount));
  }

  @Property(tries = 2000)
  void everyAcceptedAmountIsNonNegativeAndEveryRefusalNamesTheField(@ForAll("moneyLikeTexts") String text) {
    Money m;
    try {
      m = ConfigValues.parseMoney("field", text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("field ").contains("(was '" + text + "')");
      return;
    }
    assertThat(m.isNegative()).isFalse();
    assertThat(m.currency()).isEqualTo(Money.USD);
  }

  @Provide
  Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(wholeMillis(), Combinators.combine(
        Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(0, 999_999_999))
        .as(Duration::ofSeconds));
  }

  @Provide
  Arbitrary<Duration> wholeMillis() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofMillis),
        Arbitraries.longs().between(0, 10L * 366 * 24 * 3600 * 1000).map(Duration::ofMillis),
        Arbitraries.longs().between(0, 7 * 24 * 60).map(Duration::ofMinutes));
  }

  /** For each unit from days to milliseconds, a count, or -1 to leave the unit out. */
  @Provide
  Arbitrary<List<Long>> parts() {
    return Arbitraries.longs().between(-1, 100_000).list().ofSize(5);
  }

  @Provide
  Arbitrary<String> durationLikeTexts() {
    return Arbitraries.strings().withChars("0123456789msdhPTptSMHD.-+ ,").ofMaxLength(24);
  }

  @Provide
  Arbitrary<BigDecimal> amounts() {
    return Combinators.combine(Arbitraries.longs().between(0, 999_999_999_999L), Arbitraries.integers().between(0, 18))
        .as((unscaled, scale) -> new BigDecimal(java.math.BigInteger.valueOf(unscaled), scale))
        .filter(a -> a.precision() - a.scale() <= 12);
  }

  @Provide
  Arbitrary<String> moneyLikeTexts() {
    return Arbitraries.strings().withChars("0123456789.$-+ ,eEUSDusd").ofMaxLength(20);
  }
}
