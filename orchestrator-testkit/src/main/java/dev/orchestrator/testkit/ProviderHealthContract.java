package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState.State;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.store.ProviderHealth;
import dev.orchestrator.spi.store.ProviderHealth.Change;
import dev.orchestrator.spi.store.ProviderHealth.Circuit;
import dev.orchestrator.spi.store.ProviderHealth.ProbeClaim;
import dev.orchestrator.spi.store.ProviderHealth.ProbeResult;
import dev.orchestrator.spi.store.ProviderHealth.RateDecision;
import dev.orchestrator.spi.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every store with {@link ProviderHealth} passes: the circuit opens on its threshold within its window
 * only, half-opens after {@code openFor}, lets one probe through at a time (a dead holder's claim expires), closes
 * after its probes succeed and opens again when one fails; the rate window holds its limits over any minute; and
 * each of these holds with many threads on several instances of the store at once, every move reported to exactly
 * one caller. Extend it, implement {@link #createStore()}, and override {@link #openAnother(Store)} to open a second
 * store on the same data (a second process).
 *
 * <pre>{@code
 * class MyProviderHealthTest extends ProviderHealthContract {
 *   protected Store createStore() { return MyStore.open(url); }
 *   protected Store openAnother(Store first) { return MyStore.open(url); }
 * }
 * }</pre>
 *
 * <p>Every time is an {@code Instant} argument, to the millisecond: nothing here sleeps or reads a clock. Concurrent
 * checks start their threads together and wait on futures with a timeout. The rate window's invariant is also a
 * jqwik property, checked against a plain model of the window on stores of its own ({@link #createStore()} once per
 * property, closed with {@link #discard(Store)}).
 */
public abstract class ProviderHealthContract {
  /** A fixed instant, to the millisecond. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  protected static final String P = "claude";
  /** 3 failures within 10 minutes open the circuit for 1 hour; 1 probe closes it. */
  protected static final CircuitBreakerPolicy POLICY = CircuitBreakerPolicy.builder().failureThreshold(3)
      .window(Duration.ofMinutes(10)).openFor(Duration.ofHours(1)).maxOpenFor(Duration.ofHours(1)).build();
  protected static final Duration HOLD = Duration.ofMinutes(5);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** The store under test, new and empty for each check. */
  protected @Nullable Store store;
  private final List<Store> others = Collections.synchronizedList(new ArrayList<>());

  /** A new, empty store. */
  protected abstract Store createStore();

  /**
   * Another store on the same data, as a second process would open it; the suite closes it. By default the same
   * store (for a store that lives in one process).
   */
  protected Store openAnother(Store first) {
    return first;
  }

  /** Disposes of a store made by {@link #createStore()}: the default closes it. */
  protected void discard(Store store) {
    store.close();
  }

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStores() {
    for (Store s : others) {
      if (s != store) {
        s.close();
      }
    }
    others.clear();
    if (store != null) {
      discard(store);
    }
  }

  // ------------------------------------------------------------------ helpers

  private ProviderHealth h() {
    return Objects.requireNonNull(store).providerHealth();
  }

  private ProviderHealth second() {
    Store s = openAnother(Objects.requireNonNull(store));
    others.add(s);
    return s.providerHealth();
  }

  private static Instant at(Duration after) {
    return T0.plus(after);
  }

  private static Duration min(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  private static Duration sec(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  /** Opens the circuit of {@code provider} at {@code when} with three failures; returns when it half-opens. */
  private Instant open(String provider, Instant when) {
    h().recordFailure(provider, when.minusSeconds(2), POLICY);
    h().recordFailure(provider, when.minusSeconds(1), POLICY);
    Change c = h().recordFailure(provider, when, POLICY);
    assertThat(c.entered()).isEqualTo(State.OPEN);
    return when.plus(POLICY.openFor());
  }

  // ------------------------------------------------------------------ checks

  @Nested
  class Breaker {
    @Test
    void aProviderNeverSeenIsClosedWithNoFailure() {
      assertThat(h().circuit(P, T0)).isEqualTo(Circuit.closed(P));
    }

    @Test
    void theThresholdOfFailuresWithinTheWindowOpensTheCircuitAndSaysSo() {
      Change first = h().recordFailure(P, T0, POLICY);
      assertThat(first.entered()).isNull();
      assertThat(first.circuit().state()).isEqualTo(State.CLOSED);
      assertThat(first.circuit().failures()).containsExactly(T0);
      assertThat(h().recordFailure(P, at(min(1)), POLICY).entered()).isNull();
      assertThat(h().circuit(P, at(min(2))).failuresWithin(POLICY.window(), at(min(2)))).isEqualTo(2);

      Change third = h().recordFailure(P, at(min(2)), POLICY);
      assertThat(third.entered()).isEqualTo(State.OPEN);
      assertThat(third.failures()).isEqualTo(3);
      Circuit open = h().circuit(P, at(min(2)));
      assertThat(open.state()).isEqualTo(State.OPEN);
      assertThat(open.openedAt()).isEqualTo(at(min(2)));
      assertThat(open.openUntil()).isEqualTo(at(min(62)));
      assertThat(open.failures()).as("failures are forgotten when it opens").isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
      h().recordFailure(P, T0, POLICY);
      h().recordFailure(P, at(min(5)), POLICY);
      // T0 is exactly one window before: it no longer counts.
      Change c = h().recordFailure(P, at(min(10)), POLICY);
      assertThat(c.entered()).isNull();
      assertThat(c.circuit().state()).isEqualTo(State.CLOSED);
      assertThat(c.circuit().failures()).containsExactly(at(min(5)), at(min(10)));
      assertThat(h().recordFailure(P, at(min(16)), POLICY).entered()).as("min 5 dropped at min 16").isNull();
      assertThat(h().recordFailure(P, at(min(17)), POLICY).entered()).isEqualTo(State.OPEN);
    }

    @Test
    void callsMadeBeforeTheNewestFailureDoNotCountAgain() {
      // Three calls made at T0, T0+1s and T0+2s fail together when the provider goes down at T0+10s: one failure.
      assertThat(h().recordFailure(P, T0, at(sec(10)), POLICY).circuit().failures()).containsExactly(at(sec(10)));
      Change second = h().recordFailure(P, at(sec(1)), at(sec(11)), POLICY);
      assertThat(second.entered()).isNull();
      assertThat(second.circuit().failures()).as("in flight at the first failure").containsExactly(at(sec(10)));
      assertThat(h().recordFailure(P, at(sec(2)), at(sec(12)), POLICY).circuit().failures()).hasSize(1);
      // Calls made once the first failure was known count, one each.
      assertThat(h().recordFailure(P, at(sec(10)), at(sec(20)), POLICY).circuit().failures())
          .as("made at the newest failure: counts").containsExactly(at(sec(10)), at(sec(20)));
      assertThat(h().recordFailure(P, at(sec(15)), at(sec(25)), POLICY).circuit().failures())
          .as("made before the newest failure (20s): does not count").hasSize(2);
      Change third = h().recordFailure(P, at(sec(21)), at(sec(30)), POLICY);
      assertThat(third.entered()).isEqualTo(State.OPEN);
      assertThat(third.failures()).isEqualTo(3);
    }

    @Test
    void aFailureWhoseCallStartIsUnknownAlwaysCounts() {
      h().recordFailure(P, at(sec(5)), at(sec(10)), POLICY);
      assertThat(h().recordFailure(P, null, at(sec(11)), POLICY).circuit().failures()).hasSize(2);
    }

    @Test
    void failuresWhileOpenOrHalfOpenAreNotCounted() {
      Instant due = open(P, T0);
      Change whileOpen = h().recordFailure(P, at(min(1)), POLICY);
      assertThat(whileOpen.entered()).isNull();
      assertThat(whileOpen.circuit().state()).isEqualTo(State.OPEN);
      assertThat(whileOpen.circuit().openUntil()).isEqualTo(due);
      assertThat(whileOpen.circuit().failures()).isEmpty();
      Change whileHalfOpen = h().recordFailure(P, due.plusSeconds(1), POLICY);
      assertThat(whileHalfOpen.entered()).isNull();
      assertThat(whileHalfOpen.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(whileHalfOpen.circuit().failures()).isEmpty();
    }

    @Test
    void anOpenCircuitReadsHalfOpenOnceOpenForHasPassedAndOneCallRecordsIt() {
      Instant due = open(P, T0);
      assertThat(h().circuit(P, due.minusMillis(1)).state()).isEqualTo(State.OPEN);
      assertThat(h().circuit(P, due).state()).isEqualTo(State.HALF_OPEN);
      assertThat(h().halfOpen(P, due.minusMillis(1)).entered()).as("not yet").isNull();
      assertThat(h().circuit(P, due.minusMillis(1)).state()).isEqualTo(State.OPEN);
      Change moved = h().halfOpen(P, due);
      assertThat(moved.entered()).isEqualTo(State.HALF_OPEN);
      assertThat(moved.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(h().halfOpen(P, due.plusSeconds(1)).entered()).as("reported once").isNull();
      assertThat(h().halfOpen("gemini", due).entered()).as("a closed circuit").isNull();
    }

    @Test
    void providerNamesAreCaseInsensitiveAndProvidersIndependent() {
      open("Claude", T0);
      assertThat(h().circuit("claude", T0).state()).isEqualTo(State.OPEN);
      assertThat(h().circuit("CLAUDE", T0).provider()).isEqualTo("claude");
      assertThat(h().circuit("gemini", T0)).isEqualTo(Circuit.closed("gemini"));
    }

    @Test
    void closingByHandClosesAnOpenOrHalfOpenCircuitForEveryInstanceAndSaysSoOnce() {
      Instant due = open(P, T0);
      ProviderHealth other = second();
      Change closed = h().close(P, at(min(1)));
      assertThat(closed.entered()).isEqualTo(State.CLOSED);
      assertThat(closed.circuit()).isEqualTo(Circuit.closed(P));
      assertThat(other.circuit(P, at(min(1))).state()).isEqualTo(State.CLOSED);
      assertThat(other.close(P, at(min(2))).entered()).as("already closed").isNull();

      open(P, due.plus(min(1)));
      assertThat(h().claimProbe(P, "e1", due.plus(min(62)), min(5)).granted()).isTrue();
      assertThat(other.close(P, due.plus(min(63))).entered()).as("half-open, its probe out").isEqualTo(State.CLOSED);
      assertThat(h().probeEnded(P, "e1", ProbeResult.FAILED, due.plus(min(64)), POLICY).entered())
          .as("the late probe of a circuit closed by hand counts for nothing").isNull();
      assertThat(h().circuit(P, due.plus(min(64))).state()).isEqualTo(State.CLOSED);
    }

    @Test
    void closingByHandForgetsTheFailuresOfAClosedCircuit() {
      h().recordFailure(P, T0, POLICY);
      h().recordFailure(P, at(sec(1)), POLICY);
      assertThat(h().close(P, at(sec(2))).entered()).isNull();
      assertThat(h().recordFailure(P, at(sec(3)), POLICY).entered()).as("one failure, not three").isNull();
      assertThat(h().circuit(P, at(sec(3))).failures()).containsExactly(at(sec(3)));
    }

    @Test
    void anotherInstanceSeesTheSameCircuit() {
      ProviderHealth other = second();
      other.recordFailure(P, T0, POLICY);
      other.recordFailure(P, at(sec(1)), POLICY);
      assertThat(h().recordFailure(P, at(sec(2)), POLICY).entered()).isEqualTo(State.OPEN);
      assertThat(other.circuit(P, at(sec(3))).state()).isEqualTo(State.OPEN);
    }
  }

  @Nested
  class Probes {
    @Test
    void onlyAHalfOpenCircuitGrantsAProbe() {
      assertThat(h().claimProbe(P, "e1", T0, HOLD).granted()).as("closed").isFalse();
      Instant due = open(P, T0);
      assertThat(h().claimProbe(P, "e1", due.minusMillis(1), HOLD).granted()).as("open").isFalse();
      ProbeClaim claim = h().claimProbe(P, "e1", due, HOLD);
      assertThat(claim.granted()).isTrue();
      assertThat(claim.halfOpened()).as("this claim moved it to half-open").isTrue();
      assertThat(claim.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(claim.circuit().probeOwner()).isEqualTo("e1");
      assertThat(claim.circuit().probeHeldUntil()).isEqualTo(due.plus(HOLD));
      assertThat(h().halfOpen(P, due).entered()).as("already reported by the claim").isNull();
    }

    @Test
    void aHeldProbeIsRefusedToEveryOtherClaimIncludingItsOwners() {
      Instant due = open(P, T0);
      assertThat(h().halfOpen(P, due).entered()).isEqualTo(State.HALF_OPEN);
      ProbeClaim first = h().claimProbe(P, "e1", due, HOLD);
      assertThat(first.granted()).isTrue();
      assertThat(first.halfOpened()).isFalse();
      assertThat(h().claimProbe(P, "e2", due.plus(HOLD).minusMillis(1), HOLD).granted()).isFalse();
      assertThat(second().claimProbe(P, "e3", due.plusSeconds(1), HOLD).granted()).isFalse();
      assertThat(h().claimProbe(P, "e1", due.plusSeconds(1), HOLD).granted()).isFalse();
      assertThat(h().circuit(P, due.plusSeconds(1)).probeHeld(due.plusSeconds(1))).isTrue();
    }

    @Test
    void aClaimWhoseHolderDiedExpiresAfterItsHoldAndItsLateResultCountsForNothing() {
      Instant due = open(P, T0);
      assertThat(h().claimProbe(P, "dead", due, HOLD).granted()).isTrue();
      Instant expired = due.plus(HOLD);
      assertThat(h().circuit(P, expired).probeHeld(expired)).isFalse();
      ProbeClaim retaken = h().claimProbe(P, "e2", expired, HOLD);
      assertThat(retaken.granted()).isTrue();
      assertThat(retaken.circuit().probeOwner()).isEqualTo("e2");
      Change late = h().probeEnded(P, "dead", ProbeResult.FAILED, expired.plusSeconds(1), POLICY);
      assertThat(late.entered()).isNull();
      assertThat(late.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(late.circuit().probeOwner()).isEqualTo("e2");
      assertThat(h().probeEnded(P, "e2", ProbeResult.SUCCEEDED, expired.plusSeconds(2), POLICY).entered())
          .isEqualTo(State.CLOSED);
    }

    @Test
    void theProbesOfThePolicyCloseTheCircuitOneAtATime() {
      CircuitBreakerPolicy twoProbes = CircuitBreakerPolicy.builder().failureThreshold(3).window(min(10))
          .openFor(Duration.ofHours(1)).maxOpenFor(Duration.ofHours(1)).probes(2).build();
      Instant due = open(P, T0);
      assertThat(h().claimProbe(P, "e1", due, HOLD).granted()).isTrue();
      Change one = h().probeEnded(P, "e1", ProbeResult.SUCCEEDED, due.plusSeconds(1), twoProbes);
      assertThat(one.entered()).isNull();
      assertThat(one.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(one.circuit().probeSuccesses()).isEqualTo(1);
      assertThat(one.circuit().probeOwner()).as("the claim ended").isNull();
      assertThat(h().probeEnded(P, "e1", ProbeResult.SUCCEEDED, due.plusSeconds(1), twoProbes).entered())
          .as("a result without a claim").isNull();
      assertThat(h().circuit(P, due.plusSeconds(1)).probeSuccesses()).isEqualTo(1);

      assertThat(h().claimProbe(P, "e2", due.plusSeconds(2), HOLD).granted()).isTrue();
      Change two = h().probeEnded(P, "e2", ProbeResult.SUCCEEDED, due.plusSeconds(3), twoProbes);
      assertThat(two.entered()).isEqualTo(State.CLOSED);
      assertThat(two.circuit()).isEqualTo(Circuit.closed(P));
      assertThat(h().circuit(P, due.plusSeconds(3))).isEqualTo(Circuit.closed(P));
      assertThat(h().recordFailure(P, due.plusSeconds(4), POLICY).circuit().failures())
          .as("a closed circuit counts again, from nothing").containsExactly(due.plusSeconds(4));
    }

    @Test
    void aHealthProbeThatFindsTheProviderAnsweringHalfOpensTheCircuitAtOnceAndTellsOneCaller() {
      assertThat(h().answered(P, T0).entered()).as("closed: nothing to do").isNull();
      CircuitBreakerPolicy growing = CircuitBreakerPolicy.builder().failureThreshold(1).window(min(10))
          .openFor(min(1)).maxOpenFor(min(30)).build();
      h().recordFailure(P, T0, growing);
      Instant early = at(sec(10));
      Change moved = second().answered(P, early);
      assertThat(moved.entered()).isEqualTo(State.HALF_OPEN);
      assertThat(h().answered(P, early).entered()).as("already half-open").isNull();
      assertThat(h().circuit(P, early).state()).isEqualTo(State.HALF_OPEN);
      assertThat(h().claimProbe(P, "e1", early, HOLD).granted()).as("the next call is the probe").isTrue();
      Change reopened = h().probeEnded(P, "e1", ProbeResult.FAILED, at(sec(11)), growing);
      assertThat(reopened.entered()).isEqualTo(State.OPEN);
      assertThat(reopened.circuit().openUntil()).as("twice the opening it cut short")
          .isEqualTo(at(sec(11)).plus(min(2)));
    }

    @Test
    void eachFailedProbeDoublesTheTimeBeforeTheNextUpToTheCapAndAClosedCircuitStartsAgainFromOpenFor() {
      CircuitBreakerPolicy growing = CircuitBreakerPolicy.builder().failureThreshold(1).window(min(10))
          .openFor(min(1)).maxOpenFor(min(5)).build();
      ProviderHealth other = second();
      Instant opened = T0;
      assertThat(h().recordFailure(P, opened, growing).circuit().openUntil()).isEqualTo(opened.plus(min(1)));
      List<Duration> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Circuit open = h().circuit(P, opened);
        Instant due = open.openUntil();
        ProviderHealth prober = i % 2 == 0 ? h() : other; // the time grows whichever process probes
        assertThat(prober.claimProbe(P, "e" + i, due, HOLD).granted()).isTrue();
        Instant failed = due.plusSeconds(1);
        Change reopened = prober.probeEnded(P, "e" + i, ProbeResult.FAILED, failed, growing);
        assertThat(reopened.entered()).isEqualTo(State.OPEN);
        seen.add(Duration.between(failed, reopened.circuit().openUntil()));
        opened = failed;
      }
      assertThat(seen).containsExactly(min(2), min(4), min(5), min(5), min(5));
      Instant due = h().circuit(P, opened).openUntil();
      h().claimProbe(P, "e9", due, HOLD);
      assertThat(h().probeEnded(P, "e9", ProbeResult.SUCCEEDED, due, growing).entered()).isEqualTo(State.CLOSED);
      assertThat(h().recordFailure(P, due.plusSeconds(1), growing).circuit().openUntil())
          .as("opened afresh after a close: openFor again").isEqualTo(due.plusSeconds(1).plus(min(1)));
    }

    @Test
    void aFailedProbeOpensTheCircuitAgainForANewOpenForAndResetsItsSuccesses() {
      CircuitBreakerPolicy twoProbes = CircuitBreakerPolicy.builder().failureThreshold(3).window(min(10))
          .openFor(Duration.ofHours(1)).maxOpenFor(Duration.ofHours(1)).probes(2).build();
      Instant due = open(P, T0);
      h().claimProbe(P, "e1", due, HOLD);
      h().probeEnded(P, "e1", ProbeResult.SUCCEEDED, due.plusSeconds(1), twoProbes);
      h().claimProbe(P, "e1", due.plusSeconds(2), HOLD);
      Instant failed = due.plusSeconds(5);
      Change reopened = h().probeEnded(P, "e1", ProbeResult.FAILED, failed, twoProbes);
      assertThat(reopened.entered()).isEqualTo(State.OPEN);
      assertThat(reopened.circuit().openedAt()).isEqualTo(failed);
      assertThat(reopened.circuit().openUntil()).isEqualTo(failed.plus(twoProbes.openFor()));
      assertThat(reopened.circuit().probeSuccesses()).isZero();
      assertThat(reopened.circuit().probeOwner()).isNull();
      Instant nextDue = failed.plus(twoProbes.openFor());
      assertThat(h().circuit(P, nextDue.minusMillis(1)).state()).isEqualTo(State.OPEN);
      assertThat(h().claimProbe(P, "e2", nextDue.minusMillis(1), HOLD).granted()).isFalse();
      ProbeClaim again = h().claimProbe(P, "e2", nextDue, HOLD);
      assertThat(again.granted()).isTrue();
      assertThat(again.halfOpened()).isTrue();
      assertThat(again.circuit().probeSuccesses()).isZero();
    }

    @Test
    void anAbandonedProbeOnlyEndsTheClaim() {
      Instant due = open(P, T0);
      h().claimProbe(P, "e1", due, HOLD);
      Change c = h().probeEnded(P, "e1", ProbeResult.ABANDONED, due.plusSeconds(1), POLICY);
      assertThat(c.entered()).isNull();
      assertThat(c.circuit().state()).isEqualTo(State.HALF_OPEN);
      assertThat(c.circuit().probeOwner()).isNull();
      assertThat(c.circuit().probeSuccesses()).isZero();
      assertThat(h().claimProbe(P, "e2", due.plusSeconds(1), HOLD).granted()).isTrue();
    }
  }

  @Nested
  class Rates {
    @Test
    void withNoLimitEveryStartIsAllowedAndNothingIsRecorded() {
      for (int i = 0; i < 5; i++) {
        RateDecision d = h().tryStart(P, T0, RateLimit.none(), 1_000);
        assertThat(d.allowed()).isTrue();
        assertThat(d.at()).isEqualTo(T0);
      }
      assertThat(h().tryStart(P, T0, RateLimit.requestsPerMinute(1), 0).allowed()).isTrue();
    }

    @Test
    void requestsPerMinuteHoldOverTheSlidingMinuteAndTheNextInstantIsExact() {
      RateLimit two = RateLimit.requestsPerMinute(2);
      assertThat(h().tryStart(P, T0, two, 0)).isEqualTo(new RateDecision(true, T0));
      assertThat(h().tryStart(P, at(sec(10)), two, 0)).isEqualTo(new RateDecision(true, at(sec(10))));
      assertThat(h().tryStart(P, at(sec(20)), two, 0)).isEqualTo(new RateDecision(false, at(sec(60))));
      assertThat(h().tryStart(P, at(sec(60)).minusMillis(1), two, 0).allowed()).isFalse();
      assertThat(h().tryStart(P, at(sec(60)), two, 0)).isEqualTo(new RateDecision(true, at(sec(60))));
      assertThat(h().tryStart(P, at(sec(65)), two, 0)).isEqualTo(new RateDecision(false, at(sec(70))));
      assertThat(h().tryStart("gemini", at(sec(65)), two, 0).allowed()).as("another provider").isTrue();
    }

    @Test
    void tokensPerMinuteHoldOverTheSlidingMinuteAndTheNextInstantIsExact() {
      RateLimit hundred = RateLimit.tokensPerMinute(100);
      assertThat(h().tryStart(P, T0, hundred, 30).allowed()).isTrue();
      assertThat(h().tryStart(P, at(sec(10)), hundred, 30).allowed()).isTrue();
      // 60 tokens in the window, below 100: the call starts even though it takes the window past the limit.
      assertThat(h().tryStart(P, at(sec(20)), hundred, 70).allowed()).isTrue();
      // 130 now; the window falls below 100 once T0's 30 and 10 s's 30 have aged out.
      assertThat(h().tryStart(P, at(sec(30)), hundred, 1)).isEqualTo(new RateDecision(false, at(sec(70))));
      assertThat(h().tryStart(P, at(sec(60)), hundred, 1)).isEqualTo(new RateDecision(false, at(sec(70))));
      assertThat(h().tryStart(P, at(sec(70)), hundred, 1)).isEqualTo(new RateDecision(true, at(sec(70))));
    }

    @Test
    void aCallLargerThanTheTokenLimitStartsAloneInAQuietWindow() {
      RateLimit hundred = RateLimit.tokensPerMinute(100);
      assertThat(h().tryStart(P, T0, hundred, 500).allowed()).isTrue();
      assertThat(h().tryStart(P, at(sec(59)), hundred, 1)).isEqualTo(new RateDecision(false, at(sec(60))));
      assertThat(h().tryStart(P, at(sec(60)), hundred, 500).allowed()).isTrue();
    }

    @Test
    void bothLimitsTogetherWaitForTheLaterOfTheTwo() {
      RateLimit both = RateLimit.requestsPerMinute(3).andTokensPerMinute(100);
      assertThat(h().tryStart(P, T0, both, 90).allowed()).isTrue();
      assertThat(h().tryStart(P, at(sec(10)), both, 5).allowed()).isTrue();
      assertThat(h().tryStart(P, at(sec(20)), both, 5).allowed()).isTrue();
      // Requests: T0 must age out (60 s); tokens: 100 < 100 is false until T0's 90 goes (60 s) too.
      assertThat(h().tryStart(P, at(sec(30)), both, 5)).isEqualTo(new RateDecision(false, at(sec(60))));
      assertThat(h().tryStart(P, at(sec(60)), both, 95).allowed()).isTrue();
      // Requests are full until 10 s's start goes (70 s), but tokens stay at 100 or more until 20 s's goes (80 s).
      assertThat(h().tryStart(P, at(sec(61)), both, 1)).isEqualTo(new RateDecision(false, at(sec(80))));
    }

    @Test
    void aStartFromALaggingClockIsRecordedAtTheNewestStart() {
      RateLimit two = RateLimit.requestsPerMinute(2);
      assertThat(h().tryStart(P, at(sec(30)), two, 0).at()).isEqualTo(at(sec(30)));
      RateDecision lagging = h().tryStart(P, T0, two, 0);
      assertThat(lagging).isEqualTo(new RateDecision(true, at(sec(30))));
      assertThat(h().tryStart(P, at(sec(89)), two, 0)).isEqualTo(new RateDecision(false, at(sec(90))));
    }

    @Test
    void anotherInstanceSharesTheWindow() {
      RateLimit one = RateLimit.requestsPerMinute(1);
      assertThat(h().tryStart(P, T0, one, 0).allowed()).isTrue();
      assertThat(second().tryStart(P, at(sec(1)), one, 0)).isEqualTo(new RateDecision(false, at(sec(60))));
    }
  }

  @Nested
  class BadArguments {
    private void rejects(String field, Consumer<ProviderHealth> call) {
      assertThatThrownBy(() -> call.accept(h())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(field);
    }

    @Test
    void aBlankOrOverlongProviderIsRefusedByEveryCallAndChangesNothing() {
      String tooLong = "p".repeat(ProviderHealth.MAX_NAME_LENGTH + 1);
      for (String bad : List.of("", "  ", tooLong)) {
        rejects("provider", x -> x.circuit(bad, T0));
        rejects("provider", x -> x.recordFailure(bad, T0, POLICY));
        rejects("provider", x -> x.halfOpen(bad, T0));
        rejects("provider", x -> x.claimProbe(bad, "e1", T0, HOLD));
        rejects("provider", x -> x.probeEnded(bad, "e1", ProbeResult.SUCCEEDED, T0, POLICY));
        rejects("provider", x -> x.tryStart(bad, T0, RateLimit.requestsPerMinute(1), 0));
      }
      assertThatThrownBy(() -> h().circuit("", T0)).hasMessageContaining("blank");
      assertThatThrownBy(() -> h().circuit(tooLong, T0)).hasMessageContaining("at most 200");
    }

    @Test
    void aBlankOwnerANonPositiveHoldAndNegativeTokensAreRefusedAndChangeNothing() {
      Instant due = open(P, T0);
      rejects("owner", x -> x.claimProbe(P, " ", due, HOLD));
      rejects("hold", x -> x.claimProbe(P, "e1", due, Duration.ZERO));
      rejects("hold", x -> x.claimProbe(P, "e1", due, Duration.ofSeconds(-1)));
      rejects("owner", x -> x.probeEnded(P, "", ProbeResult.FAILED, due, POLICY));
      rejects("tokens", x -> x.tryStart(P, T0, RateLimit.requestsPerMinute(1).andTokensPerMinute(10), -1));
      assertThat(h().circuit(P, due).probeOwner()).isNull();
      assertThat(h().claimProbe(P, "e1", due, HOLD).halfOpened()).as("nothing moved it before").isTrue();
      assertThat(h().tryStart(P, T0, RateLimit.requestsPerMinute(1), 0).allowed()).as("nothing recorded").isTrue();
    }

    @Test
    void aPolicyWithANegativeThresholdOrEmptyWindowCannotBeMadeSoNeverReachesTheStore() {
      assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureThreshold(-1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureThreshold");
      assertThatThrownBy(() -> CircuitBreakerPolicy.builder().window(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
      assertThatThrownBy(() -> RateLimit.requestsPerMinute(-1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestsPerMinute");
    }
  }

  /** Several threads on several instances of one store, as engines in several processes are. */
  @Nested
  class Concurrency {
    @Test
    void failuresAtOnceOpenTheCircuitOnceAndReportOneOpener() throws Exception {
      ProviderHealth[] instances = {h(), second()};
      for (String provider : List.of("a", "b", "c")) {
        ConcurrentLinkedQueue<Change> opened = new ConcurrentLinkedQueue<>();
        Together.run(8, w -> {
          for (int i = 0; i < 4; i++) {
            Change c = instances[w % 2].recordFailure(provider, T0.plusMillis(w * 10L + i), POLICY);
            if (c.entered() != null) {
              opened.add(c);
            }
          }
        });
        assertThat(opened).as(provider).hasSize(1);
        assertThat(opened.peek().entered()).isEqualTo(State.OPEN);
        assertThat(opened.peek().failures()).isEqualTo(POLICY.failureThreshold());
        assertThat(h().circuit(provider, T0.plusSeconds(1)).state()).isEqualTo(State.OPEN);
      }
    }

    @Test
    void claimsAtOnceGrantOneProbeAndReportTheHalfOpeningOnce() throws Exception {
      ProviderHealth[] instances = {h(), second()};
      for (int round = 0; round < 3; round++) {
        String provider = "p" + round;
        Instant due = open(provider, T0);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger halfOpened = new AtomicInteger();
        Together.run(8, w -> {
          ProviderHealth mine = instances[w % 2];
          if (w % 3 == 0 && mine.halfOpen(provider, due).entered() == State.HALF_OPEN) {
            halfOpened.incrementAndGet();
          }
          ProbeClaim c = mine.claimProbe(provider, "e" + w, due.plusMillis(w), HOLD);
          if (c.granted()) {
            granted.incrementAndGet();
          }
          if (c.halfOpened()) {
            halfOpened.incrementAndGet();
          }
        });
        assertThat(granted.get()).as("round %d", round).isEqualTo(1);
        assertThat(halfOpened.get()).as("round %d", round).isEqualTo(1);
      }
    }

    @Test
    void expiredClaimsRetakenAtOnceGoToOneClaimer() throws Exception {
      ProviderHealth[] instances = {h(), second()};
      Instant due = open(P, T0);
      assertThat(h().claimProbe(P, "dead", due, HOLD).granted()).isTrue();
      ConcurrentLinkedQueue<String> owners = new ConcurrentLinkedQueue<>();
      Together.run(6, w -> {
        if (instances[w % 2].claimProbe(P, "e" + w, due.plus(HOLD), HOLD).granted()) {
          owners.add("e" + w);
        }
      });
      assertThat(owners).hasSize(1);
      assertThat(h().circuit(P, due.plus(HOLD)).probeOwner()).isEqualTo(owners.peek());
    }

    @Test
    void startsAtOnceNeverExceedTheRequestsOfAnyMinute() throws Exception {
      ProviderHealth[] instances = {h(), second()};
      RateLimit five = RateLimit.requestsPerMinute(5);
      List<Instant> allowed = Collections.synchronizedList(new ArrayList<>());
      // Every 15 s for three minutes, six threads try three starts each, all at that instant.
      for (int step = 0; step < 12; step++) {
        Instant now = T0.plusSeconds(15L * step);
        Together.run(6, w -> {
          for (int i = 0; i < 3; i++) {
            RateDecision d = instances[w % 2].tryStart(P, now, five, 0);
            if (d.allowed()) {
              allowed.add(d.at());
            } else {
              assertThat(d.at()).isAfter(now);
            }
          }
        });
      }
      // The window fills at 0 s, 60 s and 120 s, five each time.
      assertThat(allowed).hasSize(15);
      for (Instant t : allowed) {
        long inWindow = allowed.stream().filter(s -> s.isAfter(t.minus(MINUTE)) && !s.isAfter(t)).count();
        assertThat(inWindow).as("starts in the minute ending %s", t).isLessThanOrEqualTo(5);
      }
    }

    @Test
    void startsAtOnceNeverExceedTheTokensOfAnyMinuteByMoreThanTheLastCall() throws Exception {
      ProviderHealth[] instances = {h(), second()};
      RateLimit thousand = RateLimit.tokensPerMinute(1_000);
      List<Instant> allowed = Collections.synchronizedList(new ArrayList<>());
      for (int step = 0; step < 12; step++) {
        Instant now = T0.plusSeconds(15L * step);
        Together.run(6, w -> {
          for (int i = 0; i < 3; i++) {
            RateDecision d = instances[w % 2].tryStart(P, now, thousand, 300);
            if (d.allowed()) {
              allowed.add(d.at());
            }
          }
        });
      }
      // 0, 300, 600 and 900 tokens already started allow a start; 1,200 does not: four per window, three windows.
      assertThat(allowed).hasSize(12);
      for (Instant t : allowed) {
        long inWindow = allowed.stream().filter(s -> s.isAfter(t.minus(MINUTE)) && !s.isAfter(t)).count();
        assertThat(inWindow * 300).as("tokens in the minute ending %s", t).isLessThan(1_000 + 300);
      }
    }
  }

  // ------------------------------------------------------------------ the rate window, as a property

  private @Nullable Store propertyStore;
  private final AtomicInteger propertyTry = new AtomicInteger();

  @BeforeProperty
  void openPropertyStore() {
    propertyStore = createStore();
  }

  @AfterProperty
  void closePropertyStore() {
    if (propertyStore != null) {
      discard(propertyStore);
    }
  }

  /**
   * Whatever the limits, the gaps between calls and their tokens, every decision is the one a plain model of the
   * sliding minute makes: a start is allowed exactly when the starts of the minute ending at it number fewer than
   * the request limit and hold fewer tokens than the token limit; a refusal names the first instant at which the
   * window would allow one (not allowed a millisecond before); and so no minute ever holds more starts than the
   * limit, nor more tokens than the limit plus its last start's.
   */
  @Property(tries = 25)
  void everyDecisionIsTheSlidingMinutesAndNoMinuteBreaksTheLimits(
      @ForAll @IntRange(min = 0, max = 4) int requestsPerMinute,
      @ForAll @IntRange(min = 0, max = 1_000) int tokensPerMinute,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 40_000) Integer> gapsMillis,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 600) Integer> tokens) {
    ProviderHealth health = Objects.requireNonNull(propertyStore).providerHealth();
    String provider = "prop-" + propertyTry.incrementAndGet();
    RateLimit limit = RateLimit.requestsPerMinute(requestsPerMinute).andTokensPerMinute(tokensPerMinute);
    boolean limited = requestsPerMinute > 0 || tokensPerMinute > 0;
    List<long[]> starts = new ArrayList<>(); // {epoch millis, tokens}, recorded order
    Instant now = T0;
    for (int i = 0; i < gapsMillis.size(); i++) {
      now = now.plusMillis(gapsMillis.get(i));
      long t = tokens.get(i % tokens.size());
      RateDecision d = health.tryStart(provider, now, limit, t);
      if (!limited) {
        assertThat(d).isEqualTo(new RateDecision(true, now));
        continue;
      }
      Instant effective = starts.isEmpty() || starts.get(starts.size() - 1)[0] < now.toEpochMilli() ? now
          : Instant.ofEpochMilli(starts.get(starts.size() - 1)[0]);
      boolean full = full(starts, effective.toEpochMilli(), limit);
      assertThat(d.allowed()).as("call %d at %s, window %s", i, effective, starts).isEqualTo(!full);
      if (d.allowed()) {
        assertThat(d.at()).isEqualTo(effective);
        starts.add(new long[] {effective.toEpochMilli(), t});
      } else {
        long next = d.at().toEpochMilli();
        assertThat(next).isGreaterThan(effective.toEpochMilli());
        assertThat(full(starts, next, limit)).as("the window is free at %s", d.at()).isFalse();
        assertThat(full(starts, next - 1, limit)).as("the window is still full just before").isTrue();
      }
    }
    for (long[] s : starts) {
      long count = 0;
      long sum = 0;
      long last = 0;
      for (long[] o : starts) {
        if (o[0] > s[0] - MINUTE.toMillis() && o[0] <= s[0]) {
          count++;
          sum += o[1];
          last = Math.max(last, o[1]);
        }
      }
      if (requestsPerMinute > 0) {
        assertThat(count).isLessThanOrEqualTo(requestsPerMinute);
      }
      if (tokensPerMinute > 0) {
        assertThat(sum).isLessThan(tokensPerMinute + last);
      }
    }
  }

  /** The model: whether the starts of the minute ending at {@code millis} refuse another. */
  private static boolean full(List<long[]> starts, long millis, RateLimit limit) {
    long count = 0;
    long sum = 0;
    for (long[] s : starts) {
      if (s[0] > millis - MINUTE.toMillis()) {
        count++;
        sum += s[1];
      }
    }
    return (limit.requestsPerMinute() > 0 && count >= limit.requestsPerMinute())
        || (limit.tokensPerMinute() > 0 && sum >= limit.tokensPerMinute());
  }
}
