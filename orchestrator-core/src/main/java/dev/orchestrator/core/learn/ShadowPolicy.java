package dev.orchestrator.core.learn;

import dev.orchestrator.Money;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Shadow evaluation: on a sample of the tasks that succeed, a cheaper candidate also answers the same prompt and a
 * judge says which answer is better; a challenger that wins {@code wins} of its last {@code comparisons} comparisons
 * on a task type is promoted for it (the built-in strategies then put it first). The task keeps its own output.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ShadowPolicy.builder().sampleRate(0.1).seed(42).promoteAfter(4, 5).maxCostPerComparison(Money.usd("0.05"))
 *     .judge("claude").build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ShadowPolicy {
  private final double sampleRate;
  private final long seed;
  private final int wins;
  private final int comparisons;
  private final @Nullable Money maxCostPerComparison;
  private final @Nullable String judge;

  private ShadowPolicy(Builder b) {
    this.sampleRate = b.sampleRate;
    this.seed = b.seed;
    this.wins = b.wins;
    this.comparisons = b.comparisons;
    this.maxCostPerComparison = b.maxCostPerComparison;
    this.judge = b.judge;
  }

  /** Starts a policy: sample rate 0.1, seed 0, promotion after 3 wins of the last 5, no cost cap, no judge. */
  public static Builder builder() {
    return new Builder();
  }

  /** The share of successful tasks compared, 0 to 1. */
  public double sampleRate() {
    return sampleRate;
  }

  /** The seed of the sampling and of the order the judge sees the answers in. */
  public long seed() {
    return seed;
  }

  /** The wins among the last {@link #comparisons()} that promote a challenger. */
  public int wins() {
    return wins;
  }

  /** How many of a challenger's latest comparisons on a type count. */
  public int comparisons() {
    return comparisons;
  }

  /** The most a comparison (the challenger's call and the judge's, at their worst case) may cost, or null. */
  public @Nullable Money maxCostPerComparison() {
    return maxCostPerComparison;
  }

  /** The provider instance that judges tasks without a reviewer, or null: those are not compared. */
  public @Nullable String judge() {
    return judge;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ShadowPolicy[sampleRate=%s, seed=%d, promote=%d of %d, maxCost=%s, judge=%s]",
        sampleRate, seed, wins, comparisons, maxCostPerComparison, judge);
  }

  /** Builds a {@link ShadowPolicy}. Mutable and not thread-safe. */
  public static final class Builder {
    private double sampleRate = 0.1;
    private long seed;
    private int wins = 3;
    private int comparisons = 5;
    private @Nullable Money maxCostPerComparison;
    private @Nullable String judge;

    private Builder() {}

    /**
     * The share of successful tasks compared, from 0 (never) to 1 (every one).
     *
     * @throws IllegalArgumentException when not 0 to 1
     */
    public Builder sampleRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("sampleRate must be from 0 to 1 (was " + rate
            + "): give a share such as 0.1 to compare one task in ten");
      }
      this.sampleRate = rate;
      return this;
    }

    /** The seed of the sampling and of the answers' order: the same seed and the same tasks compare alike. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * A challenger that wins {@code wins} of its last {@code comparisons} comparisons on a type is promoted for it.
     *
     * @throws IllegalArgumentException when {@code wins} is below 1 or above {@code comparisons}
     */
    public Builder promoteAfter(int wins, int comparisons) {
      if (wins < 1 || wins > comparisons) {
        throw new IllegalArgumentException("promoteAfter needs 1 <= wins <= comparisons (was " + wins + " of "
            + comparisons + "): give, say, 3 of 5");
      }
      this.wins = wins;
      this.comparisons = comparisons;
      return this;
    }

    /**
     * The promotion rule as configuration files write it: {@code "3 of 5"} is {@code promoteAfter(3, 5)}.
     *
     * @throws IllegalArgumentException when it does not read "N of M" with 1 <= N <= M
     */
    public Builder promoteAfter(String rule) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,6})\\s+of\\s+(\\d{1,6})\\s*")
          .matcher(Objects.requireNonNull(rule, "rule"));
      if (!m.matches()) {
        throw new IllegalArgumentException("must read 'N of M', such as \"3 of 5\" (was '" + rule + "')");
      }
      return promoteAfter(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * The most one comparison may cost at its worst case (the challenger's call and the judge's); a comparison
     * that could cost more is not made. None by default: the budgets alone limit it.
     */
    public Builder maxCostPerComparison(@Nullable Money cap) {
      this.maxCostPerComparison = cap;
      return this;
    }

    /**
     * The provider instance that judges the tasks without a reviewer (a task with one is judged by its first
     * reviewer). It never judges its own answer: such a comparison is not made. None by default.
     */
    public Builder judge(@Nullable String provider) {
      if (provider != null && provider.isBlank()) {
        throw new IllegalArgumentException("judge must name a provider instance (was blank): give its name, or null"
            + " to compare only tasks with a reviewer");
      }
      this.judge = provider;
      return this;
    }

    /** Builds the policy. */
    public ShadowPolicy build() {
      return new ShadowPolicy(this);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ShadowPolicy p && sampleRate == p.sampleRate && seed == p.seed && wins == p.wins
        && comparisons == p.comparisons && Objects.equals(maxCostPerComparison, p.maxCostPerComparison)
        && Objects.equals(judge, p.judge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, seed, wins, comparisons, maxCostPerComparison, judge);
  }
}
