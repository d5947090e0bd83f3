package dev.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each setter refuses a bad value at once, naming the setting, the value and the range; the defaults are the roadmap's.
 */
class RetryPolicyTest {

  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingTheValueAndTheRange() {
    RetryPolicy.Builder b = RetryPolicy.builder();

    assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1 (was 0): count the first attempt too; 1 means no retry");
    assertThatThrownBy(() -> b.backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff must satisfy 0 <= delay <= maxDelay (was delay=PT2M, maxDelay=PT1M): give the first"
            + " wait, then the longest");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(-1), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(was delay=PT-1S, maxDelay=PT1M)");
    assertThatThrownBy(() -> b.fixedDelay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("backoff must satisfy 0 <= delay <= maxDelay (was delay=PT-1S, maxDelay=PT-1S)");
    assertThatThrownBy(() -> b.factor(0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("factor must be a finite number >= 1 (was 0.5): ");
    assertThatThrownBy(() -> b.factor(Double.NaN))
        .hasMessageStartingWith("factor must be a finite number >= 1 (was NaN)");
    assertThatThrownBy(() -> b.factor(Double.POSITIVE_INFINITY))
        .hasMessageStartingWith("factor must be a finite number >= 1 (was Infinity)");
    assertThatThrownBy(() -> b.jitter(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jitter must be within 0..1 (was 1.5): ");
    assertThatThrownBy(() -> b.jitter(-0.1)).hasMessageStartingWith("jitter must be within 0..1 (was -0.1)");
    assertThatThrownBy(() -> b.attemptTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("attemptTimeout must be positive (was PT0S): ");
    assertThatThrownBy(() -> b.failoverAfter(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("failoverAfter must be >= 1 (was 0): ");
    assertThatThrownBy(() -> b.backoff(null, Duration.ofMinutes(1))).isInstanceOf(NullPointerException.class)
        .hasMessage("delay");
    assertThatThrownBy(() -> b.attemptTimeout(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("attemptTimeout");
    assertThatThrownBy(() -> b.retryOn(ErrorKind.SERVER, (ErrorKind) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("retryOn must not hold null");
    assertThatThrownBy(() -> b.retryOn(Arrays.asList(ErrorKind.SERVER, null)))
        .isInstanceOf(NullPointerException.class).hasMessage("retryOn must not hold null");

    assertThat(b.build()).as("no refused value was kept").isEqualTo(RetryPolicy.ofDefaults());
  }

  @Test
  void theDefaultsAreTheRoadmaps() {
    RetryPolicy p = RetryPolicy.ofDefaults();

    assertThat(RetryPolicy.builder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(p.maxAttempts()).isEqualTo(5);
    assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(5))).containsExactly(
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
        Duration.ofMinutes(8));
    assertThat(p.jitter()).isZero();
    assertThat(p.retryOn()).containsExactlyInAnyOrder(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED, ErrorKind.SERVER,
        ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.MALFORMED_RESPONSE);
    assertThat(p.attemptTimeout()).isNull();
    assertThat(p.failoverAfter()).isEqualTo(2);
    assertThat(p.retries(ErrorKind.SERVER, 4)).isTrue();
    assertThat(p.retries(ErrorKind.SERVER, 5)).isFalse();
    assertThat(p.retries(ErrorKind.AUTH, 1)).isFalse();
  }

  @Test
  void aBuiltPolicyEqualsTheFactorysAndACopyItsOriginal() {
    assertThat(RetryPolicy.builder().maxAttempts(1).build()).isEqualTo(RetryPolicy.none());
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);

    RetryPolicy patient = RetryPolicy.builder().maxAttempts(4).backoff(Duration.ofSeconds(10), Duration.ofMinutes(5))
        .factor(3).jitter(0.2).retryOn(ErrorKind.TIMEOUT).attemptTimeout(Duration.ofMinutes(1)).failoverAfter(1)
        .build();
    assertThat(patient.toBuilder().build()).isEqualTo(patient).hasSameHashCodeAs(patient);
    assertThat(patient.toBuilder().jitter(0.3).build()).isNotEqualTo(patient);
    assertThat(patient).hasToString("RetryPolicy[maxAttempts=4, delay=PT10S, maxDelay=PT5M, factor=3.0, jitter=0.2,"
        + " retryOn=[TIMEOUT], attemptTimeout=PT1M, failoverAfter=1]");
  }

  @Test
  void aFixedDelayKeepsEveryWaitTheSame() {
    RetryPolicy p = RetryPolicy.builder().fixedDelay(Duration.ofSeconds(30)).build();

    assertThat(p).isEqualTo(RetryPolicy.builder().backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).factor(1)
        .build());
    assertThat(p.backoff(1)).isEqualTo(p.backoff(4)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aWaitNeverExceedsTheLongestEvenWhereNanosecondsRoundAsDoubles() {
    // 576460752307000000 ns becomes 64 ns more as a double.
    Duration longest = Duration.ofMillis(576_460_752_307L);
    RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(1), longest).build();

    assertThat(p.backoff(100)).isEqualTo(longest);
    assertThat(RetryPolicy.builder().fixedDelay(longest).build().backoff(1)).isEqualTo(longest);
  }

  @Test
  void theRetriedKindsAreCopiedAndCannotBeChanged() {
    EnumSet<ErrorKind> kinds = EnumSet.of(ErrorKind.SERVER);
    RetryPolicy p = RetryPolicy.builder().retryOn(kinds).build();
    kinds.add(ErrorKind.AUTH);

    assertThat(p.retryOn()).containsExactly(ErrorKind.SERVER);
    assertThatThrownBy(() -> p.retryOn().add(ErrorKind.AUTH)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(RetryPolicy.builder().retryOn(List.of()).build().retries(ErrorKind.SERVER, 1)).isFalse();
    assertThat(RetryPolicy.builder().retryOn(ErrorKind.AUTH, ErrorKind.SERVER).build())
        .isEqualTo(RetryPolicy.builder().retryOn(List.of(ErrorKind.SERVER, ErrorKind.AUTH)).build());
  }

  @Test
  void reusingABuilderNeverChangesAPolicyAlreadyBuilt() {
    RetryPolicy.Builder b = RetryPolicy.builder().maxAttempts(3);
    RetryPolicy first = b.build();

    b.maxAttempts(9).retryOn(ErrorKind.AUTH).attemptTimeout(Duration.ofSeconds(5));

    assertThat(first).isEqualTo(RetryPolicy.ofDefaults().toBuilder().maxAttempts(3).build());
  }
}
