package dev.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitStateTest {
  @Test
  void aStateStartsClosedAndAPauseIsAddedToACopy() {
    CircuitState closed = CircuitState.builder().provider("claude").build();
    assertThat(closed.state()).isEqualTo(CircuitState.State.CLOSED);
    assertThat(closed.recentFailures()).isZero();
    CircuitState open = closed.toBuilder().state(CircuitState.State.OPEN).recentFailures(5).openedAt(Instant.EPOCH)
        .build();
    CircuitState paused = open.toBuilder().paused(true).pauseReason("maintenance").build();
    assertThat(paused).isNotEqualTo(open);
    assertThat(paused.toBuilder().paused(false).pauseReason(null).build()).isEqualTo(open);
    assertThat(paused).hasToString("CircuitState[provider=claude, state=OPEN, recentFailures=5, "
        + "openedAt=1970-01-01T00:00:00Z, probeAt=null, paused=true, pauseReason=maintenance]");
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> CircuitState.builder().recentFailures(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("recentFailures must be >= 0 (was -1)");
    assertThatThrownBy(() -> CircuitState.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a provider");
  }
}
