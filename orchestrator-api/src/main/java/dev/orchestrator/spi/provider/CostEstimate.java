package dev.orchestrator.spi.provider;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's estimate of a request, without calling it. Create one with {@link #of} (a bounded estimate),
 * {@link #unknown} (a cost nothing bounds), {@link #free()} or {@link #builder()}; the constructor is private, so
 * plugins keep compiling when an estimate learns more. Immutable and thread-safe.
 *
 * <pre>{@code
 * CostEstimate estimate = CostEstimate.builder()
 *     .expectedUsage(TokenUsage.of(1200, 400))
 *     .low(Money.usd("0.001")).expected(Money.usd("0.004")).high(Money.usd("0.02"))
 *     .expectedDuration(Duration.ofSeconds(3))
 *     .build();
 * }</pre>
 *
 * <p>The amounts are never negative and always satisfy {@code low <= expected <= high}. Two estimates are equal when
 * every value is equal (amounts compare by value).
 *
 * @since 0.1
 */
public final class CostEstimate {
  private static final CostEstimate FREE = builder().build();

  private final TokenUsage expectedUsage;
  private final Money low;
  private final Money expected;
  private final Money high;
  private final Duration expectedDuration;
  private final @Nullable String unknown;

  private CostEstimate(Builder b) {
    if (b.low.compareTo(b.expected) > 0 || b.expected.compareTo(b.high) > 0) {
      throw new IllegalArgumentException("cost estimate must satisfy low <= expected <= high (was low=" + b.low
          + ", expected=" + b.expected + ", high=" + b.high + "): give the amounts in that order");
    }
    if (b.unknown != null && !b.high.isZero()) {
      throw new IllegalArgumentException("an unknown cost estimate has zero amounts (was high=" + b.high
          + "): leave the amounts out, or clear unknown when high bounds the call");
    }
    this.expectedUsage = b.expectedUsage;
    this.low = b.low;
    this.expected = b.expected;
    this.high = b.high;
    this.expectedDuration = b.expectedDuration;
    this.unknown = b.unknown;
  }

  /**
   * A bounded estimate: {@code high} is the most the call can cost.
   *
   * @throws IllegalArgumentException when an amount or the duration is negative, or the amounts are not in the order
   *     {@code low <= expected <= high}
   */
  public static CostEstimate of(TokenUsage expectedUsage, Money low, Money expected, Money high,
      Duration expectedDuration) {
    return builder().expectedUsage(expectedUsage).low(low).expected(expected).high(high)
        .expectedDuration(expectedDuration).build();
  }

  /**
   * An estimate of a call whose cost cannot be bounded in advance.
   *
   * @param why what is missing and how to fix it, such as "model 'x' has no price: set price.input and price.output"
   * @throws IllegalArgumentException when {@code why} is blank or the duration is negative
   */
  public static CostEstimate unknown(String why, Duration expectedDuration) {
    return builder().unknown(Objects.requireNonNull(why, "why")).expectedDuration(expectedDuration).build();
  }

  /** An estimate for a call that costs nothing and takes no time. */
  public static CostEstimate free() {
    return FREE;
  }

  /** Starts an estimate: no tokens, zero amounts, no time, bounded. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this estimate's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The tokens it expects to use. */
  public TokenUsage expectedUsage() {
    return expectedUsage;
  }

  /** The cost if the reply is short. */
  public Money low() {
    return low;
  }

  /** The most likely cost. */
  public Money expected() {
    return expected;
  }

  /** The worst case: the whole input plus the maximum output tokens; budgets reserve this. */
  public Money high() {
    return high;
  }

  /** How long the call is likely to take. */
  public Duration expectedDuration() {
    return expectedDuration;
  }

  /**
   * Why the cost cannot be bounded before the call (a model without a price, an agent that reports its own cost and
   * has no per-call cap), or null when {@link #high} is a true upper bound. An unknown estimate has zero amounts; the
   * engine refuses to start a budgeted task on it and the dry run lists it.
   */
  public @Nullable String unknown() {
    return unknown;
  }

  /** Whether {@link #high} bounds the call's cost. */
  public boolean isKnown() {
    return unknown == null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CostEstimate e && expectedUsage.equals(e.expectedUsage) && low.equals(e.low)
        && expected.equals(e.expected) && high.equals(e.high) && expectedDuration.equals(e.expectedDuration)
        && Objects.equals(unknown, e.unknown);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expectedUsage, low, expected, high, expectedDuration, unknown);
  }

  @Override
  public String toString() {
    return "CostEstimate[expectedUsage=" + expectedUsage + ", low=" + low + ", expected=" + expected + ", high="
        + high + ", expectedDuration=" + expectedDuration + ", unknown=" + unknown + "]";
  }

  private static Money amount(Money amount, String name) {
    Objects.requireNonNull(amount, name);
    if (amount.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative (was " + amount
          + "): give what the call would cost, or Money.ZERO");
    }
    return amount;
  }

  /**
   * Builds a {@link CostEstimate}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept; {@link #build()} checks the order of the amounts. Mutable and
   * not thread-safe; reusing a builder never changes an estimate already built.
   */
  public static final class Builder {
    private TokenUsage expectedUsage = TokenUsage.NONE;
    private Money low = Money.ZERO;
    private Money expected = Money.ZERO;
    private Money high = Money.ZERO;
    private Duration expectedDuration = Duration.ZERO;
    private @Nullable String unknown;

    private Builder() {}

    private Builder(CostEstimate from) {
      this.expectedUsage = from.expectedUsage;
      this.low = from.low;
      this.expected = from.expected;
      this.high = from.high;
      this.expectedDuration = from.expectedDuration;
      this.unknown = from.unknown;
    }

    /** The tokens the call is expected to use; none by default. */
    public Builder expectedUsage(TokenUsage expectedUsage) {
      this.expectedUsage = Objects.requireNonNull(expectedUsage, "expectedUsage");
      return this;
    }

    /**
     * The cost if the reply is short; zero by default.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public Builder low(Money low) {
      this.low = amount(low, "low");
      return this;
    }

    /**
     * The most likely cost; zero by default.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public Builder expected(Money expected) {
      this.expected = amount(expected, "expected");
      return this;
    }

    /**
     * The most the call can cost; zero by default. Budgets reserve it.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public Builder high(Money high) {
      this.high = amount(high, "high");
      return this;
    }

    /**
     * How long the call is likely to take; zero by default.
     *
     * @throws IllegalArgumentException when the duration is negative
     */
    public Builder expectedDuration(Duration expectedDuration) {
      Objects.requireNonNull(expectedDuration, "expectedDuration");
      if (expectedDuration.isNegative()) {
        throw new IllegalArgumentException("expectedDuration must not be negative (was " + expectedDuration
            + "): give how long the call is likely to take, or Duration.ZERO");
      }
      this.expectedDuration = expectedDuration;
      return this;
    }

    /**
     * Why the cost cannot be bounded before the call, which makes the estimate unknown (its amounts must stay zero);
     * none by default, and null clears it.
     *
     * @throws IllegalArgumentException when the reason is blank
     */
    public Builder unknown(@Nullable String why) {
      if (why != null && why.isBlank()) {
        throw new IllegalArgumentException("unknown must not be blank (was '" + why
            + "'): say what is missing and how to fix it, such as \"model 'x' has no price: set price.input\"");
      }
      this.unknown = why;
      return this;
    }

    /**
     * The estimate.
     *
     * @throws IllegalArgumentException when the amounts are not in the order {@code low <= expected <= high}, or an
     *     unknown estimate has a non-zero amount
     */
    public CostEstimate build() {
      return new CostEstimate(this);
    }
  }
}
