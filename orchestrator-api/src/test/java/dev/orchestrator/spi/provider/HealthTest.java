package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each factory gives its status and refuses what it must have. */
class HealthTest {
  @Test
  void theFactoriesGiveTheirStatus() {
    assertThat(Health.up(Duration.ofMillis(5), "200").status()).isEqualTo(Health.Status.UP);
    assertThat(Health.down(null, "refused").latency()).isNull();
    assertThat(Health.unknown("no probe")).isEqualTo(Health.unknown("no probe"))
        .hasToString("Health[status=UNKNOWN, latency=null, detail=no probe]");
    assertThat(Health.up(Duration.ofMillis(5), "200")).isNotEqualTo(Health.down(Duration.ofMillis(5), "200"));
  }

  @Test
  void upNeedsALatencyAndEveryResultADetail() {
    assertThatThrownBy(() -> Health.up(null, "200")).isInstanceOf(NullPointerException.class).hasMessage("latency");
    assertThatThrownBy(() -> Health.down(null, null)).isInstanceOf(NullPointerException.class).hasMessage("detail");
  }
}
