package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.util.List;
import java.util.Objects;

/**
 * A hard spending limit and the shares of it at which alerts fire. Immutable.
 *
 * <pre>{@code
 * orchestrator.setBudget(Budget.of(BudgetScope.project("quantum-self"), Money.usd("100")));
 * orchestrator.setBudget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("20")));
 * }</pre>
 *
 * @param scope what it limits
 * @param limit the most that may be spent (and reserved)
 * @param thresholds shares of the limit, strictly between 0 and 1, at which a {@code BudgetThresholdCrossedEvent}
 *     fires once per period; 0.5, 0.75 and 0.9 by default
 *
 * @since 0.1
 */
public record Budget(BudgetScope scope, Money limit, List<Double> thresholds) {
  /** The roadmap's alert levels: 50%, 75% and 90%. */
  public static final List<Double> DEFAULT_THRESHOLDS = List.of(0.5, 0.75, 0.9);

  public Budget {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative()) {
      throw new IllegalArgumentException("budget limit for " + scope + " must not be negative (was " + limit + ")");
    }
    thresholds = List.copyOf(thresholds);
    for (double t : thresholds) {
      if (!(t > 0 && t < 1)) {
        throw new IllegalArgumentException(
            "budget thresholds must be between 0 and 1, such as 0.75 for 75% (was " + t + ")");
      }
    }
    thresholds = thresholds.stream().sorted().distinct().toList();
  }

  /** A limit with the default alert thresholds. */
  public static Budget of(BudgetScope scope, Money limit) {
    return new Budget(scope, limit, DEFAULT_THRESHOLDS);
  }
}
