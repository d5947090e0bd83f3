package dev.orchestrator.policy;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's circuit breaker at one moment. Create one with {@link #builder()}; the constructor is private, so
 * callers keep compiling when details are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * CircuitState open = CircuitState.builder().provider("claude").state(CircuitState.State.OPEN).recentFailures(5)
 *     .openedAt(now).probeAt(now.plusSeconds(60)).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class CircuitState {
  private final String provider;
  private final State state;
  private final int recentFailures;
  private final @Nullable Instant openedAt;
  private final @Nullable Instant probeAt;
  private final boolean paused;
  private final @Nullable String pauseReason;

  /** The three states of a circuit. */
  public enum State {
    /** Calls flow. */
    CLOSED,
    /** No call is sent. */
    OPEN,
    /** One probe call at a time is let through. */
    HALF_OPEN
  }

  private CircuitState(Builder b) {
    if (b.provider == null) {
      throw new IllegalStateException("a circuit state needs a provider: call provider(\"claude\")");
    }
    this.provider = b.provider;
    this.state = b.state;
    this.recentFailures = b.recentFailures;
    this.openedAt = b.openedAt;
    this.probeAt = b.probeAt;
    this.paused = b.paused;
    this.pauseReason = b.pauseReason;
  }

  /**
   * Starts a circuit state: the provider is required; closed, no recent failures, never opened, not paused.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this state's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The provider instance. */
  public String provider() {
    return provider;
  }

  /** Closed, open or half-open. */
  public State state() {
    return state;
  }

  /** Failures within the policy's window. */
  public int recentFailures() {
    return recentFailures;
  }

  /** When it last opened, or null. */
  public @Nullable Instant openedAt() {
    return openedAt;
  }

  /** When an open circuit lets a probe through, or null when not open. */
  public @Nullable Instant probeAt() {
    return probeAt;
  }

  /** Whether the provider was paused by hand. */
  public boolean paused() {
    return paused;
  }

  /** Why the provider was paused, or null. */
  public @Nullable String pauseReason() {
    return pauseReason;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CircuitState c && provider.equals(c.provider) && state == c.state
        && recentFailures == c.recentFailures && Objects.equals(openedAt, c.openedAt)
        && Objects.equals(probeAt, c.probeAt) && paused == c.paused && Objects.equals(pauseReason, c.pauseReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, state, recentFailures, openedAt, probeAt, paused, pauseReason);
  }

  @Override
  public String toString() {
    return "CircuitState[provider=" + provider + ", state=" + state + ", recentFailures=" + recentFailures
        + ", openedAt=" + openedAt + ", probeAt=" + probeAt + ", paused=" + paused + ", pauseReason=" + pauseReason
        + "]";
  }

  /**
   * Builds a {@link CircuitState}. Each setter checks its value at once. Mutable and not thread-safe; reusing a
   * builder never changes a state already built.
   */
  public static final class Builder {
    private @Nullable String provider;
    private State state = State.CLOSED;
    private int recentFailures;
    private @Nullable Instant openedAt;
    private @Nullable Instant probeAt;
    private boolean paused;
    private @Nullable String pauseReason;

    private Builder() {}

    private Builder(CircuitState from) {
      this.provider = from.provider;
      this.state = from.state;
      this.recentFailures = from.recentFailures;
      this.openedAt = from.openedAt;
      this.probeAt = from.probeAt;
      this.paused = from.paused;
      this.pauseReason = from.pauseReason;
    }

    /** The provider instance. Required. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Closed, open or half-open; {@link State#CLOSED} by default. */
    public Builder state(State state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * Failures within the policy's window; 0 by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder recentFailures(int recentFailures) {
      if (recentFailures < 0) {
        throw new IllegalArgumentException("recentFailures must be >= 0 (was " + recentFailures
            + "): count the failures within the breaker's window");
      }
      this.recentFailures = recentFailures;
      return this;
    }

    /** When it last opened; never by default, and null clears it. */
    public Builder openedAt(@Nullable Instant openedAt) {
      this.openedAt = openedAt;
      return this;
    }

    /** When an open circuit lets a probe through; none by default, and null clears it. */
    public Builder probeAt(@Nullable Instant probeAt) {
      this.probeAt = probeAt;
      return this;
    }

    /** Whether the provider was paused by hand; false by default. */
    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    /** Why the provider was paused; none by default, and null clears it. */
    public Builder pauseReason(@Nullable String pauseReason) {
      this.pauseReason = pauseReason;
      return this;
    }

    /**
     * Builds the state.
     *
     * @throws IllegalStateException when the provider is missing
     */
    public CircuitState build() {
      return new CircuitState(this);
    }
  }
}
