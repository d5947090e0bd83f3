package dev.orchestrator.templates;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A review of a task's output by another provider before the task counts as done ({@code "review": "claude"} or
 * {@code "review": {"by": ["claude", "gemini"], "instructions": "Check the facts"}}). Immutable and thread-safe.
 *
 * @param providers the reviewing provider instances, in order of preference (lower case), never empty
 * @param instructions what the reviewer should check, with {@code {{parameter}}} placeholders, or null for
 *     {@link #DEFAULT_INSTRUCTIONS}
 */
public record TaskReview(List<String> providers, @Nullable String instructions) {
  /** What a reviewer checks when the template says nothing more. */
  public static final String DEFAULT_INSTRUCTIONS =
      "The answer does what the task asks, completely and correctly, and reads well.";

  public TaskReview {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("a review needs at least one provider in 'by', such as \"claude\"");
    }
    if (instructions != null && instructions.isBlank()) {
      throw new IllegalArgumentException("review instructions must not be blank: leave them out or say what to check");
    }
  }

  /** A review by one provider with no particular instructions. */
  public static TaskReview by(String provider) {
    return new TaskReview(List.of(Objects.requireNonNull(provider, "provider")), null);
  }
}
