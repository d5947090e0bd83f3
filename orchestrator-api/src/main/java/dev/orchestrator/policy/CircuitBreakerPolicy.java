package dev.orchestrator.policy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a provider's circuit opens and how it recovers, the roadmap's story: after 3 failures within 10 minutes stop
 * sending, test, resume. Open, no call is sent to the provider (its tasks fail over to another candidate or wait);
 * after {@code openFor} one probe call is let through; its success closes the circuit, its failure opens it again for
 * twice as long as the last time, up to {@code maxOpenFor}. By default the first test comes after 30 seconds, so a
 * provider back from a short outage is used again within a minute, and one that stays down is tried less and less
 * often, at most an hour apart.
 *
 * @param failureThreshold failures within the window that open the circuit
 * @param window how far back failures count
 * @param openFor how long the circuit stays open before the first probe
 * @param probes successful probes needed to close it again
 * @param maxOpenFor the longest it stays open: each failed probe doubles the time before the next one, up to this
 */
public record CircuitBreakerPolicy(int failureThreshold, Duration window, Duration openFor, int probes,
    Duration maxOpenFor) {
  public CircuitBreakerPolicy {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1 (was " + failureThreshold + ")");
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(openFor, "openFor");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive (was " + window + ")");
    }
    if (openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("openFor must be positive (was " + openFor + ")");
    }
    if (probes < 1) {
      throw new IllegalArgumentException("probes must be >= 1 (was " + probes + ")");
    }
    Objects.requireNonNull(maxOpenFor, "maxOpenFor");
    if (maxOpenFor.compareTo(openFor) < 0) {
      throw new IllegalArgumentException("maxOpenFor must be at least openFor (was " + maxOpenFor + ", openFor "
          + openFor + "): it caps how long the circuit stays open after failed probes");
    }
  }

  /** A breaker that stays open for {@code openFor} every time (the time before a probe does not grow). */
  public CircuitBreakerPolicy(int failureThreshold, Duration window, Duration openFor, int probes) {
    this(failureThreshold, window, openFor, probes, openFor);
  }

  /**
   * 3 failures within 10 minutes open the circuit for 30 seconds, then for 1, 2, 4 ... minutes after each failed
   * probe, at most 1 hour; one successful probe closes it.
   */
  public static CircuitBreakerPolicy ofDefaults() {
    return new CircuitBreakerPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(30), 1, Duration.ofHours(1));
  }

  /** A breaker that never opens. */
  public static CircuitBreakerPolicy disabled() {
    return new CircuitBreakerPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
  }

  /**
   * How long the circuit stays open when a probe fails after it was last open for {@code lastOpenFor}: twice as long,
   * at least {@link #openFor} and at most {@link #maxOpenFor}; {@link #openFor} when the last time is unknown.
   */
  public Duration reopenFor(@Nullable Duration lastOpenFor) {
    if (lastOpenFor == null || lastOpenFor.compareTo(openFor) < 0) {
      return openFor;
    }
    Duration doubled = lastOpenFor.compareTo(maxOpenFor) >= 0 ? maxOpenFor : lastOpenFor.multipliedBy(2);
    return doubled.compareTo(maxOpenFor) > 0 ? maxOpenFor : doubled;
  }

  /** Whether this breaker can ever open. */
  public boolean enabled() {
    return failureThreshold != Integer.MAX_VALUE;
  }
}
