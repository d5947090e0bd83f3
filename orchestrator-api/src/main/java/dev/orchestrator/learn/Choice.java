package dev.orchestrator.learn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LearningStrategy} decided for one task: the provider to call first, the candidates to fail over to in
 * order, and why, in words a person reads in the run's events and in the dry run. Made with {@link #of(List, String)}
 * or {@link #of(String, List, String)}; the constructor is private, so strategies keep compiling when a choice
 * learns to say more. Immutable and thread-safe.
 *
 * <pre>{@code
 * Choice c = Choice.of(List.of("claude", "chatgpt"), "claude has the best quality for content_review (0.93)");
 * c.provider();  // "claude"
 * c.failover();  // ["chatgpt"]
 * }</pre>
 *
 * @since 0.1
 */
public final class Choice {
  private final String provider;
  private final List<String> failover;
  private final String reason;

  private Choice(String provider, List<String> failover, String reason) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.failover = List.copyOf(failover);
    this.reason = Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank (was '" + reason
          + "'): say in words why this provider was chosen");
    }
    Set<String> seen = new HashSet<>();
    seen.add(provider);
    for (String f : this.failover) {
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
      throw new IllegalArgumentException("ordered must name at least one provider (was []): give the candidates in "
          + "the order to try them");
    }
    return new Choice(ordered.get(0), ordered.subList(1, ordered.size()), reason);
  }

  /**
   * A choice of {@code provider}, then {@code failover} in order.
   *
   * @throws IllegalArgumentException when the failover repeats a name or contains the provider, or the reason is blank
   */
  public static Choice of(String provider, List<String> failover, String reason) {
    return new Choice(provider, failover, reason);
  }

  /** The provider instance to call first. */
  public String provider() {
    return provider;
  }

  /** The candidates to move to when it fails, in order; never containing {@link #provider()}. */
  public List<String> failover() {
    return failover;
  }

  /** Why, in words. */
  public String reason() {
    return reason;
  }

  /** Every candidate in the order to try them: {@link #provider()} first, then {@link #failover()}. */
  public List<String> ordered() {
    List<String> all = new ArrayList<>(failover.size() + 1);
    all.add(provider);
    all.addAll(failover);
    return List.copyOf(all);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Choice c && provider.equals(c.provider) && failover.equals(c.failover)
        && reason.equals(c.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, failover, reason);
  }

  @Override
  public String toString() {
    return "Choice[provider=" + provider + ", failover=" + failover + ", reason=" + reason + "]";
  }
}
