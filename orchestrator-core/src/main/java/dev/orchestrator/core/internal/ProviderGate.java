package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.store.ProviderHealth;
import dev.orchestrator.spi.store.ProviderHealth.Change;
import dev.orchestrator.spi.store.ProviderHealth.Circuit;
import dev.orchestrator.spi.store.ProviderHealth.ProbeClaim;
import dev.orchestrator.spi.store.ProviderHealth.ProbeResult;
import dev.orchestrator.spi.store.ProviderHealth.RateDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One provider's circuit breaker and rate limit as this engine sees them, kept in the store's
 * {@link ProviderHealth} so that every process using the provider shares them. The engine asks {@link #mayStart}
 * before it sends a call, tells {@link #ended} how each call ended, calls {@link #halfOpenIfDue} when its timer for
 * an open circuit fires, and emits the {@link Transition} each of them returns: the store tells exactly one process
 * of each move, so each "circuit opened", "half-opened" or "closed" is emitted once whichever process saw it.
 *
 * <p>Which failures count is the engine's rule: retryable kinds and {@link ErrorKind#AUTH}; a probe that ends in any
 * other way (cancelled, refused content, a bad request) gives its claim back and leaves the circuit half-open.
 * Provider pauses are not here: they are stored pauses ({@code Store.savePause}).
 *
 * <p>Immutable; thread-safe as its {@link ProviderHealth} is. Every call is one store call or two.
 */
public final class ProviderGate {
  private final ProviderHealth health;
  private final String provider;
  private final String owner;
  private final CircuitBreakerPolicy breaker;
  private final RateLimit rate;
  private final Duration probeHold;

  /**
   * @param owner this engine instance, as the probe claims name it
   * @param probeHold how long a probe claim holds if this engine never ends it (it died): longer than a call may take
   * @throws IllegalArgumentException when the provider or owner is blank or too long, or the hold is not positive
   */
  public ProviderGate(ProviderHealth health, String provider, String owner, CircuitBreakerPolicy breaker,
      RateLimit rate, Duration probeHold) {
    this.health = Objects.requireNonNull(health, "health");
    this.provider = ProviderHealth.checkProvider(provider);
    this.owner = ProviderHealth.checkName("owner", owner);
    this.breaker = Objects.requireNonNull(breaker, "breaker");
    this.rate = Objects.requireNonNull(rate, "rate");
    this.probeHold = ProviderHealth.checkHold(probeHold);
  }

  /** What {@link #mayStart} decided. */
  public enum Verdict {
    /** Send the call now (as the circuit's probe when {@link Admission#probe()}). */
    START,
    /** The rate limit is reached: try again at {@link Admission#until()}. */
    WAIT,
    /** The circuit is open: no call until {@link Admission#until()}. */
    OPEN,
    /** The circuit is half-open and its probe is out (here or in another process), held until {@link Admission#until()}. */
    PROBING
  }

  /**
   * The answer to {@link #mayStart}.
   *
   * @param verdict start, or why not
   * @param until when it is worth asking again; null for {@link Verdict#START}
   * @param probe whether the started call is the half-open circuit's probe: report its end with {@code probe = true}
   * @param transition a move of the circuit that this call made, to emit even when the call does not start
   */
  public record Admission(Verdict verdict, @Nullable Instant until, boolean probe, Transition transition) {
    public Admission {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(transition, "transition");
    }
  }

  /**
   * A move of the circuit to report (as {@code CircuitOpenedEvent}, {@code CircuitHalfOpenedEvent},
   * {@code CircuitClosedEvent}), or {@link #NONE}.
   *
   * @param kind what moved
   * @param failures for {@link Kind#OPENED}: the failures that opened it (0 when a failed probe did); else 0
   * @param openUntil for {@link Kind#OPENED}: when the circuit lets its next probe through; else null
   */
  public record Transition(Kind kind, int failures, @Nullable Instant openUntil) {
    /** Nothing moved, or another process was told. */
    public static final Transition NONE = new Transition(Kind.NONE, 0, null);

    public Transition(Kind kind, int failures) {
      this(kind, failures, null);
    }

    public Transition {
      Objects.requireNonNull(kind, "kind");
    }

    /** What moved. */
    public enum Kind {
      NONE,
      OPENED,
      HALF_OPENED,
      CLOSED
    }
  }

  /**
   * Whether a call estimated at {@code estimatedTokens} may start at {@code now}: not while the circuit is open; as
   * its probe while it is half-open and no other probe is out (the probe is claimed in the store); then only if the
   * rate window allows it, in which case the start is recorded. A probe claimed but refused by the rate window is
   * given back.
   */
  public Admission mayStart(Instant now, long estimatedTokens) {
    return mayStart(now, estimatedTokens, probeHold);
  }

  /**
   * As {@link #mayStart(Instant, long)}, with a probe claimed for {@code probeHold} rather than the gate's own: a
   * call that may take longer than the gate's hold (its timeout is longer) holds its probe that much longer.
   */
  public Admission mayStart(Instant now, long estimatedTokens, Duration probeHold) {
    Objects.requireNonNull(now, "now");
    ProviderHealth.checkHold(probeHold);
    boolean probe = false;
    Transition transition = Transition.NONE;
    if (breaker.enabled()) {
      Circuit c = health.circuit(provider, now);
      if (c.state() == CircuitState.State.OPEN) {
        return new Admission(Verdict.OPEN, c.openUntil(), false, Transition.NONE);
      }
      if (c.state() == CircuitState.State.HALF_OPEN) {
        if (c.probeHeld(now)) {
          return new Admission(Verdict.PROBING, c.probeHeldUntil(), false, Transition.NONE);
        }
        ProbeClaim claim = health.claimProbe(provider, owner, now, probeHold);
        transition = claim.halfOpened() ? new Transition(Transition.Kind.HALF_OPENED, 0) : Transition.NONE;
        if (!claim.granted()) {
          Circuit after = claim.circuit();
          return after.state() == CircuitState.State.OPEN
              ? new Admission(Verdict.OPEN, after.openUntil(), false, transition)
              : new Admission(Verdict.PROBING, after.probeHeldUntil(), false, transition);
        }
        probe = true;
      }
    }
    if (rate.requestsPerMinute() > 0 || rate.tokensPerMinute() > 0) {
      RateDecision d = health.tryStart(provider, now, rate, rate.tokensPerMinute() > 0 ? estimatedTokens : 0);
      if (!d.allowed()) {
        if (probe) {
          health.probeEnded(provider, owner, ProbeResult.ABANDONED, now, breaker);
        }
        return new Admission(Verdict.WAIT, d.at(), false, transition);
      }
    }
    return new Admission(Verdict.START, null, probe, transition);
  }

  /** Records how a call ended, as {@link #ended(ErrorKind, boolean, Instant, Instant)} with its start unknown. */
  public Transition ended(@Nullable ErrorKind kind, boolean probe, Instant at) {
    return ended(kind, probe, null, at);
  }

  /**
   * Records how a call that {@link #mayStart} started ended at {@code at}: {@code kind} null for a success. A probe's
   * success counts towards closing the circuit, its counted failure opens it again, anything else gives the probe
   * back; another call's counted failure counts towards opening a closed circuit.
   *
   * @param probe whether the call was the probe ({@link Admission#probe()})
   * @param startedAt when the call was made (a call made before the newest counted failure does not count), or null
   *     when unknown
   * @return the move to emit, or {@link Transition#NONE}
   */
  public Transition ended(@Nullable ErrorKind kind, boolean probe, @Nullable Instant startedAt, Instant at) {
    Objects.requireNonNull(at, "at");
    boolean counts = kind != null && (kind.retryable() || kind == ErrorKind.AUTH);
    if (probe) {
      ProbeResult result = kind == null ? ProbeResult.SUCCEEDED : counts ? ProbeResult.FAILED : ProbeResult.ABANDONED;
      return transition(health.probeEnded(provider, owner, result, at, breaker));
    }
    if (counts && breaker.enabled()) {
      return transition(health.recordFailure(provider, startedAt, at, breaker));
    }
    return Transition.NONE;
  }

  /**
   * A health probe found the provider answering: an open circuit half-opens at once, so the next call is its probe.
   *
   * @return {@link Transition.Kind#HALF_OPENED} for the one process that moved it, else {@link Transition#NONE}
   */
  public Transition answered(Instant now) {
    return transition(health.answered(provider, now));
  }

  /** Closes the circuit by hand: a person says the provider works again. */
  public Transition close(Instant at) {
    return transition(health.close(provider, at));
  }

  /** Gives back the probe this engine claimed for a call that will not be made or whose end says nothing. */
  public void abandon(Instant at) {
    health.probeEnded(provider, owner, ProbeResult.ABANDONED, at, breaker);
  }

  /**
   * Moves an open circuit whose time has come to half-open; call it when the timer set for the circuit's
   * {@code openUntil} fires (at {@code openFor} after an {@link Transition.Kind#OPENED}, or at the
   * {@link Admission#until()} of an {@link Verdict#OPEN} verdict when another process opened it).
   *
   * @return {@link Transition.Kind#HALF_OPENED} for the one process that moved it, else {@link Transition#NONE}
   */
  public Transition halfOpenIfDue(Instant now) {
    if (!breaker.enabled()) {
      return Transition.NONE;
    }
    return transition(health.halfOpen(provider, now));
  }

  /**
   * The circuit at {@code now}, for status displays.
   *
   * @param pauseReason why the provider is paused (a stored pause), or null when it is not
   */
  public CircuitState circuit(Instant now, @Nullable String pauseReason) {
    Circuit c = health.circuit(provider, now);
    Instant probeAt = c.state() == CircuitState.State.OPEN ? c.openUntil() : null;
    return CircuitState.builder().provider(provider).state(c.state())
        .recentFailures(c.failuresWithin(breaker.window(), now)).openedAt(c.openedAt()).probeAt(probeAt)
        .paused(pauseReason != null).pauseReason(pauseReason).build();
  }

  private static Transition transition(Change change) {
    if (change.entered() == null) {
      return Transition.NONE;
    }
    return switch (change.entered()) {
      case OPEN -> new Transition(Transition.Kind.OPENED, change.failures(), change.circuit().openUntil());
      case HALF_OPEN -> new Transition(Transition.Kind.HALF_OPENED, 0);
      case CLOSED -> new Transition(Transition.Kind.CLOSED, 0);
    };
  }
}
