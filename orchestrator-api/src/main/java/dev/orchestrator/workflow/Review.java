package dev.orchestrator.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Peer review of a task's output by another provider. After the author's output, a reviewer returns a verdict
 * (approved or not, a score from 0 to 10, concrete feedback) as JSON; a rejection sends the feedback back to the
 * author for a revision, up to {@link #maxRounds()} reviews in all. Every round is recorded in the task's attempts,
 * and every review call goes through the same budgets, limits and retries as any call.
 *
 * <p>Create one with {@link #by} (one reviewer, the defaults) or {@link #builder()}; the constructor is private, so
 * workflows keep compiling when a review learns more. Immutable and thread-safe; two reviews are equal when every
 * value is equal.
 *
 * <pre>{@code
 * Review review = Review.builder()
 *     .reviewers("claude", "chatgpt").criteria("Is the tone friendly? Are the facts sourced?")
 *     .maxRounds(2).minScore(8)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Review {
  /** The rounds of a review that sets none. */
  public static final int DEFAULT_MAX_ROUNDS = 3;
  /** The passing score of a review that sets none. */
  public static final int DEFAULT_MIN_SCORE = 7;

  private final List<String> reviewers;
  private final String criteria;
  private final int maxRounds;
  private final int minScore;

  private Review(Builder b) {
    if (b.reviewers.isEmpty()) {
      throw new IllegalStateException("a review needs at least one reviewer provider: call reviewers(\"claude\")");
    }
    if (b.criteria == null) {
      throw new IllegalStateException("review criteria are required: call criteria(...) with what the reviewer"
          + " checks");
    }
    this.reviewers = b.reviewers;
    this.criteria = b.criteria;
    this.maxRounds = b.maxRounds;
    this.minScore = b.minScore;
  }

  /**
   * A review by one provider, up to {@value #DEFAULT_MAX_ROUNDS} rounds, approving at a score of
   * {@value #DEFAULT_MIN_SCORE} or more.
   *
   * @throws IllegalArgumentException when the reviewer or the criteria are blank
   */
  public static Review by(String reviewer, String criteria) {
    return builder().reviewers(reviewer).criteria(criteria).build();
  }

  /**
   * Starts a review: reviewers and criteria are required; {@value #DEFAULT_MAX_ROUNDS} rounds, approving at
   * {@value #DEFAULT_MIN_SCORE}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this review's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The provider instances that may review, in order of preference (lower case). */
  public List<String> reviewers() {
    return reviewers;
  }

  /** What the reviewer checks, in words. */
  public String criteria() {
    return criteria;
  }

  /** The most reviews; after that many rejections the task fails. */
  public int maxRounds() {
    return maxRounds;
  }

  /** The lowest score that counts as approval, 0 to 10. */
  public int minScore() {
    return minScore;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Review r && reviewers.equals(r.reviewers) && criteria.equals(r.criteria)
        && maxRounds == r.maxRounds && minScore == r.minScore;
  }

  @Override
  public int hashCode() {
    return Objects.hash(reviewers, criteria, maxRounds, minScore);
  }

  @Override
  public String toString() {
    return "Review[reviewers=" + reviewers + ", criteria=" + criteria + ", maxRounds=" + maxRounds + ", minScore="
        + minScore + "]";
  }

  /**
   * Builds a {@link Review}. Each setter checks its value at once: a null throws {@link NullPointerException} naming
   * the setting, a bad value {@link IllegalArgumentException} naming the setting and the value, and a refused value
   * is never kept; {@link #build()} names a required value that was not given. Mutable and not thread-safe; reusing a
   * builder never changes a review already built.
   */
  public static final class Builder {
    private List<String> reviewers = List.of();
    private @Nullable String criteria;
    private int maxRounds = DEFAULT_MAX_ROUNDS;
    private int minScore = DEFAULT_MIN_SCORE;

    private Builder() {}

    private Builder(Review from) {
      this.reviewers = from.reviewers;
      this.criteria = from.criteria;
      this.maxRounds = from.maxRounds;
      this.minScore = from.minScore;
    }

    /**
     * The provider instances that may review, in order of preference; required. Names are trimmed and lower-cased.
     *
     * @throws IllegalArgumentException when there is none, or a name is blank
     */
    public Builder reviewers(String... reviewers) {
      return reviewers(List.of(Objects.requireNonNull(reviewers, "reviewers")));
    }

    /**
     * The provider instances that may review, in order of preference; required. Names are trimmed and lower-cased.
     *
     * @throws IllegalArgumentException when there is none, or a name is blank
     */
    public Builder reviewers(List<String> reviewers) {
      Objects.requireNonNull(reviewers, "reviewers");
      if (reviewers.isEmpty()) {
        throw new IllegalArgumentException("reviewers must not be empty: a review needs at least one reviewer"
            + " provider, such as 'claude'");
      }
      List<String> names = new ArrayList<>(reviewers.size());
      for (String r : reviewers) {
        Objects.requireNonNull(r, "reviewers");
        if (r.isBlank()) {
          throw new IllegalArgumentException("reviewers must not hold a blank name (was " + reviewers
              + "): name provider instances, such as 'claude'");
        }
        names.add(r.trim().toLowerCase(Locale.ROOT));
      }
      this.reviewers = List.copyOf(names);
      return this;
    }

    /**
     * What the reviewer checks, in words; required.
     *
     * @throws IllegalArgumentException when the criteria are blank
     */
    public Builder criteria(String criteria) {
      Objects.requireNonNull(criteria, "criteria");
      if (criteria.isBlank()) {
        throw new IllegalArgumentException("criteria must not be blank (was '" + criteria
            + "'): say what the reviewer checks");
      }
      this.criteria = criteria;
      return this;
    }

    /**
     * The most reviews; after that many rejections the task fails. {@value #DEFAULT_MAX_ROUNDS} by default.
     *
     * @throws IllegalArgumentException when {@code maxRounds < 1}
     */
    public Builder maxRounds(int maxRounds) {
      if (maxRounds < 1) {
        throw new IllegalArgumentException("maxRounds must be >= 1 (was " + maxRounds
            + "): give the most reviews before the task fails");
      }
      this.maxRounds = maxRounds;
      return this;
    }

    /**
     * The lowest score that counts as approval; {@value #DEFAULT_MIN_SCORE} by default.
     *
     * @throws IllegalArgumentException when the score is outside 0..10
     */
    public Builder minScore(int minScore) {
      if (minScore < 0 || minScore > 10) {
        throw new IllegalArgumentException("minScore must be within 0..10 (was " + minScore
            + "): reviewers score from 0 to 10");
      }
      this.minScore = minScore;
      return this;
    }

    /**
     * The review.
     *
     * @throws IllegalStateException when no reviewer or no criteria were given
     */
    public Review build() {
      return new Review(this);
    }
  }
}
