package dev.orchestrator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of US dollars. Arithmetic is {@link BigDecimal}: no rounding happens until {@link #toString()}
 * formats the amount for people.
 *
 * <p>Every vendor bills in US dollars and every price table is in them, so this release carries no other currency:
 * an amount in another one is refused where it enters (a limit, a price, a per-call cap), with an error that says to
 * give it in dollars, rather than accepted and mixed with dollars later. Immutable and thread-safe. A record: its
 * shape (an amount and its currency) is final.
 *
 * <pre>{@code
 * Money cap = Money.usd("2.50");
 * Money spent = Money.usd("0.0042").plus(Money.usd("0.0100"));
 * boolean within = spent.compareTo(cap) <= 0;
 * }</pre>
 *
 * @param amount the amount, never null; may be negative only as the result of {@link #minus}
 * @param currency always {@link #USD} in this release
 * @since 0.1
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {
  /** US dollars: the currency every bundled price table uses. */
  public static final Currency USD = Currency.getInstance("USD");

  /** Zero US dollars. */
  public static final Money ZERO = new Money(BigDecimal.ZERO, USD);

  public Money {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    if (!currency.equals(USD)) {
      throw new IllegalArgumentException("amounts must be in US dollars in this release (was " + amount.toPlainString()
          + " " + currency + "): give the amount in USD, such as 12.50, $12.50 or 12.50 USD");
    }
  }

  /** An amount of US dollars. */
  public static Money usd(BigDecimal amount) {
    return new Money(amount, USD);
  }

  /**
   * An amount of US dollars written as a decimal string such as {@code "12.50"}.
   *
   * @throws IllegalArgumentException when the text is not a decimal number
   */
  public static Money usd(String amount) {
    return usd(parseAmount(amount));
  }

  /**
   * Parses an amount of US dollars written as configuration writes it: {@code "0.50"}, {@code "$0.50"}, {@code "12"}
   * or {@code "12.50 USD"}, exactly. The grammar is {@link dev.orchestrator.spi.ConfigValues#parseMoney}'s, which
   * also names the field in its message.
   *
   * @throws IllegalArgumentException naming the text when it is not an amount of US dollars, or is negative
   */
  public static Money parse(String text) {
    return dev.orchestrator.spi.ConfigValues.parseMoney("money", text);
  }

  private static BigDecimal parseAmount(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "money must be a decimal number such as 12.50 (was '" + text + "')", e);
    }
  }

  /** This amount plus another of the same currency. */
  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.add(other.amount), currency);
  }

  /** This amount minus another of the same currency. */
  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.subtract(other.amount), currency);
  }

  /** This amount multiplied by a factor. */
  public Money times(BigDecimal factor) {
    return new Money(amount.multiply(factor), currency);
  }

  /** True when the amount is below zero. */
  public boolean isNegative() {
    return amount.signum() < 0;
  }

  /** True when the amount is exactly zero. */
  public boolean isZero() {
    return amount.signum() == 0;
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return amount.compareTo(other.amount);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency + " with " + other.currency + ": convert one amount first");
    }
  }

  /** Two amounts are equal when they compare equal, so {@code 1.0 USD} equals {@code 1.00 USD}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Money m && currency.equals(m.currency) && amount.compareTo(m.amount) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(amount.stripTrailingZeros(), currency);
  }

  /** For people: {@code $0.0042}, {@code $12.50}; at least two decimals, never rounded below a cent. */
  @Override
  public String toString() {
    BigDecimal shown = amount.scale() < 2 ? amount.setScale(2, RoundingMode.UNNECESSARY) : amount.stripTrailingZeros();
    if (shown.scale() < 2) {
      shown = shown.setScale(2, RoundingMode.UNNECESSARY);
    }
    return currency.equals(USD) ? "$" + shown.toPlainString() : shown.toPlainString() + " " + currency;
  }
}
