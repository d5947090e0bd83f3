package dev.orchestrator.spi.provider;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * A provider's estimate of a request, without calling it.
 *
 * @param expectedUsage the tokens it expects to use
 * @param low the cost if the reply is short
 * @param expected the most likely cost
 * @param high the worst case: the whole input plus the maximum output tokens; budgets reserve this
 * @param expectedDuration how long the call is likely to take
 */
public record CostEstimate(TokenUsage expectedUsage, Money low, Money expected, Money high, Duration expectedDuration) {
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
  }

  /** An estimate for a call that costs nothing and takes no time. */
  public static CostEstimate free() {
    return new CostEstimate(TokenUsage.NONE, Money.ZERO, Money.ZERO, Money.ZERO, Duration.ZERO);
  }
}
