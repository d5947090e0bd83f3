package dev.orchestrator.policy;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A provider's circuit breaker at one moment.
 *
 * @param provider the provider instance
 * @param state closed, open or half-open
 * @param recentFailures failures within the policy's window
 * @param openedAt when it last opened, or null
 * @param probeAt when an open circuit lets a probe through, or null when not open
 * @param paused whether the provider was paused by hand
 * @param pauseReason why, or null
 * @since 0.1
 */
public record CircuitState(String provider, State state, int recentFailures, @Nullable Instant openedAt,
    @Nullable Instant probeAt, boolean paused, @Nullable String pauseReason) {
  /** The three states of a circuit. */
  public enum State {
    /** Calls flow. */
    CLOSED,
    /** No call is sent. */
    OPEN,
    /** One probe call at a time is let through. */
    HALF_OPEN
  }
}
