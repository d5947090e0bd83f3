package dev.orchestrator.spi.provider;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's estimate of a request, without calling it.
 *
 * @param expectedUsage the tokens it expects to use
 * @param low the cost if the reply is short
 * @param expected the most likely cost
 * @param high the worst case: the whole input plus the maximum output tokens; budgets reserve this
 * @param expectedDuration how long the call is likely to take
 * @param unknown why the cost cannot be bounded before the call (a model without a price, an agent that reports its
 *     own cost and has no per-call cap), or null when {@code high} is a true upper bound. An unknown estimate has
 *     zero amounts; the engine refuses to start a budgeted task on it and the dry run lists it.
 *
 * @since 0.1
 */
public record CostEstimate(TokenUsage expectedUsage, Money low, Money expected, Money high, Duration expectedDuration,
    @Nullable String unknown) {
  public CostEstimate {
    Objects.requireNonNull(expectedUsage, "expectedUsage");
    Objects.requireNonNull(low, "low");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(high, "high");
    Objects.requireNonNull(expectedDuration, "expectedDuration");
    if (low.isNegative() || low.compareTo(expected) > 0 || expected.compareTo(high) > 0) {
      throw new IllegalArgumentException(
          "cost estimate must satisfy 0 <= low <= expected <= high (was " + low + ", " + expected + ", " + high + ")");
    }
    if (unknown != null && !high.isZero()) {
      throw new IllegalArgumentException("an unknown cost estimate has zero amounts (was high=" + high + ")");
    }
  }

  /** A bounded estimate: {@code high} is the most the call can cost. */
  public CostEstimate(TokenUsage expectedUsage, Money low, Money expected, Money high, Duration expectedDuration) {
    this(expectedUsage, low, expected, high, expectedDuration, null);
  }

  /**
   * An estimate of a call whose cost cannot be bounded in advance.
   *
   * @param why what is missing and how to fix it, such as "model 'x' has no price: set price.input and price.output"
   */
  public static CostEstimate unknown(String why, Duration expectedDuration) {
    return new CostEstimate(TokenUsage.NONE, Money.ZERO, Money.ZERO, Money.ZERO, expectedDuration,
        Objects.requireNonNull(why, "why"));
  }

  /** Whether {@link #high} bounds the call's cost. */
  public boolean isKnown() {
    return unknown == null;
  }

  /** An estimate for a call that costs nothing and takes no time. */
  public static CostEstimate free() {
    return new CostEstimate(TokenUsage.NONE, Money.ZERO, Money.ZERO, Money.ZERO, Duration.ZERO);
  }
}
