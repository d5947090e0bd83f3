package dev.orchestrator.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * When a provider's circuit opens and how it recovers. The default is the roadmap's: 3 failures within 10 minutes
 * open it for 1 hour; then one probe call is let through; its success closes the circuit, its failure opens it
 * again. While open, no call is sent to the provider: its tasks fail over to another candidate or wait.
 *
 * @param failureThreshold failures within the window that open the circuit
 * @param window how far back failures count
 * @param openFor how long the circuit stays open before a probe
 * @param probes successful probes needed to close it again
 */
public record CircuitBreakerPolicy(int failureThreshold, Duration window, Duration openFor, int probes) {
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
  }

  /** 3 failures within 10 minutes open the circuit for 1 hour; one successful probe closes it. */
  public static CircuitBreakerPolicy ofDefaults() {
    return new CircuitBreakerPolicy(3, Duration.ofMinutes(10), Duration.ofHours(1), 1);
  }

  /** A breaker that never opens. */
  public static CircuitBreakerPolicy disabled() {
    return new CircuitBreakerPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
  }

  /** Whether this breaker can ever open. */
  public boolean enabled() {
    return failureThreshold != Integer.MAX_VALUE;
  }
}
