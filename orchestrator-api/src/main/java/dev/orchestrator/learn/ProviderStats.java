package dev.orchestrator.learn;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What one provider instance achieved on one task type: attempts, successes at the first try and after retries,
 * failures, failovers away from it, review scores, guard violations, latency, tokens and cost. Built by the engine
 * from the store's event stream; strategies read it. Immutable and thread-safe.
 *
 * <p><b>Weights.</b> Counts are <em>weighted</em>: with a half-life set, an outcome that happened one half-life
 * before {@link #asOf()} counts half as much as one that happened then, so recent behaviour counts more. Without a
 * half-life every weight is 1 and the counts are whole numbers. {@link #samples()} is never weighted: it is the
 * number of attempts seen, for minimum-sample rules. The latency percentiles come from the most recent attempts.
 *
 * <pre>{@code
 * ProviderStats s = ProviderStats.builder("claude", "code_generation")
 *     .samples(12).attempts(12).firstTrySuccesses(9).retrySuccesses(1).failures(2)
 *     .cost(Money.usd("0.40")).build();
 * s.successRate();     // 10 / 12
 * s.costPerSuccess();  // $0.04
 * }</pre>
 *
 * @since 0.1
 */
public final class ProviderStats {
  /** The number of review-score buckets: scores 0 to 10. */
  public static final int SCORE_BUCKETS = 11;

  private final String provider;
  private final String taskType;
  private final long samples;
  private final double attempts;
  private final double firstTrySuccesses;
  private final double retrySuccesses;
  private final double failures;
  private final double failovers;
  private final double reviews;
  private final double reviewScoreTotal;
  private final List<Double> reviewScores;
  private final double guardViolations;
  private final @Nullable Duration latencyP50;
  private final @Nullable Duration latencyP95;
  private final double tokens;
  private final Money cost;
  private final @Nullable Instant asOf;

  private ProviderStats(Builder b) {
    this.provider = b.provider;
    this.taskType = b.taskType;
    this.samples = b.samples;
    this.attempts = b.attempts;
    this.firstTrySuccesses = b.firstTrySuccesses;
    this.retrySuccesses = b.retrySuccesses;
    this.failures = b.failures;
    this.failovers = b.failovers;
    this.reviewScores = Collections.unmodifiableList(new ArrayList<>(b.reviewScores));
    double n = 0;
    double total = 0;
    for (int score = 0; score < SCORE_BUCKETS; score++) {
      n += b.reviewScores.get(score);
      total += score * b.reviewScores.get(score);
    }
    this.reviews = n;
    this.reviewScoreTotal = total;
    this.guardViolations = b.guardViolations;
    this.latencyP50 = b.latencyP50;
    this.latencyP95 = b.latencyP95;
    this.tokens = b.tokens;
    this.cost = b.cost;
    this.asOf = b.asOf;
  }

  /**
   * Starts the statistics of one provider instance on one task type, all counts zero.
   *
   * @throws IllegalArgumentException when a name is blank
   */
  public static Builder builder(String provider, String taskType) {
    return new Builder(checkName("provider", provider), checkName("taskType", taskType));
  }

  /** No outcomes yet for this provider instance and task type. */
  public static ProviderStats empty(String provider, String taskType) {
    return builder(provider, taskType).build();
  }

  /** A builder holding these values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The provider instance, as the project names it. */
  public String provider() {
    return provider;
  }

  /** The task type, such as {@code code_generation}. */
  public String taskType() {
    return taskType;
  }

  /** Attempts seen, not weighted: what minimum-sample rules count. */
  public long samples() {
    return samples;
  }

  /** Provider calls made (weighted), finished or not. */
  public double attempts() {
    return attempts;
  }

  /** Tasks it completed at their first attempt (weighted). */
  public double firstTrySuccesses() {
    return firstTrySuccesses;
  }

  /** Tasks it completed at a later attempt, after one or more retries (weighted). */
  public double retrySuccesses() {
    return retrySuccesses;
  }

  /** Every success, first try or not (weighted). */
  public double successes() {
    return firstTrySuccesses + retrySuccesses;
  }

  /**
   * Attempts that ended in an error or a rejection (weighted); failures that were not the provider's doing (budget,
   * cancellation, a prompt guard) are not counted.
   */
  public double failures() {
    return failures;
  }

  /** Attempts that ended, in success or failure (weighted). */
  public double outcomes() {
    return successes() + failures;
  }

  /** Times a task moved on from this provider to the next candidate after failing here (weighted). */
  public double failovers() {
    return failovers;
  }

  /** Successes over ended attempts, 0 to 1; 0 when nothing has ended yet (see {@link #outcomes()}). */
  public double successRate() {
    double n = outcomes();
    return n <= 0 ? 0 : successes() / n;
  }

  /** Reviews of its outputs (weighted). */
  public double reviews() {
    return reviews;
  }

  /** The mean review score, 0 to 10, or empty when no output of it was reviewed. */
  public OptionalDouble reviewScoreMean() {
    return reviews <= 0 ? OptionalDouble.empty() : OptionalDouble.of(reviewScoreTotal / reviews);
  }

  /**
   * The distribution of review scores: element {@code s} is the weighted number of reviews that scored {@code s},
   * for {@code s} from 0 to 10. An unmodifiable list of {@value #SCORE_BUCKETS} elements.
   */
  public List<Double> reviewScores() {
    return reviewScores;
  }

  /**
   * Quality, 0 to 1: the success rate times the mean review score over 10, or the success rate alone when no
   * output was reviewed. Every built-in strategy ranks providers by it.
   */
  public double quality() {
    OptionalDouble review = reviewScoreMean();
    return successRate() * (review.isPresent() ? review.getAsDouble() / 10.0 : 1.0);
  }

  /** Guard violations found in its outputs (weighted). */
  public double guardViolations() {
    return guardViolations;
  }

  /** The median time from a call's start to its end over the recent attempts, or null before any ended. */
  public @Nullable Duration latencyP50() {
    return latencyP50;
  }

  /** The 95th percentile time from a call's start to its end over the recent attempts, or null. */
  public @Nullable Duration latencyP95() {
    return latencyP95;
  }

  /** Tokens consumed by its successful calls (weighted). */
  public double tokens() {
    return tokens;
  }

  /** What its successful calls cost (weighted). */
  public Money cost() {
    return cost;
  }

  /**
   * What one success costs, the cost of its successful calls over their number; null before the first success.
   * Failed calls are not in it: a strategy that wants the price of a success counting retries divides by the
   * {@link #successRate()}.
   */
  public @Nullable Money costPerSuccess() {
    double n = successes();
    if (n <= 0) {
      return null;
    }
    return Money.usd(cost.amount().divide(BigDecimal.valueOf(n), MathContext.DECIMAL64));
  }

  /** The time the weights are relative to (the newest outcome folded in), or null when there is none. */
  public @Nullable Instant asOf() {
    return asOf;
  }

  private static String checkName(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was '" + value
          + "'): give the name the project uses");
    }
    return value;
  }

  private static double checkCount(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0 (was " + value
          + "): counts are weighted sums of outcomes");
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProviderStats s && provider.equals(s.provider) && taskType.equals(s.taskType)
        && samples == s.samples && attempts == s.attempts && firstTrySuccesses == s.firstTrySuccesses
        && retrySuccesses == s.retrySuccesses && failures == s.failures && failovers == s.failovers
        && reviewScores.equals(s.reviewScores) && guardViolations == s.guardViolations
        && Objects.equals(latencyP50, s.latencyP50) && Objects.equals(latencyP95, s.latencyP95)
        && tokens == s.tokens && cost.equals(s.cost) && Objects.equals(asOf, s.asOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, taskType, samples, attempts, firstTrySuccesses, retrySuccesses, failures,
        failovers, reviewScores, guardViolations, latencyP50, latencyP95, tokens, cost, asOf);
  }

  @Override
  public String toString() {
    return "ProviderStats[provider=" + provider + ", taskType=" + taskType + ", samples=" + samples + ", attempts="
        + attempts + ", firstTrySuccesses=" + firstTrySuccesses + ", retrySuccesses=" + retrySuccesses
        + ", failures=" + failures + ", failovers=" + failovers + ", reviewScores=" + reviewScores
        + ", guardViolations=" + guardViolations + ", latencyP50=" + latencyP50 + ", latencyP95=" + latencyP95
        + ", tokens=" + tokens + ", cost=" + cost + ", asOf=" + asOf + "]";
  }

  /**
   * Builds {@link ProviderStats}. Each setter checks its value at once: counts must be finite and not negative,
   * and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes statistics
   * already built.
   */
  public static final class Builder {
    private final String provider;
    private final String taskType;
    private long samples;
    private double attempts;
    private double firstTrySuccesses;
    private double retrySuccesses;
    private double failures;
    private double failovers;
    private final List<Double> reviewScores = new ArrayList<>(Collections.nCopies(SCORE_BUCKETS, 0.0));
    private double guardViolations;
    private @Nullable Duration latencyP50;
    private @Nullable Duration latencyP95;
    private double tokens;
    private Money cost = Money.ZERO;
    private @Nullable Instant asOf;

    private Builder(String provider, String taskType) {
      this.provider = provider;
      this.taskType = taskType;
    }

    private Builder(ProviderStats from) {
      this(from.provider, from.taskType);
      this.samples = from.samples;
      this.attempts = from.attempts;
      this.firstTrySuccesses = from.firstTrySuccesses;
      this.retrySuccesses = from.retrySuccesses;
      this.failures = from.failures;
      this.failovers = from.failovers;
      for (int i = 0; i < SCORE_BUCKETS; i++) {
        reviewScores.set(i, from.reviewScores.get(i));
      }
      this.guardViolations = from.guardViolations;
      this.latencyP50 = from.latencyP50;
      this.latencyP95 = from.latencyP95;
      this.tokens = from.tokens;
      this.cost = from.cost;
      this.asOf = from.asOf;
    }

    /**
     * Attempts seen, not weighted; 0 by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder samples(long samples) {
      if (samples < 0) {
        throw new IllegalArgumentException("samples must be >= 0 (was " + samples + "): count the attempts seen");
      }
      this.samples = samples;
      return this;
    }

    /** Provider calls made, weighted; 0 by default. */
    public Builder attempts(double attempts) {
      this.attempts = checkCount("attempts", attempts);
      return this;
    }

    /** Tasks completed at the first attempt, weighted; 0 by default. */
    public Builder firstTrySuccesses(double n) {
      this.firstTrySuccesses = checkCount("firstTrySuccesses", n);
      return this;
    }

    /** Tasks completed after retries, weighted; 0 by default. */
    public Builder retrySuccesses(double n) {
      this.retrySuccesses = checkCount("retrySuccesses", n);
      return this;
    }

    /** Attempts that failed, weighted; 0 by default. */
    public Builder failures(double n) {
      this.failures = checkCount("failures", n);
      return this;
    }

    /** Failovers away from the provider, weighted; 0 by default. */
    public Builder failovers(double n) {
      this.failovers = checkCount("failovers", n);
      return this;
    }

    /**
     * The weighted number of reviews that gave {@code score}; 0 for every score by default.
     *
     * @throws IllegalArgumentException when the score is not 0 to 10 or the weight is negative
     */
    public Builder reviewScore(int score, double weight) {
      if (score < 0 || score >= SCORE_BUCKETS) {
        throw new IllegalArgumentException("score must be 0 to 10 (was " + score + "): reviews score from 0 to 10");
      }
      reviewScores.set(score, checkCount("reviewScores[" + score + "]", weight));
      return this;
    }

    /** Guard violations in its outputs, weighted; 0 by default. */
    public Builder guardViolations(double n) {
      this.guardViolations = checkCount("guardViolations", n);
      return this;
    }

    /**
     * The median and 95th percentile latency; none by default, and nulls clear them.
     *
     * @throws IllegalArgumentException when one is negative, only one is given, or p95 is below p50
     */
    public Builder latency(@Nullable Duration p50, @Nullable Duration p95) {
      if ((p50 == null) != (p95 == null)) {
        throw new IllegalArgumentException("latency needs both percentiles or neither (was p50=" + p50 + ", p95="
            + p95 + ")");
      }
      if (p50 != null && p95 != null && (p50.isNegative() || p95.compareTo(p50) < 0)) {
        throw new IllegalArgumentException("latency must satisfy 0 <= p50 <= p95 (was p50=" + p50 + ", p95=" + p95
            + ")");
      }
      this.latencyP50 = p50;
      this.latencyP95 = p95;
      return this;
    }

    /** Tokens of its successful calls, weighted; 0 by default. */
    public Builder tokens(double tokens) {
      this.tokens = checkCount("tokens", tokens);
      return this;
    }

    /**
     * What its successful calls cost, weighted; zero by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder cost(Money cost) {
      Objects.requireNonNull(cost, "cost");
      if (cost.isNegative()) {
        throw new IllegalArgumentException("cost must not be negative (was " + cost + ")");
      }
      this.cost = cost;
      return this;
    }

    /** The time the weights are relative to; none by default, and null clears it. */
    public Builder asOf(@Nullable Instant asOf) {
      this.asOf = asOf;
      return this;
    }

    /** Builds the statistics; every value was checked when it was set. */
    public ProviderStats build() {
      return new ProviderStats(this);
    }
  }
}
