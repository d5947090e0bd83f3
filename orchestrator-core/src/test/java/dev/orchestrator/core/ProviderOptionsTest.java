package dev.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.testkit.FakeProvider;
import org.junit.jupiter.api.Test;

class ProviderOptionsTest {
  @Test
  void eachSettingIsCheckedWhenItIsSet() {
    assertThatThrownBy(() -> ProviderOptions.builder().maxConcurrentCalls(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentCalls must be >= 1 (was 0)");
    assertThatThrownBy(() -> ProviderOptions.builder().taskTypes("seo", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task type must not be blank");
    assertThatThrownBy(() -> ProviderOptions.builder().rateLimit(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("rateLimit");
  }

  @Test
  void unsetSettingsFallBackToTheEnginesAndSetOnesReadBack() {
    ProviderOptions none = ProviderOptions.ofDefaults();
    assertThat(none.maxConcurrentCalls()).isEmpty();
    assertThat(none.retryPolicy()).isEmpty();
    assertThat(none.circuitBreaker()).isEmpty();
    assertThat(none.rateLimit()).isEqualTo(RateLimit.none());
    assertThat(none.taskTypes()).isEmpty();

    ProviderOptions set = ProviderOptions.builder().maxConcurrentCalls(4).retryPolicy(RetryPolicy.none())
        .circuitBreaker(CircuitBreakerPolicy.disabled()).rateLimit(RateLimit.requestsPerMinute(50))
        .taskTypes("Code_Generation", "seo").build();
    assertThat(set.maxConcurrentCalls()).hasValue(4);
    assertThat(set.retryPolicy()).contains(RetryPolicy.none());
    assertThat(set.circuitBreaker()).contains(CircuitBreakerPolicy.disabled());
    assertThat(set.taskTypes()).containsExactlyInAnyOrder("code_generation", "seo");
    assertThat(set.toBuilder().build()).isEqualTo(set).hasSameHashCodeAs(set);
  }

  @Test
  void optionsTravelWithTheirInstanceSoNoNameCanBeMistyped() {
    FakeProvider claude = FakeProvider.echo("claude");
    Orchestrator.Builder b = Orchestrator.builder().provider(claude, ProviderOptions.ofDefaults());
    // The same instance name twice is refused at once, options or not.
    assertThatThrownBy(() -> b.provider(FakeProvider.echo("Claude"), ProviderOptions.builder().build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two providers are named 'claude'");
    b.build().close();
  }
}
