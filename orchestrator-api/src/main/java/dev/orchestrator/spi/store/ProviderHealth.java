package dev.orchestrator.spi.store;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The health of each provider instance as every process using the store sees it: its circuit breaker (closed, open,
 * half-open with one probe at a time) and its sliding-minute rate window. An engine asks here before it calls a
 * provider and reports here how the call ended, so a provider that fails in one process is left alone by all of them,
 * and a rate limit holds across every process sharing the store.
 *
 * <p>The circuit:
 * <ul>
 *   <li><b>Closed</b>: calls flow. Each counted failure ({@link #recordFailure}) is kept with its time (a call
 *       made before the newest failure kept does not count: calls in flight together when an outage began count
 *       once); when
 *       {@link CircuitBreakerPolicy#failureThreshold()} of them fall within the {@link CircuitBreakerPolicy#window()}
 *       ending at the failure, the circuit opens (the failures are forgotten).</li>
 *   <li><b>Open</b> until {@code openedAt + openFor}: no call is made. From then on it reads as half-open, whether or
 *       not anybody wrote since; the first writer to see it ({@link #halfOpen} or {@link #claimProbe}) records the
 *       move and is told so, so exactly one process reports it.</li>
 *   <li><b>Half-open</b>: one probe call at a time. A process {@link #claimProbe claims} the probe for a while (its
 *       hold); a claim whose holder died expires after the hold and may be taken again. The probe's end
 *       ({@link #probeEnded}): {@link CircuitBreakerPolicy#probes()} successes in a row close the circuit, a counted
 *       failure opens it again for {@code openFor}, anything else gives the claim back unchanged.</li>
 * </ul>
 * Failures reported while the circuit is not closed are not counted, as a breaker counts only in its closed state.
 * Every change that moves the circuit says so in its {@link Change}, to exactly one caller, so exactly one process
 * emits "circuit opened", "half-opened" or "closed".
 *
 * <p>The rate window: {@link #tryStart} records the start of a call, with its estimated tokens, if the starts of the
 * last 60 seconds allow it (fewer than {@link RateLimit#requestsPerMinute()}, and fewer tokens than
 * {@link RateLimit#tokensPerMinute()}, 0 meaning no limit); otherwise it records nothing and says when the next start
 * could be allowed. Starts older than the window are pruned as it slides.
 *
 * <p>Times are the caller's ({@code Instant} arguments, from the engine's injected clock), not the store's: processes
 * sharing a store are expected to keep their clocks close. A SQL store keeps them to the microsecond. Provider names
 * are case-insensitive (stored lower-case, as {@link Pause} stores them).
 *
 * <p>Implementations are thread-safe and every method is atomic (one transaction in a SQL store). A store passes
 * {@code ProviderHealthContract} from {@code orchestrator-testkit}.
 *
 * <pre>{@code
 * ProviderHealth health = store.providerHealth();
 * Circuit c = health.circuit("claude", now);
 * if (c.state() == CircuitState.State.CLOSED && health.tryStart("claude", now, rate, tokens).allowed()) {
 *   ... call; on a counted failure:
 *   Change change = health.recordFailure("claude", clock.instant(), breaker);
 *   if (change.entered() == CircuitState.State.OPEN) { ... emit "circuit opened" }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface ProviderHealth {
  /** Provider names and probe owners: at most this many characters. */
  int MAX_NAME_LENGTH = 200;

  /** The length of the sliding rate window. */
  Duration RATE_WINDOW = Duration.ofMinutes(1);

  /**
   * The circuit of a provider at {@code now}, changing nothing; a provider never seen is closed with no failure.
   * An open circuit whose {@code openUntil} has come reads as half-open.
   *
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  Circuit circuit(String provider, Instant now);

  /**
   * Records a counted failure of a call to {@code provider} that ended {@code at}. When the circuit is closed, the
   * failure is kept and those at or before {@code at - window} are dropped; if {@code failureThreshold} failures
   * remain, the circuit opens at {@code at} for {@code openFor}. When it is open or half-open, nothing changes.
   *
   * @return the circuit after it; {@link Change#entered()} is {@code OPEN} when this call opened it, with the number
   *     of failures that did
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  default Change recordFailure(String provider, Instant at, CircuitBreakerPolicy policy) {
    return recordFailure(provider, null, at, policy);
  }

  /**
   * Records a failure as {@link #recordFailure(String, Instant, CircuitBreakerPolicy)} does, but counts it only when
   * the call started at or after the newest failure kept: calls that were in flight together when an outage began
   * fail together, and count as one failure, so a burst of parallel calls does not open the circuit by itself. A
   * failure that does not count changes nothing.
   *
   * @param callStartedAt when the failed call was made, or null when unknown (the failure then counts)
   * @return the circuit after it; {@link Change#entered()} is {@code OPEN} when this call opened it, with the number
   *     of failures that did
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  Change recordFailure(String provider, @Nullable Instant callStartedAt, Instant at, CircuitBreakerPolicy policy);

  /**
   * Whether a failure of a call made at {@code callStartedAt} counts, when {@code newestFailure} is the newest failure
   * kept: only a call made at or after it tells something new about the provider.
   */
  static boolean counts(@Nullable Instant callStartedAt, @Nullable Instant newestFailure) {
    return callStartedAt == null || newestFailure == null || !callStartedAt.isBefore(newestFailure);
  }

  /**
   * Records that an open circuit's time has come: the first call at or after its {@code openUntil} moves it to
   * half-open (with no probe success yet and no probe claimed) and is told so; any other call changes nothing. Every
   * process may call it when its timer for the circuit fires.
   *
   * @return the circuit; {@link Change#entered()} is {@code HALF_OPEN} for the call that moved it
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  Change halfOpen(String provider, Instant now);

  /**
   * Records that a health probe (not a call: {@link dev.orchestrator.spi.provider.AiProvider#probe()}) found the
   * provider answering at {@code now}: an open circuit moves to half-open at once, before its {@code openUntil}, so
   * the next call is its probe; its {@code openedAt} and {@code openUntil} are kept, so a probe call that fails
   * reopens it for twice as long as before. Any other state changes nothing. The default only half-opens a circuit
   * whose time has come, as {@link #halfOpen} does.
   *
   * @return the circuit; {@link Change#entered()} is {@code HALF_OPEN} for the call that moved it
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  default Change answered(String provider, Instant now) {
    return halfOpen(provider, now);
  }

  /**
   * Closes the circuit by hand, at {@code at}: a person says the provider works again (its key was fixed, its outage
   * is over). An open or half-open circuit becomes closed, its failures forgotten and any probe claim ended; a closed
   * one keeps its state but forgets its failures.
   *
   * @return the circuit; {@link Change#entered()} is {@code CLOSED} when this call moved it
   * @throws IllegalArgumentException when the provider name is blank or too long
   */
  Change close(String provider, Instant at);

  /**
   * Claims the probe of a half-open circuit for {@code owner} until {@code now + hold}: granted when the circuit is
   * half-open at {@code now} (moving an open circuit whose time has come to half-open, as {@link #halfOpen} does) and
   * no claim holds it, that is none was made, it ended, or its hold ran out (its holder died or hung). At most one
   * claim holds a circuit at any instant; a second claim by the same owner is refused like any other.
   *
   * @param hold how long the claim holds without its owner ending it: longer than a probe call may take
   * @return whether the probe is {@code owner}'s, and whether this call moved the circuit to half-open
   * @throws IllegalArgumentException when the provider or owner is blank or too long, or the hold is not positive
   */
  ProbeClaim claimProbe(String provider, String owner, Instant now, Duration hold);

  /**
   * Records how the probe that {@code owner} claimed ended, at {@code at}: a {@link ProbeResult#SUCCEEDED success}
   * counts towards {@link CircuitBreakerPolicy#probes()} and, once there are that many, closes the circuit (failures
   * forgotten); a {@link ProbeResult#FAILED counted failure} opens it again at {@code at} for
   * {@link CircuitBreakerPolicy#openFor()}; {@link ProbeResult#ABANDONED} (the call was cancelled, or failed in a way
   * that says nothing of the provider's health) only ends the claim. Every result ends the claim.
   *
   * <p>Nothing changes when {@code owner} does not hold the claim any more (its hold ran out and another process
   * claimed the probe, or the circuit moved on): a late result is not counted twice.
   *
   * @return the circuit after it; {@link Change#entered()} is {@code CLOSED} or {@code OPEN} when this call moved it
   * @throws IllegalArgumentException when the provider or owner is blank or too long
   */
  Change probeEnded(String provider, String owner, ProbeResult result, Instant at, CircuitBreakerPolicy policy);

  /**
   * Records the start of a call to {@code provider} at {@code now} if the provider's starts of the last minute allow
   * it: fewer than {@code requestsPerMinute} of them (0: no limit), and, when {@code tokensPerMinute} is not 0, their
   * estimated tokens below it. A start counts while it is less than {@link #RATE_WINDOW} old; so a call whose tokens
   * alone exceed the limit still starts when the window holds fewer tokens than the limit, as the engine has always
   * allowed. With no limit at all, nothing is recorded.
   *
   * <p>Starts are recorded in time order per provider: a caller whose {@code now} is before the newest start recorded
   * (its clock lags another process's) is treated as starting at that newest start, so a lagging clock never opens a
   * window in the past.
   *
   * @param tokens the call's estimated tokens (input plus expected output), 0 when not estimated
   * @return allowed, with the instant recorded; or refused, with the earliest instant a start could be allowed if
   *     nothing else started meanwhile
   * @throws IllegalArgumentException when the provider name is blank or too long, or tokens is negative
   */
  RateDecision tryStart(String provider, Instant now, RateLimit limit, long tokens);

  /** How a probe call ended, for {@link #probeEnded}. */
  enum ProbeResult {
    /** The provider answered: one more success towards closing the circuit. */
    SUCCEEDED,
    /** A failure that counts against the provider (such as a timeout or a server error): the circuit opens again. */
    FAILED,
    /** Cancelled, or failed for a reason that is not the provider's health: the claim ends, the circuit stays. */
    ABANDONED
  }

  /**
   * A provider's circuit as stored, read at one instant: the {@code provider}'s lower-case name; its {@code state}
   * (closed, open, or half-open: an open circuit whose {@code openUntil} has come reads as half-open); the counted
   * {@code failures} kept while closed, oldest first (empty while open or half-open; see {@link #failuresWithin});
   * when it last opened ({@code openedAt}) and until when an open circuit keeps calls out ({@code openUntil}), both
   * null when closed; the {@code probeSuccesses} since it last half-opened; and who holds the probe claim
   * ({@code probeOwner}) until when ({@code probeHeldUntil}), null when none does (a claim whose hold ran out is
   * still shown until it is taken over or ended; see {@link #probeHeld}).
   *
   * <p>Made by {@link #closed} or, in stores, by {@link #builder()}; the constructor is private, so stores keep
   * compiling when fields are added. Immutable and thread-safe; two circuits are equal when every value is equal.
   *
   * <pre>{@code
   * Circuit open = Circuit.builder()
   *     .provider("claude").state(CircuitState.State.OPEN).openedAt(now).openUntil(now.plus(openFor))
   *     .build();
   * }</pre>
   */
  final class Circuit {
    private final String provider;
    private final CircuitState.State state;
    private final List<Instant> failures;
    private final @Nullable Instant openedAt;
    private final @Nullable Instant openUntil;
    private final int probeSuccesses;
    private final @Nullable String probeOwner;
    private final @Nullable Instant probeHeldUntil;

    private Circuit(Builder b) {
      if (b.provider == null) {
        throw new IllegalStateException("provider is required: call provider(...) before build()");
      }
      this.provider = b.provider;
      this.state = b.state;
      this.failures = b.failures;
      this.openedAt = b.openedAt;
      this.openUntil = b.openUntil;
      this.probeSuccesses = b.probeSuccesses;
      this.probeOwner = b.probeOwner;
      this.probeHeldUntil = b.probeHeldUntil;
    }

    /** The circuit of a provider never seen: closed, no failure. */
    public static Circuit closed(String provider) {
      return builder().provider(provider).build();
    }

    /**
     * Starts a circuit: the provider is required; it is closed, with no failure, no probe success and no claim
     * unless told.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this circuit's values, to derive a changed copy. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** The provider's lower-case name. */
    public String provider() {
      return provider;
    }

    /** Closed, open, or half-open (an open circuit whose {@code openUntil} has come reads as half-open). */
    public CircuitState.State state() {
      return state;
    }

    /** The counted failures kept while closed, oldest first (empty while open or half-open); unmodifiable. */
    public List<Instant> failures() {
      return failures;
    }

    /** When it last opened, or null when closed. */
    public @Nullable Instant openedAt() {
      return openedAt;
    }

    /** When an open circuit lets a probe through, or null when closed. */
    public @Nullable Instant openUntil() {
      return openUntil;
    }

    /** Successful probes since it last half-opened. */
    public int probeSuccesses() {
      return probeSuccesses;
    }

    /** Who holds the probe claim, or null when none does (see {@link #probeHeld}). */
    public @Nullable String probeOwner() {
      return probeOwner;
    }

    /** Until when that claim holds, or null. */
    public @Nullable Instant probeHeldUntil() {
      return probeHeldUntil;
    }

    /** How many of the kept failures fall within {@code window} before {@code now} (after {@code now - window}). */
    public int failuresWithin(Duration window, Instant now) {
      Instant horizon = now.minus(window);
      return (int) failures.stream().filter(t -> t.isAfter(horizon)).count();
    }

    /** Whether a probe claim holds the circuit at {@code now}. */
    public boolean probeHeld(Instant now) {
      return probeOwner != null && probeHeldUntil != null && probeHeldUntil.isAfter(now);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Circuit c && provider.equals(c.provider) && state == c.state
          && failures.equals(c.failures) && Objects.equals(openedAt, c.openedAt)
          && Objects.equals(openUntil, c.openUntil) && probeSuccesses == c.probeSuccesses
          && Objects.equals(probeOwner, c.probeOwner) && Objects.equals(probeHeldUntil, c.probeHeldUntil);
    }

    @Override
    public int hashCode() {
      return Objects.hash(provider, state, failures, openedAt, openUntil, probeSuccesses, probeOwner,
          probeHeldUntil);
    }

    @Override
    public String toString() {
      return "Circuit[provider=" + provider + ", state=" + state + ", failures=" + failures + ", openedAt="
          + openedAt + ", openUntil=" + openUntil + ", probeSuccesses=" + probeSuccesses + ", probeOwner="
          + probeOwner + ", probeHeldUntil=" + probeHeldUntil + "]";
    }

    /**
     * Builds a {@link Circuit}. Each setter checks its value at once, and a refused value is never kept. Mutable and
     * not thread-safe; {@link #failures} copies its list, so reusing a builder never changes a circuit already built.
     */
    public static final class Builder {
      private @Nullable String provider;
      private CircuitState.State state = CircuitState.State.CLOSED;
      private List<Instant> failures = List.of();
      private @Nullable Instant openedAt;
      private @Nullable Instant openUntil;
      private int probeSuccesses;
      private @Nullable String probeOwner;
      private @Nullable Instant probeHeldUntil;

      private Builder() {}

      private Builder(Circuit from) {
        this.provider = from.provider;
        this.state = from.state;
        this.failures = from.failures;
        this.openedAt = from.openedAt;
        this.openUntil = from.openUntil;
        this.probeSuccesses = from.probeSuccesses;
        this.probeOwner = from.probeOwner;
        this.probeHeldUntil = from.probeHeldUntil;
      }

      /** The provider's name as stored (lower-case); required. */
      public Builder provider(String provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        return this;
      }

      /** Its state; closed by default. */
      public Builder state(CircuitState.State state) {
        this.state = Objects.requireNonNull(state, "state");
        return this;
      }

      /**
       * The counted failures kept, oldest first; none by default.
       *
       * @throws NullPointerException when the list or one of its instants is null
       */
      public Builder failures(List<Instant> failures) {
        this.failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        return this;
      }

      /** When it last opened; null (closed) by default. */
      public Builder openedAt(@Nullable Instant openedAt) {
        this.openedAt = openedAt;
        return this;
      }

      /** When an open circuit lets a probe through; null (closed) by default. */
      public Builder openUntil(@Nullable Instant openUntil) {
        this.openUntil = openUntil;
        return this;
      }

      /**
       * Successful probes since it last half-opened; 0 by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder probeSuccesses(int probeSuccesses) {
        if (probeSuccesses < 0) {
          throw new IllegalArgumentException("probeSuccesses must be >= 0 (was " + probeSuccesses + "): a circuit "
              + "that never half-opened has 0");
        }
        this.probeSuccesses = probeSuccesses;
        return this;
      }

      /** Who holds the probe claim; null (none) by default. */
      public Builder probeOwner(@Nullable String probeOwner) {
        this.probeOwner = probeOwner;
        return this;
      }

      /** Until when the probe claim holds; null by default. */
      public Builder probeHeldUntil(@Nullable Instant probeHeldUntil) {
        this.probeHeldUntil = probeHeldUntil;
        return this;
      }

      /**
       * Builds the circuit.
       *
       * @throws IllegalStateException when the provider was not given
       */
      public Circuit build() {
        return new Circuit(this);
      }
    }
  }

  /**
   * A circuit after a call that may have moved it.
   *
   * <p>A record: its shape is final (a circuit, the move a call made, and how many failures made it).
   *
   * @param circuit the circuit after the call
   * @param entered the state this call moved the circuit into, or null when it did not move it; exactly one caller
   *     learns of each move
   * @param failures when this call opened a closed circuit: the failures that opened it; else 0
   */
  record Change(Circuit circuit, CircuitState.@Nullable State entered, int failures) {
    public Change {
      Objects.requireNonNull(circuit, "circuit");
    }

    /** A call that moved nothing. */
    public static Change none(Circuit circuit) {
      return new Change(circuit, null, 0);
    }
  }

  /**
   * The answer to {@link #claimProbe}.
   *
   * <p>A record: its shape is final (whether the probe is the caller's, whether the call half-opened the circuit,
   * and the circuit after it).
   *
   * @param granted whether the caller holds the probe now
   * @param halfOpened whether this call moved an open circuit to half-open (report it, as {@link #halfOpen} would)
   * @param circuit the circuit after the call
   */
  record ProbeClaim(boolean granted, boolean halfOpened, Circuit circuit) {
    public ProbeClaim {
      Objects.requireNonNull(circuit, "circuit");
    }
  }

  /**
   * The answer to {@link #tryStart}.
   *
   * <p>A record: its shape is final (yes or no, and an instant).
   *
   * @param allowed whether the start was recorded
   * @param at when allowed, the instant the start was recorded at; when refused, the earliest instant a start could
   *     be allowed if nothing else started meanwhile
   */
  record RateDecision(boolean allowed, Instant at) {
    public RateDecision {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * Checks a provider name and gives its stored form: not blank, at most {@link #MAX_NAME_LENGTH} characters,
   * lower-case.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  static String checkProvider(String provider) {
    return checkName("provider", provider).toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a name (a provider or a probe owner): not blank, at most {@link #MAX_NAME_LENGTH} characters.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  static String checkName(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was '" + value + "'): name the provider "
          + "instance or process");
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_NAME_LENGTH + " characters (was "
          + value.length() + ": '" + value.substring(0, 40) + "...')");
    }
    return value;
  }

  /**
   * Checks the arguments of {@link #tryStart} other than the provider.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  static void checkStart(Instant now, RateLimit limit, long tokens) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(limit, "limit");
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0 (was " + tokens + "): pass the call's estimated "
          + "tokens, or 0");
    }
  }

  /**
   * Checks a probe hold.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  static Duration checkHold(Duration hold) {
    Objects.requireNonNull(hold, "hold");
    if (hold.isNegative() || hold.isZero()) {
      throw new IllegalArgumentException("hold must be positive (was " + hold + "): give the probe call time to end");
    }
    return hold;
  }
}
