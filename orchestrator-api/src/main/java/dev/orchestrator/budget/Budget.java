package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A hard spending limit and the shares of it at which alerts fire. Create one with {@link #of} or
 * {@link #builder()}; the constructor is private, so callers keep compiling when settings are added. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * orchestrator.setBudget(Budget.of(BudgetScope.project("quantum-self"), Money.usd("100")));
 * orchestrator.setBudget(Budget.builder().scope(BudgetScope.providerDaily("claude")).limit(Money.usd("20"))
 *     .thresholds(List.of(0.8, 0.95)).build());
 * }</pre>
 *
 * @since 0.1
 */
public final class Budget {
  /** The roadmap's alert levels: 50%, 75% and 90%. */
  public static final List<Double> DEFAULT_THRESHOLDS = List.of(0.5, 0.75, 0.9);

  private final BudgetScope scope;
  private final Money limit;
  private final List<Double> thresholds;

  private Budget(Builder b) {
    if (b.scope == null) {
      throw new IllegalStateException("a budget needs a scope: call scope(BudgetScope.project(\"...\")) or another "
          + "BudgetScope factory");
    }
    if (b.limit == null) {
      throw new IllegalStateException("the budget for " + b.scope + " needs a limit: call limit(Money.usd(\"...\"))");
    }
    this.scope = b.scope;
    this.limit = b.limit;
    this.thresholds = b.thresholds;
  }

  /** A limit with the default alert thresholds. */
  public static Budget of(BudgetScope scope, Money limit) {
    return builder().scope(scope).limit(limit).build();
  }

  /** Starts a budget: scope and limit are required, thresholds default to {@link #DEFAULT_THRESHOLDS}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this budget's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** What it limits. */
  public BudgetScope scope() {
    return scope;
  }

  /** The most that may be spent (and reserved); never negative. */
  public Money limit() {
    return limit;
  }

  /**
   * Shares of the limit, strictly between 0 and 1, ascending and distinct, at which a
   * {@code BudgetThresholdCrossedEvent} fires once per period; 0.5, 0.75 and 0.9 by default.
   */
  public List<Double> thresholds() {
    return thresholds;
  }

  private static Money checkLimit(Money limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative()) {
      throw new IllegalArgumentException("budget limit must not be negative (was " + limit
          + "): give the most that may be spent, or zero to hold all spending back");
    }
    return limit;
  }

  private static List<Double> checkThresholds(List<Double> thresholds) {
    Objects.requireNonNull(thresholds, "thresholds");
    for (Double t : thresholds) {
      if (t == null || !(t > 0 && t < 1)) {
        throw new IllegalArgumentException(
            "budget thresholds must be between 0 and 1, such as 0.75 for 75% (was " + t + ")");
      }
    }
    return thresholds.stream().sorted().distinct().toList();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Budget b && scope.equals(b.scope) && limit.equals(b.limit) && thresholds.equals(b.thresholds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scope, limit, thresholds);
  }

  @Override
  public String toString() {
    return "Budget[scope=" + scope + ", limit=" + limit + ", thresholds=" + thresholds + "]";
  }

  /**
   * Builds a {@link Budget}. Each setter checks its value at once. Mutable and not thread-safe; reusing a builder
   * never changes a budget already built.
   */
  public static final class Builder {
    private @Nullable BudgetScope scope;
    private @Nullable Money limit;
    private List<Double> thresholds = DEFAULT_THRESHOLDS;

    private Builder() {}

    private Builder(Budget from) {
      this.scope = from.scope;
      this.limit = from.limit;
      this.thresholds = from.thresholds;
    }

    /** What it limits. Required. */
    public Builder scope(BudgetScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /**
     * The most that may be spent (and reserved). Required.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public Builder limit(Money limit) {
      this.limit = checkLimit(limit);
      return this;
    }

    /**
     * The shares of the limit at which alerts fire, in any order (kept sorted, duplicates dropped); empty for no
     * alerts; {@link #DEFAULT_THRESHOLDS} by default.
     *
     * @throws IllegalArgumentException when a share is not strictly between 0 and 1
     */
    public Builder thresholds(List<Double> thresholds) {
      this.thresholds = checkThresholds(thresholds);
      return this;
    }

    /**
     * Builds the budget.
     *
     * @throws IllegalStateException when the scope or the limit is missing
     */
    public Budget build() {
      return new Budget(this);
    }
  }
}
