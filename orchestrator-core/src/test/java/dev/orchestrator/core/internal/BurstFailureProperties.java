package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.spi.store.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** However many calls are in flight when a provider fails, and in whatever order their failures arrive. */
class BurstFailureProperties {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  private static final CircuitBreakerPolicy POLICY = CircuitBreakerPolicy.builder().failureThreshold(2)
      .window(Duration.ofMinutes(10)).openFor(Duration.ofMinutes(1)).maxOpenFor(Duration.ofMinutes(1)).build();

  @Property
  void aBurstOfConcurrentFailuresCountsOnce(@ForAll @IntRange(min = 1, max = 64) int calls,
      @ForAll @IntRange(min = 0, max = 30_000) int spreadMillis, @ForAll long seed) {
    Random random = new Random(seed);
    ProviderHealth health = new InMemoryProviderHealth();
    Instant outage = T0.plusSeconds(60);
    // Every call was made before the outage began; they fail at or after it, in any order.
    List<Instant[]> burst = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      Instant made = T0.plusMillis(random.nextInt(60_000));
      Instant failed = outage.plusMillis(spreadMillis == 0 ? 0 : random.nextInt(spreadMillis + 1));
      burst.add(new Instant[] {made, failed});
    }
    burst.sort((x, y) -> x[1].compareTo(y[1]));
    Instant first = burst.get(0)[1];
    Collections.shuffle(burst.subList(1, burst.size()), random);
    for (Instant[] call : burst) {
      health.recordFailure("p", call[0], call[1], POLICY);
    }
    Instant after = burst.stream().map(c -> c[1]).max(Instant::compareTo).orElseThrow();
    ProviderHealth.Circuit circuit = health.circuit("p", after);
    assertThat(circuit.state()).isEqualTo(CircuitState.State.CLOSED);
    assertThat(circuit.failures()).containsExactly(first);
  }
}
