package dev.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder starts from the defaults, refuses each bad setting at once, and checks the rule across two in build. */
class CircuitBreakerPolicyTest {

  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingTheValueAndTheRange() {
    CircuitBreakerPolicy.Builder b = CircuitBreakerPolicy.builder();

    assertThatThrownBy(() -> b.failureThreshold(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("failureThreshold must be >= 1 (was 0): ")
        .hasMessageContaining("CircuitBreakerPolicy.disabled()");
    assertThatThrownBy(() -> b.window(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive (was PT0S): give how far back failures count, such as"
            + " Duration.ofMinutes(10)");
    assertThatThrownBy(() -> b.openFor(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("openFor must be positive (was PT-1S): ");
    assertThatThrownBy(() -> b.maxOpenFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxOpenFor must be positive (was PT0S): ");
    assertThatThrownBy(() -> b.probes(-2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("probes must be >= 1 (was -2): ");
    assertThatThrownBy(() -> b.window(null)).isInstanceOf(NullPointerException.class).hasMessage("window");
    assertThatThrownBy(() -> b.openFor(null)).isInstanceOf(NullPointerException.class).hasMessage("openFor");
    assertThatThrownBy(() -> b.maxOpenFor(null)).isInstanceOf(NullPointerException.class).hasMessage("maxOpenFor");

    assertThat(b.build()).as("the refused values were not kept").isEqualTo(CircuitBreakerPolicy.ofDefaults());
  }

  @Test
  void buildRefusesACapShorterThanTheFirstOpening() {
    CircuitBreakerPolicy.Builder b = CircuitBreakerPolicy.builder().openFor(Duration.ofHours(2));

    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOpenFor must be >= openFor (was maxOpenFor=PT1H, openFor=PT2H): it caps how long the circuit"
            + " stays open after failed probes; set maxOpenFor to at least PT2H, or equal to it for openings that do"
            + " not grow");
    assertThat(b.maxOpenFor(Duration.ofHours(2)).build().reopenFor(Duration.ofHours(2)))
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void theBuilderStartsFromTheDefaults() {
    CircuitBreakerPolicy defaults = CircuitBreakerPolicy.ofDefaults();

    assertThat(CircuitBreakerPolicy.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
    assertThat(defaults.failureThreshold()).isEqualTo(3);
    assertThat(defaults.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.openFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.probes()).isEqualTo(1);
    assertThat(defaults.maxOpenFor()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults).hasToString("CircuitBreakerPolicy[failureThreshold=3, window=PT10M, openFor=PT30S, probes=1,"
        + " maxOpenFor=PT1H]");
  }

  @Test
  void aBuiltPolicyEqualsTheFactorysAndACopyItsOriginal() {
    CircuitBreakerPolicy disabled = CircuitBreakerPolicy.disabled();
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.toBuilder().build()).isEqualTo(disabled).hasSameHashCodeAs(disabled);
    assertThat(CircuitBreakerPolicy.builder().failureThreshold(Integer.MAX_VALUE).window(Duration.ofSeconds(1))
        .openFor(Duration.ofSeconds(1)).maxOpenFor(Duration.ofSeconds(1)).build()).isEqualTo(disabled);

    CircuitBreakerPolicy patient = CircuitBreakerPolicy.builder().failureThreshold(5).window(Duration.ofMinutes(5))
        .openFor(Duration.ofMinutes(1)).maxOpenFor(Duration.ofMinutes(15)).probes(2).build();
    assertThat(patient.toBuilder().build()).isEqualTo(patient);
    assertThat(patient.toBuilder().probes(3).build()).isNotEqualTo(patient);
    assertThat(patient).isNotEqualTo(CircuitBreakerPolicy.ofDefaults());
  }

  @Test
  void reusingABuilderNeverChangesAPolicyAlreadyBuilt() {
    CircuitBreakerPolicy.Builder b = CircuitBreakerPolicy.builder().failureThreshold(4);
    CircuitBreakerPolicy first = b.build();

    b.failureThreshold(9).openFor(Duration.ofMinutes(2));

    assertThat(first.failureThreshold()).isEqualTo(4);
    assertThat(first.openFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.build().failureThreshold()).isEqualTo(9);
  }

  @Test
  void eachFailedProbeDoublesTheOpeningUpToTheCap() {
    CircuitBreakerPolicy p = CircuitBreakerPolicy.builder().openFor(Duration.ofMinutes(1))
        .maxOpenFor(Duration.ofMinutes(5)).build();

    assertThat(p.reopenFor(null)).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.reopenFor(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.reopenFor(Duration.ofMinutes(4))).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.reopenFor(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
  }
}
