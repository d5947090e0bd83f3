package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.testkit.FakeProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The breaker and the rate limits seen only through the gate the dispatcher and the pipeline use ({@code mayTake},
 * {@code admit}, {@code ended}, {@code abandoned}), on virtual time; kept in the store, so two engines sharing one
 * store share them.
 */
class ResilienceGateTest {
  private static final CircuitBreakerPolicy BREAKER = CircuitBreakerPolicy.builder().failureThreshold(2)
      .window(Duration.ofMinutes(1)).openFor(Duration.ofSeconds(30)).maxOpenFor(Duration.ofSeconds(30)).build();

  private static boolean admit(EngineParts parts, TaskNode n) {
    Call call = new Call(n, parts.slot);
    call.request = ProviderRequest.of("do " + n.id());
    n.callSlot = parts.slot;
    return parts.resilience.admit(call);
  }

  private static boolean mayTake(EngineParts parts) {
    return parts.resilience.mayTake(parts.slot, parts.clock.instant());
  }

  private static List<String> circuitEvents(EngineParts parts) {
    return parts.store.eventsAfter(0, 1_000).stream().map(e -> e.event().getClass().getSimpleName())
        .filter(name -> name.startsWith("Circuit")).toList();
  }

  @Test
  void opensAfterTheThresholdOfFailuresInItsWindowThenLetsOneProbeThroughAndClosesOnItsSuccess() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    Resilience gate = parts.resilience;
    TaskNode a = parts.task("a");
    TaskNode b = parts.task("b");

    assertThat(admit(parts, a)).isTrue();
    gate.ended(a, ErrorKind.SERVER);
    assertThat(mayTake(parts)).isTrue();
    assertThat(admit(parts, a)).isTrue();
    gate.ended(a, ErrorKind.SERVER);
    assertThat(mayTake(parts)).as("open: nothing is taken").isFalse();
    assertThat(parts.slot.available()).isFalse();
    assertThat(gate.circuit("fake").state()).isEqualTo(CircuitState.State.OPEN);

    parts.advance(Duration.ofSeconds(30));
    assertThat(mayTake(parts)).isTrue();
    assertThat(gate.circuit("fake").state()).isEqualTo(CircuitState.State.HALF_OPEN);
    assertThat(admit(parts, a)).isTrue();
    assertThat(a.probe).isTrue();
    assertThat(admit(parts, b)).as("one probe at a time").isFalse();
    assertThat(parts.slot.hasWork()).as("the task refused went back to its lane").isTrue();
    assertThat(mayTake(parts)).isFalse();

    gate.ended(a, null);
    assertThat(gate.circuit("fake").state()).isEqualTo(CircuitState.State.CLOSED);
    assertThat(a.probe).isFalse();
    assertThat(mayTake(parts)).isTrue();
    assertThat(admit(parts, b)).isTrue();
    assertThat(b.probe).isFalse();
    assertThat(circuitEvents(parts)).containsExactly("CircuitOpenedEvent", "CircuitHalfOpenedEvent",
        "CircuitClosedEvent");
  }

  /** Admits {@code n} and records its call's start, as the pipeline does. */
  private static void call(EngineParts parts, TaskNode n) {
    assertThat(admit(parts, n)).isTrue();
    n.record = n.record.withAttemptStarted("fake", parts.clock.instant());
  }

  @Test
  void callsInFlightTogetherWhenTheProviderFailsCountAsOneFailure() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    Resilience gate = parts.resilience;
    TaskNode a = parts.task("a");
    TaskNode b = parts.task("b");
    TaskNode c = parts.task("c");
    call(parts, a);
    call(parts, b);
    call(parts, c);
    parts.advance(Duration.ofSeconds(5));
    gate.ended(a, ErrorKind.SERVER);
    gate.ended(b, ErrorKind.SERVER);
    gate.ended(c, ErrorKind.TIMEOUT);
    assertThat(gate.circuit("fake").state()).as("three calls of one outage: one failure of two")
        .isEqualTo(CircuitState.State.CLOSED);

    parts.advance(Duration.ofSeconds(1));
    call(parts, a);
    gate.ended(a, ErrorKind.SERVER);
    assertThat(gate.circuit("fake").state()).as("a call made after the first failure counts")
        .isEqualTo(CircuitState.State.OPEN);
  }

  @Test
  void failuresThatSayNothingAboutTheProviderDoNotCount() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    TaskNode n = parts.task("a");

    for (int i = 0; i < 5; i++) {
      assertThat(admit(parts, n)).isTrue();
      parts.resilience.ended(n, ErrorKind.GUARD);
    }

    assertThat(mayTake(parts)).isTrue();
    assertThat(parts.resilience.circuit("fake").state()).isEqualTo(CircuitState.State.CLOSED);
  }

  @Test
  void aFullRateWindowHoldsCallsBackUntilItsOldestCallIsAMinuteOld() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), CircuitBreakerPolicy.disabled(),
        RateLimit.requestsPerMinute(2));

    assertThat(admit(parts, parts.task("one"))).isTrue();
    parts.advance(Duration.ofSeconds(20));
    assertThat(admit(parts, parts.task("two"))).isTrue();
    assertThat(admit(parts, parts.task("three"))).isFalse();
    assertThat(mayTake(parts)).isFalse();

    parts.advance(Duration.ofSeconds(39));
    assertThat(mayTake(parts)).isFalse();
    parts.advance(Duration.ofSeconds(1));
    assertThat(mayTake(parts)).isTrue();
    assertThat(admit(parts, parts.task("three"))).isTrue();
  }

  @Test
  void aProbeRefusedBeforeItsCallIsGivenBackForTheNextTask() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    TaskNode a = parts.task("a");
    for (int i = 0; i < 2; i++) {
      admit(parts, a);
      parts.resilience.ended(a, ErrorKind.TIMEOUT);
    }
    parts.advance(Duration.ofSeconds(30));
    assertThat(admit(parts, a)).isTrue();

    parts.resilience.abandoned(a); // say its budget refused it

    assertThat(a.probe).isFalse();
    assertThat(mayTake(parts)).isTrue();
    TaskNode b = parts.task("b");
    assertThat(admit(parts, b)).isTrue();
    assertThat(b.probe).as("the probe was free again").isTrue();
  }

  @Test
  void twoEnginesOnOneStoreShareTheCircuitTheProbeAndTheRateWindow() {
    EngineParts one = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.requestsPerMinute(4));
    EngineParts two = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.requestsPerMinute(4), one);
    TaskNode a = one.task("a");
    TaskNode b = two.task("b");

    assertThat(admit(one, a)).isTrue();
    one.resilience.ended(a, ErrorKind.SERVER);
    assertThat(admit(two, b)).isTrue();
    two.resilience.ended(b, ErrorKind.SERVER); // the second failure, in the other engine, opens it

    assertThat(one.resilience.circuit("fake").state()).isEqualTo(CircuitState.State.OPEN);
    assertThat(admit(one, a)).as("the first engine learns it from the store").isFalse();
    assertThat(one.slot.available()).isFalse();
    assertThat(mayTake(one)).isFalse();

    one.advance(Duration.ofSeconds(30));
    two.drain();
    assertThat(circuitEvents(one)).as("each move is reported once, by whichever engine made it")
        .containsExactly("CircuitOpenedEvent", "CircuitHalfOpenedEvent");
    assertThat(admit(one, a)).isTrue();
    assertThat(a.probe).isTrue();
    assertThat(admit(two, b)).as("the probe is out in the other engine").isFalse();
    assertThat(mayTake(two)).isFalse();

    one.resilience.ended(a, null);
    assertThat(two.resilience.circuit("fake").state()).isEqualTo(CircuitState.State.CLOSED);
    two.advance(Resilience.REMOTE_PROBE_RECHECK);
    one.drain();
    assertThat(mayTake(two)).as("asked again a few seconds later").isTrue();
    assertThat(admit(two, b)).isTrue();
    assertThat(admit(one, one.task("c"))).as("4 starts in the last minute, from both engines").isFalse();
  }
}
