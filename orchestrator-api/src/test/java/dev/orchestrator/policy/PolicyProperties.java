package dev.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Negative;

/**
 * Every valid setting builds a policy that reads back what was given and equals one built in another order; every
 * invalid one is refused by the setter that received it, naming the setting and the value.
 */
class PolicyProperties {

  @Property
  void anyRateLimitReadsBackItsLimitsWhicheverWayItWasMade(
      @ForAll @IntRange(min = 0) int requests, @ForAll @LongRange(min = 0) long tokens) {
    RateLimit limit = RateLimit.requestsPerMinute(requests).andTokensPerMinute(tokens);

    assertThat(limit.requestsPerMinute()).isEqualTo(requests);
    assertThat(limit.tokensPerMinute()).isEqualTo(tokens);
    assertThat(limit).isEqualTo(RateLimit.tokensPerMinute(tokens).andRequestsPerMinute(requests))
        .hasSameHashCodeAs(RateLimit.tokensPerMinute(tokens).andRequestsPerMinute(requests));
  }

  @Property
  void aNegativeRateLimitIsRefusedNamingIt(@ForAll @Negative int requests, @ForAll @Negative long tokens) {
    assertThatThrownBy(() -> RateLimit.requestsPerMinute(requests)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("requestsPerMinute must be >= 0 (was " + requests + ")");
    assertThatThrownBy(() -> RateLimit.tokensPerMinute(tokens)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tokensPerMinute must be >= 0 (was " + tokens + ")");
  }

  @Property
  void anyValidBreakerReadsBackItsSettingsAndItsOpeningsStayWithinThem(
      @ForAll @IntRange(min = 1) int failures, @ForAll @LongRange(min = 1, max = 1L << 40) long windowMillis,
      @ForAll @LongRange(min = 1, max = 1L << 40) long openForMillis, @ForAll @IntRange(min = 1) int probes,
      @ForAll @LongRange(min = 0, max = 1L << 40) long growthMillis,
      @ForAll @LongRange(min = 0, max = 1L << 42) long lastOpenForMillis) {
    Duration window = Duration.ofMillis(windowMillis);
    Duration openFor = Duration.ofMillis(openForMillis);
    Duration maxOpenFor = openFor.plusMillis(growthMillis);

    CircuitBreakerPolicy p = CircuitBreakerPolicy.builder().maxOpenFor(maxOpenFor).probes(probes).openFor(openFor)
        .window(window).failureThreshold(failures).build();

    assertThat(p.failureThreshold()).isEqualTo(failures);
    assertThat(p.window()).isEqualTo(window);
    assertThat(p.openFor()).isEqualTo(openFor);
    assertThat(p.probes()).isEqualTo(probes);
    assertThat(p.maxOpenFor()).isEqualTo(maxOpenFor);
    assertThat(p.enabled()).isEqualTo(failures != Integer.MAX_VALUE);
    assertThat(p).isEqualTo(CircuitBreakerPolicy.ofDefaults().toBuilder().failureThreshold(failures).window(window)
        .openFor(openFor).probes(probes).maxOpenFor(maxOpenFor).build()).isEqualTo(p.toBuilder().build());
    Duration next = p.reopenFor(Duration.ofMillis(lastOpenForMillis));
    assertThat(next).isBetween(openFor, maxOpenFor);
  }

  @Property
  void aBadBreakerSettingIsRefusedByItsSetter(
      @ForAll @IntRange(max = 0) int count, @ForAll @LongRange(max = 0) long millis) {
    CircuitBreakerPolicy.Builder b = CircuitBreakerPolicy.builder();
    Duration d = Duration.ofMillis(millis);

    assertThatThrownBy(() -> b.failureThreshold(count)).hasMessageStartingWith(
        "failureThreshold must be >= 1 (was " + count + ")");
    assertThatThrownBy(() -> b.probes(count)).hasMessageStartingWith("probes must be >= 1 (was " + count + ")");
    assertThatThrownBy(() -> b.window(d)).hasMessageStartingWith("window must be positive (was " + d + ")");
    assertThatThrownBy(() -> b.openFor(d)).hasMessageStartingWith("openFor must be positive (was " + d + ")");
    assertThatThrownBy(() -> b.maxOpenFor(d)).hasMessageStartingWith("maxOpenFor must be positive (was " + d + ")");
    assertThat(b.build()).isEqualTo(CircuitBreakerPolicy.ofDefaults());
  }

  @Property
  void anyValidRetryPolicyReadsBackItsSettingsAndItsWaitsStayWithinThem(
      @ForAll @IntRange(min = 1) int maxAttempts, @ForAll @LongRange(min = 0, max = 1L << 40) long delayMillis,
      @ForAll @LongRange(min = 0, max = 1L << 40) long growthMillis,
      @ForAll @DoubleRange(min = 1, max = 10) double factor, @ForAll @DoubleRange(min = 0, max = 1) double jitter,
      @ForAll Set<ErrorKind> retryOn, @ForAll @LongRange(min = 1, max = 1L << 40) long timeoutMillis,
      @ForAll @IntRange(min = 1) int failoverAfter, @ForAll @IntRange(min = 1, max = 100) int attempt) {
    Duration delay = Duration.ofMillis(delayMillis);
    Duration maxDelay = delay.plusMillis(growthMillis);
    Duration timeout = Duration.ofMillis(timeoutMillis);

    RetryPolicy p = RetryPolicy.builder().failoverAfter(failoverAfter).attemptTimeout(timeout).retryOn(retryOn)
        .jitter(jitter).factor(factor).backoff(delay, maxDelay).maxAttempts(maxAttempts).build();

    assertThat(p.maxAttempts()).isEqualTo(maxAttempts);
    assertThat(p.delay()).isEqualTo(delay);
    assertThat(p.maxDelay()).isEqualTo(maxDelay);
    assertThat(p.factor()).isEqualTo(factor);
    assertThat(p.jitter()).isEqualTo(jitter);
    assertThat(p.retryOn()).isEqualTo(retryOn);
    assertThat(p.attemptTimeout()).isEqualTo(timeout);
    assertThat(p.failoverAfter()).isEqualTo(failoverAfter);
    assertThat(p).isEqualTo(p.toBuilder().build()).hasSameHashCodeAs(p.toBuilder().build());
    for (ErrorKind k : ErrorKind.values()) {
      assertThat(p.retries(k, attempt)).isEqualTo(attempt < maxAttempts && retryOn.contains(k));
    }
    Duration wait = p.backoff(attempt);
    assertThat(wait).as("at most the longest wait, and at least the first (but for the rounding of a double)")
        .isLessThanOrEqualTo(maxDelay).isGreaterThanOrEqualTo(delay.minusNanos(1_000));
    assertThat(p.backoff(attempt + 1)).as("waits never shrink").isGreaterThanOrEqualTo(wait);
  }

  @Property
  void aBadRetrySettingIsRefusedByItsSetter(
      @ForAll @IntRange(max = 0) int count, @ForAll @LongRange(min = 1) long shorterMillis,
      @ForAll @DoubleRange(min = -1e9, max = 1, maxIncluded = false) double factor,
      @ForAll @DoubleRange(min = 1, max = 1e9, minIncluded = false) double jitter) {
    RetryPolicy.Builder b = RetryPolicy.builder();
    Duration maxDelay = Duration.ofMinutes(1);
    Duration delay = maxDelay.plusMillis(shorterMillis);

    assertThatThrownBy(() -> b.maxAttempts(count)).hasMessageStartingWith("maxAttempts must be >= 1 (was " + count);
    assertThatThrownBy(() -> b.failoverAfter(count))
        .hasMessageStartingWith("failoverAfter must be >= 1 (was " + count);
    assertThatThrownBy(() -> b.backoff(delay, maxDelay)).hasMessageStartingWith(
        "backoff must satisfy 0 <= delay <= maxDelay (was delay=" + delay + ", maxDelay=" + maxDelay + ")");
    assertThatThrownBy(() -> b.factor(factor)).hasMessageStartingWith(
        "factor must be a finite number >= 1 (was " + factor + ")");
    assertThatThrownBy(() -> b.jitter(jitter)).hasMessageStartingWith("jitter must be within 0..1 (was " + jitter);
    assertThatThrownBy(() -> b.jitter(-jitter)).hasMessageStartingWith("jitter must be within 0..1 (was " + -jitter);
    assertThat(b.build()).isEqualTo(RetryPolicy.ofDefaults());
  }
}
