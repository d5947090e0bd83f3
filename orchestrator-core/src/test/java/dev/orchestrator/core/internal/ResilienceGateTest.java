package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.testkit.FakeProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The breaker and the rate limits seen only through the gate the dispatcher and the pipeline use ({@code mayStart},
 * {@code isProbe}, {@code started}, {@code called}, {@code ended}), on virtual time.
 */
class ResilienceGateTest {
  private static final CircuitBreakerPolicy BREAKER = new CircuitBreakerPolicy(2, Duration.ofMinutes(1),
      Duration.ofSeconds(30), 1);

  @Test
  void opensAfterTheThresholdOfFailuresInItsWindowThenLetsOneProbeThroughAndClosesOnItsSuccess() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    Resilience gate = parts.resilience;
    Slot slot = parts.slot;
    TaskNode n = parts.task("a");

    gate.ended(n, ErrorKind.SERVER);
    assertThat(gate.mayStart(slot, parts.clock.millis())).isTrue();
    gate.ended(n, ErrorKind.SERVER);
    assertThat(gate.mayStart(slot, parts.clock.millis())).isFalse();
    assertThat(slot.available()).isFalse();

    parts.advance(Duration.ofSeconds(30));
    assertThat(gate.mayStart(slot, parts.clock.millis())).isTrue();
    assertThat(gate.isProbe(slot)).isTrue();
    gate.started(n, slot, true);
    assertThat(gate.mayStart(slot, parts.clock.millis())).isFalse(); // one probe at a time

    gate.ended(n, null);
    assertThat(gate.circuit("fake").state()).isEqualTo(CircuitState.State.CLOSED);
    assertThat(gate.isProbe(slot)).isFalse();
    assertThat(gate.mayStart(slot, parts.clock.millis())).isTrue();
  }

  @Test
  void failuresThatSayNothingAboutTheProviderDoNotCount() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), BREAKER, RateLimit.none());
    TaskNode n = parts.task("a");

    for (int i = 0; i < 5; i++) {
      parts.resilience.ended(n, ErrorKind.GUARD);
    }

    assertThat(parts.resilience.mayStart(parts.slot, parts.clock.millis())).isTrue();
  }

  @Test
  void aFullRateWindowHoldsCallsBackUntilItsOldestCallIsAMinuteOld() {
    EngineParts parts = new EngineParts(FakeProvider.echo("fake"), CircuitBreakerPolicy.disabled(),
        RateLimit.requestsPerMinute(2));
    Resilience gate = parts.resilience;

    gate.called(parts.slot, ProviderRequest.of("one"), parts.clock.millis());
    parts.advance(Duration.ofSeconds(20));
    gate.called(parts.slot, ProviderRequest.of("two"), parts.clock.millis());
    assertThat(gate.mayStart(parts.slot, parts.clock.millis())).isFalse();

    parts.advance(Duration.ofSeconds(39));
    assertThat(gate.mayStart(parts.slot, parts.clock.millis())).isFalse();
    parts.advance(Duration.ofSeconds(1));
    assertThat(gate.mayStart(parts.slot, parts.clock.millis())).isTrue();
  }
}
