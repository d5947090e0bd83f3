package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one way the command line shows an amount: cents from ten cents up ({@code $12.50}, {@code $0.13}), two
 * significant digits below ({@code $0.013}, {@code $0.00058}), so a cost that is not zero never shows as
 * {@code $0.00} and no amount shows more digits than anyone reads. Thread-safe.
 */
final class MoneyText {
  private static final BigDecimal TEN_CENTS = new BigDecimal("0.1");
  private static final MathContext TWO_DIGITS = new MathContext(2, RoundingMode.HALF_UP);

  private MoneyText() {}

  static String format(Money m) {
    BigDecimal a = m.amount();
    BigDecimal abs = a.abs();
    BigDecimal shown;
    if (a.signum() == 0) {
      shown = BigDecimal.ZERO.setScale(2);
    } else if (abs.compareTo(TEN_CENTS) >= 0) {
      shown = abs.setScale(2, RoundingMode.HALF_UP);
    } else {
      shown = abs.round(TWO_DIGITS);
      // Both digits written out: 0.00060, not 0.0006.
      shown = shown.setScale(shown.scale() + 2 - shown.precision(), RoundingMode.UNNECESSARY);
    }
    return (a.signum() < 0 ? "-$" : "$") + shown.toPlainString();
  }
}
