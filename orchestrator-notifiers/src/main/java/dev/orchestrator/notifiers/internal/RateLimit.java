package dev.orchestrator.notifiers.internal;

import java.time.Duration;

/**
 * At most {@code messages} messages per {@code per} on one channel. Immutable.
 *
 * @param messages how many messages, at least 1
 * @param per the period, positive
 */
public record RateLimit(int messages, Duration per) {
  /** The default: 10 messages a minute. */
  public static final RateLimit DEFAULT = new RateLimit(10, Duration.ofMinutes(1));

  public RateLimit {
    if (messages < 1) {
      throw new IllegalArgumentException("rate_limit.messages must be >= 1 (was " + messages + ")");
    }
    if (per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("rate_limit.per must be positive (was " + per + ")");
    }
  }
}
