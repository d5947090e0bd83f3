package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the configuration file's circuit breaker reads: the first opening, and how long openings may grow. */
class ConfigBreakerTest {
  private static CircuitBreakerPolicy breaker(String circuitBreaker) {
    return Config.parse(Path.of("config.json"), "{\"policies\": {\"circuitBreaker\": " + circuitBreaker + "}}")
        .breaker();
  }

  @Test
  void withoutTheKeyTheDefaultsOpenFor30SecondsGrowingToAnHour() {
    CircuitBreakerPolicy b = Config.parse(Path.of("config.json"), "{}").breaker();
    assertThat(b).isEqualTo(CircuitBreakerPolicy.ofDefaults());
    assertThat(b.openFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.maxOpenFor()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aShortOpenForGrowsToTheDefaultHourAndALongOneStaysAsWritten() {
    assertThat(breaker("{\"openFor\": \"10s\"}").maxOpenFor()).isEqualTo(Duration.ofHours(1));
    CircuitBreakerPolicy fixed = breaker("{\"openFor\": \"2h\"}");
    assertThat(fixed.openFor()).isEqualTo(Duration.ofHours(2));
    assertThat(fixed.maxOpenFor()).isEqualTo(Duration.ofHours(2));
    assertThat(breaker("{\"openFor\": \"1m\", \"maxOpenFor\": \"5m\"}").reopenFor(Duration.ofMinutes(4)))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aCapBelowTheFirstOpeningIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> breaker("{\"openFor\": \"10m\", \"maxOpenFor\": \"1m\"}"))
        .hasMessageContaining("policies.circuitBreaker").hasMessageContaining("maxOpenFor");
  }
}
