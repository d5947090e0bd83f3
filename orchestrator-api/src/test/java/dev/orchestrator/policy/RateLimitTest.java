package dev.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each limit is named where it is given, refused at once when negative, and equal however it was put together. */
class RateLimitTest {

  @Test
  void eachFactoryRefusesANegativeLimitAtOnceNamingItTheValueAndTheRange() {
    assertThatThrownBy(() -> RateLimit.requestsPerMinute(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestsPerMinute must be >= 0 (was -1): give the calls allowed per minute, or 0 for no limit");
    assertThatThrownBy(() -> RateLimit.tokensPerMinute(-40_000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokensPerMinute must be >= 0 (was -40000): give the tokens allowed per minute, or 0 for no limit");
    RateLimit fifty = RateLimit.requestsPerMinute(50);
    assertThatThrownBy(() -> fifty.andTokensPerMinute(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tokensPerMinute must be >= 0 (was -1)");
    assertThatThrownBy(() -> RateLimit.tokensPerMinute(10).andRequestsPerMinute(Integer.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("requestsPerMinute must be >= 0 (was -2147483648)");
    assertThat(fifty.requestsPerMinute()).as("a refused change leaves the limit as it was").isEqualTo(50);
  }

  @Test
  void bothLimitsReadTheSameInEitherOrder() {
    RateLimit both = RateLimit.requestsPerMinute(50).andTokensPerMinute(40_000);

    assertThat(both.requestsPerMinute()).isEqualTo(50);
    assertThat(both.tokensPerMinute()).isEqualTo(40_000);
    assertThat(both).isEqualTo(RateLimit.tokensPerMinute(40_000).andRequestsPerMinute(50))
        .hasSameHashCodeAs(RateLimit.tokensPerMinute(40_000).andRequestsPerMinute(50))
        .isNotEqualTo(RateLimit.requestsPerMinute(50))
        .hasToString("RateLimit[requestsPerMinute=50, tokensPerMinute=40000]");
  }

  @Test
  void zeroIsNoLimitOfThatKind() {
    assertThat(RateLimit.none().requestsPerMinute()).isZero();
    assertThat(RateLimit.none().tokensPerMinute()).isZero();
    assertThat(RateLimit.requestsPerMinute(0)).isEqualTo(RateLimit.none());
    assertThat(RateLimit.tokensPerMinute(0)).isEqualTo(RateLimit.none());
    assertThat(RateLimit.requestsPerMinute(5).tokensPerMinute()).isZero();
    assertThat(RateLimit.tokensPerMinute(5).requestsPerMinute()).isZero();
  }

  @Test
  void aChangeMakesANewLimitAndReplacesOnlyItsOwnKind() {
    RateLimit calls = RateLimit.requestsPerMinute(10);
    RateLimit both = calls.andTokensPerMinute(100);
    RateLimit moreTokens = both.andTokensPerMinute(200);

    assertThat(calls).isEqualTo(RateLimit.requestsPerMinute(10));
    assertThat(moreTokens).isEqualTo(RateLimit.requestsPerMinute(10).andTokensPerMinute(200));
    assertThat(both.andRequestsPerMinute(0)).isEqualTo(RateLimit.tokensPerMinute(100));
  }
}
