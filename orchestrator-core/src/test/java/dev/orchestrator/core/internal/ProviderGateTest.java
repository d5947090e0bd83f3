package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.internal.ProviderGate.Admission;
import dev.orchestrator.core.internal.ProviderGate.Transition;
import dev.orchestrator.core.internal.ProviderGate.Verdict;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The gate over one in-memory provider health shared by two engines ({@code e1}, {@code e2}), as two processes
 * sharing a store would see it.
 */
class ProviderGateTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final CircuitBreakerPolicy BREAKER = CircuitBreakerPolicy.builder().failureThreshold(3)
      .window(Duration.ofMinutes(10)).openFor(Duration.ofMinutes(30)).maxOpenFor(Duration.ofMinutes(30)).build();
  private static final Duration HOLD = Duration.ofMinutes(5);
  private final InMemoryProviderHealth health = new InMemoryProviderHealth();

  private ProviderGate gate(String owner, CircuitBreakerPolicy breaker, RateLimit rate) {
    return new ProviderGate(health, "claude", owner, breaker, rate, HOLD);
  }

  private ProviderGate gate(String owner) {
    return gate(owner, BREAKER, RateLimit.none());
  }

  /** Opens the circuit with three counted failures ending at {@code at}; returns when it half-opens. */
  private Instant open(ProviderGate g, Instant at) {
    g.ended(ErrorKind.SERVER, false, at.minusSeconds(2));
    g.ended(ErrorKind.TIMEOUT, false, at.minusSeconds(1));
    assertThat(g.ended(ErrorKind.RATE_LIMITED, false, at))
        .isEqualTo(new Transition(Transition.Kind.OPENED, 3, at.plus(BREAKER.openFor())));
    return at.plus(BREAKER.openFor());
  }

  @Test
  void aClosedUnlimitedProviderLetsEveryCallStartAsAnOrdinaryCall() {
    ProviderGate g = gate("e1");
    for (int i = 0; i < 3; i++) {
      assertThat(g.mayStart(T0, 1_000)).isEqualTo(new Admission(Verdict.START, null, false, Transition.NONE));
    }
  }

  @Test
  void onlyRetryableAndAuthFailuresCountAndTheOneThatOpensTheCircuitIsReportedOnce() {
    ProviderGate e1 = gate("e1");
    ProviderGate e2 = gate("e2");
    for (ErrorKind k : new ErrorKind[] {ErrorKind.INVALID_REQUEST, ErrorKind.CONTENT_REFUSED, ErrorKind.BUDGET,
        ErrorKind.CANCELLED, ErrorKind.GUARD, ErrorKind.CONTEXT_TOO_LONG}) {
      assertThat(e1.ended(k, false, T0)).isEqualTo(Transition.NONE);
    }
    assertThat(e1.ended(null, false, T0)).isEqualTo(Transition.NONE);
    assertThat(e1.circuit(T0, null).recentFailures()).isZero();
    assertThat(e1.ended(ErrorKind.AUTH, false, T0)).isEqualTo(Transition.NONE);
    assertThat(e2.ended(ErrorKind.SERVER, false, T0.plusSeconds(1))).isEqualTo(Transition.NONE);
    assertThat(e1.circuit(T0.plusSeconds(1), null).recentFailures()).isEqualTo(2);
    assertThat(e2.ended(ErrorKind.NETWORK, false, T0.plusSeconds(2))).isEqualTo(new Transition(Transition.Kind.OPENED,
        3, T0.plusSeconds(2).plus(BREAKER.openFor())));
    assertThat(e1.ended(ErrorKind.NETWORK, false, T0.plusSeconds(3))).as("already open").isEqualTo(Transition.NONE);
  }

  @Test
  void anOpenCircuitStopsEveryEngineUntilItsTime() {
    ProviderGate e1 = gate("e1");
    ProviderGate e2 = gate("e2");
    Instant due = open(e1, T0);
    assertThat(e2.mayStart(T0.plusSeconds(1), 0)).isEqualTo(new Admission(Verdict.OPEN, due, false,
        Transition.NONE));
    CircuitState state = e2.circuit(T0.plusSeconds(1), null);
    assertThat(state.state()).isEqualTo(CircuitState.State.OPEN);
    assertThat(state.openedAt()).isEqualTo(T0);
    assertThat(state.probeAt()).isEqualTo(due);
    assertThat(state.paused()).isFalse();
  }

  @Test
  void theTimerOfOneEngineHalfOpensTheCircuitAndOnlyItReportsIt() {
    ProviderGate e1 = gate("e1");
    ProviderGate e2 = gate("e2");
    Instant due = open(e1, T0);
    assertThat(e1.halfOpenIfDue(due.minusMillis(1))).isEqualTo(Transition.NONE);
    assertThat(e2.halfOpenIfDue(due)).isEqualTo(new Transition(Transition.Kind.HALF_OPENED, 0));
    assertThat(e1.halfOpenIfDue(due)).isEqualTo(Transition.NONE);
    assertThat(e1.circuit(due, null).state()).isEqualTo(CircuitState.State.HALF_OPEN);
    assertThat(e1.circuit(due, null).probeAt()).isNull();
  }

  @Test
  void aHalfOpenCircuitLetsOneProbeThroughAcrossEnginesAndItsSuccessClosesIt() {
    ProviderGate e1 = gate("e1");
    ProviderGate e2 = gate("e2");
    Instant due = open(e1, T0);
    Admission probe = e2.mayStart(due, 0);
    assertThat(probe).as("the dispatch that found it due reports the half-opening")
        .isEqualTo(new Admission(Verdict.START, null, true, new Transition(Transition.Kind.HALF_OPENED, 0)));
    assertThat(e1.mayStart(due.plusSeconds(1), 0)).isEqualTo(new Admission(Verdict.PROBING, due.plus(HOLD), false,
        Transition.NONE));
    assertThat(e2.mayStart(due.plusSeconds(1), 0).verdict()).as("one probe at a time, here too")
        .isEqualTo(Verdict.PROBING);
    assertThat(e1.ended(null, false, due.plusSeconds(2))).as("an ordinary call's success moves nothing")
        .isEqualTo(Transition.NONE);
    assertThat(e2.ended(null, true, due.plusSeconds(3))).isEqualTo(new Transition(Transition.Kind.CLOSED, 0));
    assertThat(e1.mayStart(due.plusSeconds(4), 0)).isEqualTo(new Admission(Verdict.START, null, false,
        Transition.NONE));
  }

  @Test
  void aFailedProbeOpensTheCircuitAgainAndAProbeThatSaysNothingGivesTheClaimBack() {
    ProviderGate e1 = gate("e1");
    ProviderGate e2 = gate("e2");
    Instant due = open(e1, T0);
    assertThat(e1.mayStart(due, 0).probe()).isTrue();
    assertThat(e1.ended(ErrorKind.CANCELLED, true, due.plusSeconds(1))).isEqualTo(Transition.NONE);
    assertThat(e2.mayStart(due.plusSeconds(1), 0).probe()).as("the claim was given back").isTrue();
    assertThat(e2.ended(ErrorKind.INVALID_REQUEST, true, due.plusSeconds(2))).isEqualTo(Transition.NONE);
    assertThat(e1.mayStart(due.plusSeconds(2), 0).probe()).isTrue();
    Instant failed = due.plusSeconds(3);
    assertThat(e1.ended(ErrorKind.OVERLOADED, true, failed))
        .isEqualTo(new Transition(Transition.Kind.OPENED, 0, failed.plus(BREAKER.reopenFor(BREAKER.openFor()))));
    assertThat(e2.mayStart(failed.plusSeconds(1), 0)).isEqualTo(new Admission(Verdict.OPEN,
        failed.plus(BREAKER.reopenFor(BREAKER.openFor())), false, Transition.NONE));
  }

  @Test
  void aProbeWhoseEngineDiedIsTakenOverAfterItsHold() {
    ProviderGate dead = gate("dead");
    ProviderGate e2 = gate("e2");
    Instant due = open(dead, T0);
    assertThat(dead.mayStart(due, 0).probe()).isTrue();
    assertThat(e2.mayStart(due.plus(HOLD).minusMillis(1), 0).verdict()).isEqualTo(Verdict.PROBING);
    Admission taken = e2.mayStart(due.plus(HOLD), 0);
    assertThat(taken.verdict()).isEqualTo(Verdict.START);
    assertThat(taken.probe()).isTrue();
    assertThat(dead.ended(ErrorKind.SERVER, true, due.plus(HOLD).plusSeconds(1))).as("too late to count")
        .isEqualTo(Transition.NONE);
    assertThat(e2.ended(null, true, due.plus(HOLD).plusSeconds(2)).kind()).isEqualTo(Transition.Kind.CLOSED);
  }

  @Test
  void theRateLimitIsSharedByEveryEngineAndSaysWhenToTryAgain() {
    RateLimit two = RateLimit.requestsPerMinute(2);
    ProviderGate e1 = gate("e1", BREAKER, two);
    ProviderGate e2 = gate("e2", BREAKER, two);
    assertThat(e1.mayStart(T0, 0).verdict()).isEqualTo(Verdict.START);
    assertThat(e2.mayStart(T0.plusSeconds(5), 0).verdict()).isEqualTo(Verdict.START);
    assertThat(e1.mayStart(T0.plusSeconds(6), 0)).isEqualTo(new Admission(Verdict.WAIT, T0.plusSeconds(60), false,
        Transition.NONE));
    assertThat(e2.mayStart(T0.plusSeconds(60), 0).verdict()).isEqualTo(Verdict.START);
  }

  @Test
  void tokensCountOnlyUnderATokenLimit() {
    ProviderGate byRequests = gate("e1", BREAKER, RateLimit.requestsPerMinute(10));
    assertThat(byRequests.mayStart(T0, 1_000_000).verdict()).isEqualTo(Verdict.START);
    ProviderGate byTokens = gate("e2", BREAKER, RateLimit.requestsPerMinute(10).andTokensPerMinute(1_000));
    assertThat(byTokens.mayStart(T0, 600).verdict()).as("the first gate recorded no tokens").isEqualTo(Verdict.START);
    assertThat(byTokens.mayStart(T0, 600).verdict()).isEqualTo(Verdict.START);
    assertThat(byTokens.mayStart(T0, 1).verdict()).isEqualTo(Verdict.WAIT);
  }

  @Test
  void aProbeTheRateLimitRefusesIsGivenBackAndTheHalfOpeningStillReported() {
    CircuitBreakerPolicy quick = CircuitBreakerPolicy.builder().failureThreshold(3).window(Duration.ofMinutes(10))
        .openFor(Duration.ofSeconds(10)).maxOpenFor(Duration.ofSeconds(10)).build();
    RateLimit one = RateLimit.requestsPerMinute(1);
    ProviderGate e1 = gate("e1", quick, one);
    ProviderGate e2 = gate("e2", quick, one);
    assertThat(e1.mayStart(T0, 0).verdict()).isEqualTo(Verdict.START);
    e1.ended(ErrorKind.SERVER, false, T0.plusSeconds(1));
    e1.ended(ErrorKind.SERVER, false, T0.plusSeconds(2));
    assertThat(e1.ended(ErrorKind.SERVER, false, T0.plusSeconds(3)).kind()).isEqualTo(Transition.Kind.OPENED);
    Instant due = T0.plusSeconds(13);
    assertThat(e2.mayStart(due, 0)).isEqualTo(new Admission(Verdict.WAIT, T0.plusSeconds(60), false,
        new Transition(Transition.Kind.HALF_OPENED, 0)));
    assertThat(health.circuit("claude", due).probeOwner()).as("the claim was given back").isNull();
    assertThat(e1.mayStart(T0.plusSeconds(60), 0)).isEqualTo(new Admission(Verdict.START, null, true,
        Transition.NONE));
  }

  @Test
  void aDisabledBreakerNeverOpensAndKeepsNoFailures() {
    ProviderGate g = gate("e1", CircuitBreakerPolicy.disabled(), RateLimit.none());
    for (int i = 0; i < 20; i++) {
      assertThat(g.ended(ErrorKind.SERVER, false, T0.plusSeconds(i))).isEqualTo(Transition.NONE);
    }
    assertThat(health.circuit("claude", T0.plusSeconds(20)).failures()).isEmpty();
    assertThat(g.mayStart(T0.plusSeconds(20), 0).verdict()).isEqualTo(Verdict.START);
    assertThat(g.halfOpenIfDue(T0.plusSeconds(20))).isEqualTo(Transition.NONE);
  }

  @Test
  void theCircuitStateShowsRecentFailuresInTheWindowAndAStoredPause() {
    ProviderGate g = gate("e1");
    g.ended(ErrorKind.SERVER, false, T0);
    g.ended(ErrorKind.SERVER, false, T0.plus(Duration.ofMinutes(8)));
    CircuitState state = g.circuit(T0.plus(Duration.ofMinutes(12)), "maintenance");
    assertThat(state).isEqualTo(CircuitState.builder().provider("claude").state(CircuitState.State.CLOSED)
        .recentFailures(1).paused(true).pauseReason("maintenance").build());
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new ProviderGate(health, " ", "e1", BREAKER, RateLimit.none(), HOLD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider");
    assertThatThrownBy(() -> new ProviderGate(health, "claude", "", BREAKER, RateLimit.none(), HOLD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
    assertThatThrownBy(() -> new ProviderGate(health, "claude", "e1", BREAKER, RateLimit.none(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hold");
    RateLimit limit = RateLimit.requestsPerMinute(1).andTokensPerMinute(100);
    assertThatThrownBy(() -> gate("e1", BREAKER, limit).mayStart(T0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens");
  }
}
