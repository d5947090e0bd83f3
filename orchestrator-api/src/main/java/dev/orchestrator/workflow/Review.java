package dev.orchestrator.workflow;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Peer review of a task's output by another provider. After the author's output, a reviewer returns a verdict
 * (approved or not, a score from 0 to 10, concrete feedback) as JSON; a rejection sends the feedback back to the
 * author for a revision, up to {@code maxRounds} reviews in all. Every round is recorded in the task's attempts, and
 * every review call goes through the same budgets, limits and retries as any call.
 *
 * @param reviewers the provider instances that may review, in order of preference (lower case)
 * @param criteria what the reviewer checks, in words
 * @param maxRounds the most reviews; after that many rejections the task fails
 * @param minScore the lowest score that counts as approval, 0 to 10
 * @since 0.1
 */
public record Review(List<String> reviewers, String criteria, int maxRounds, int minScore) {
  public Review {
    reviewers = reviewers.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
    if (reviewers.isEmpty()) {
      throw new IllegalArgumentException("a review needs at least one reviewer provider, such as 'claude'");
    }
    Objects.requireNonNull(criteria, "criteria");
    if (criteria.isBlank()) {
      throw new IllegalArgumentException("review criteria must not be blank: say what the reviewer checks");
    }
    if (maxRounds < 1) {
      throw new IllegalArgumentException("review maxRounds must be >= 1 (was " + maxRounds + ")");
    }
    if (minScore < 0 || minScore > 10) {
      throw new IllegalArgumentException("review minScore must be within 0..10 (was " + minScore + ")");
    }
  }

  /** A review by one provider, up to 3 rounds, approving at a score of 7 or more. */
  public static Review by(String reviewer, String criteria) {
    return new Review(List.of(reviewer), criteria, 3, 7);
  }
}
