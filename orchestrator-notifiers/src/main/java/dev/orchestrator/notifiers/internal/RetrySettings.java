package dev.orchestrator.notifiers.internal;

import java.time.Duration;

/**
 * How deliveries are retried: up to {@code maxAttempts} sends, waiting from {@code initialDelay} doubling up to
 * {@code maxDelay}, or what the service asked for ({@code Retry-After}) when that is longer, capped at
 * {@code maxDelay}.
 */
public record RetrySettings(int maxAttempts, Duration initialDelay, Duration maxDelay) {
  /** Four attempts, 1 s to 1 min apart. */
  public static final RetrySettings DEFAULT = new RetrySettings(4, Duration.ofSeconds(1), Duration.ofMinutes(1));

  public RetrySettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 (was " + maxAttempts + ")");
    }
    if (initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("the initial retry delay must be positive (was " + initialDelay + ")");
    }
    if (maxDelay.compareTo(initialDelay) <= 0) {
      throw new IllegalArgumentException("the maximum retry delay must exceed the initial one (was " + maxDelay
          + " <= " + initialDelay + ")");
    }
  }
}
