package dev.orchestrator.learn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link LearningStrategy} decided for one task: the provider to call first, the candidates to fail over to in
 * order, and why, in words a person reads in the run's events and in the dry run. Immutable and thread-safe.
 *
 * <pre>{@code
 * Choice c = Choice.of(List.of("claude", "chatgpt"), "claude has the best quality for content_review (0.93)");
 * c.provider();  // "claude"
 * c.failover();  // ["chatgpt"]
 * }</pre>
 *
 * @param provider the provider instance to call first
 * @param failover the candidates to move to when it fails, in order; never containing {@code provider}
 * @param reason why, in words
 * @since 0.1
 */
public record Choice(String provider, List<String> failover, String reason) {
  public Choice {
    Objects.requireNonNull(provider, "provider");
    failover = List.copyOf(failover);
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank (was '" + reason
          + "'): say in words why this provider was chosen");
    }
    Set<String> seen = new HashSet<>();
    seen.add(provider);
    for (String f : failover) {
      if (!seen.add(f)) {
        throw new IllegalArgumentException("failover must not repeat a provider or contain the chosen one (was "
            + provider + " then " + failover + "): list each candidate once");
      }
    }
  }

  /**
   * A choice from the candidates in the order to try them: the first is called, the others are the failover.
   *
   * @throws IllegalArgumentException when {@code ordered} is empty or repeats a name, or the reason is blank
   */
  public static Choice of(List<String> ordered, String reason) {
    if (ordered.isEmpty()) {
      throw new IllegalArgumentException("ordered must name at least one provider (was [])");
    }
    return new Choice(ordered.get(0), ordered.subList(1, ordered.size()), reason);
  }

  /** Every candidate in the order to try them: {@link #provider()} first, then {@link #failover()}. */
  public List<String> ordered() {
    List<String> all = new ArrayList<>(failover.size() + 1);
    all.add(provider);
    all.addAll(failover);
    return List.copyOf(all);
  }
}
