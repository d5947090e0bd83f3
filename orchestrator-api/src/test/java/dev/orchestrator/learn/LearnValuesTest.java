package dev.orchestrator.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnValuesTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @Test
  void statsDeriveRatesQualityAndThePriceOfASuccess() {
    ProviderStats s = ProviderStats.builder("claude", "code_generation").samples(12).attempts(12)
        .firstTrySuccesses(8).retrySuccesses(2).failures(2).reviewScore(9, 3).reviewScore(6, 1)
        .cost(Money.usd("0.40")).build();
    assertThat(s.successes()).isEqualTo(10.0);
    assertThat(s.successRate()).isEqualTo(10.0 / 12);
    assertThat(s.reviewScoreMean()).hasValue(8.25);
    assertThat(s.quality()).isEqualTo(10.0 / 12 * 0.825);
    assertThat(s.costPerSuccess()).isEqualTo(Money.usd("0.04"));
    assertThat(s.toBuilder().build()).isEqualTo(s);
    ProviderStats none = ProviderStats.empty("claude", "code_generation");
    assertThat(none.successRate()).isZero();
    assertThat(none.reviewScoreMean()).isEmpty();
    assertThat(none.costPerSuccess()).isNull();
  }

  @Test
  void statsRefuseBadValuesNamingTheField() {
    assertThatThrownBy(() -> ProviderStats.builder("claude", " "))
        .hasMessageContaining("taskType must not be blank");
    assertThatThrownBy(() -> ProviderStats.builder("a", "b").failures(-1))
        .hasMessageContaining("failures must be a finite number >= 0 (was -1.0)");
    assertThatThrownBy(() -> ProviderStats.builder("a", "b").reviewScore(11, 1))
        .hasMessageContaining("score must be 0 to 10 (was 11)");
    assertThatThrownBy(() -> ProviderStats.builder("a", "b").latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("latency must satisfy 0 <= p50 <= p95");
  }

  @Test
  void aChoiceNamesEachProviderOnceWithAReason() {
    Choice c = Choice.of(List.of("claude", "chatgpt"), "best quality");
    assertThat(c.provider()).isEqualTo("claude");
    assertThat(c.failover()).containsExactly("chatgpt");
    assertThat(c.ordered()).containsExactly("claude", "chatgpt");
    assertThatThrownBy(() -> Choice.of(List.of("claude", "claude"), "twice"))
        .hasMessageContaining("failover must not repeat a provider");
    assertThatThrownBy(() -> Choice.of(List.of("claude"), " ")).hasMessageContaining("reason must not be blank");
    assertThatThrownBy(() -> Choice.of(List.of(), "none")).hasMessageContaining("ordered must name at least one");
  }

  @Test
  void anAssignmentNeedsDistinctCandidates() {
    assertThatThrownBy(() -> Assignment.builder("t1", "general").build())
        .hasMessageContaining("candidates must name at least one provider instance");
    assertThatThrownBy(() -> Assignment.builder("t1", "general").candidates(List.of("a", "b", "a")))
        .hasMessageContaining("remove the second 'a'");
    assertThatThrownBy(() -> Assignment.builder("t1", "general").remainingBudget(Money.usd("-1")))
        .hasMessageContaining("remainingBudget must not be negative");
  }

  @Test
  void aDemotionHoldsUntilItsRetryTime() {
    Demotion d = Demotion.builder("claude", "code_generation").since(NOW).retryAt(NOW.plus(Duration.ofHours(1)))
        .failures(6).sample(10).evidence("6 of 10").build();
    OutcomeStatistics s = OutcomeStatistics.builder().demotion(d).build();
    Assignment a = Assignment.builder("t1", "code_generation").candidates(List.of("claude", "chatgpt"))
        .statistics(s).at(NOW.plus(Duration.ofMinutes(59))).build();
    assertThat(a.demoted("claude")).isTrue();
    assertThat(a.demoted("chatgpt")).isFalse();
    assertThat(a.toBuilder().at(NOW.plus(Duration.ofHours(1))).build().demoted("claude")).isFalse();
    assertThat(d.failureRate()).isEqualTo(0.6);
    assertThat(s.demotions()).containsExactly(d);
  }

  @Test
  void aDemotionRefusesFiguresThatCannotBe() {
    assertThatThrownBy(() -> Demotion.builder("claude", "code").sample(0)).hasMessageContaining("sample must be >= 1");
    assertThatThrownBy(() -> Demotion.builder("claude", "code").failures(-1))
        .hasMessageContaining("failures must be >= 0");
    assertThatThrownBy(() -> Demotion.builder("claude", "code").since(NOW).retryAt(NOW.minusSeconds(1)).failures(1)
        .sample(2).evidence("x").build()).hasMessageContaining("retryAt must not be before since");
    assertThatThrownBy(() -> Demotion.builder("claude", "code").since(NOW).retryAt(NOW).failures(3).sample(2)
        .evidence("x").build()).hasMessageContaining("failures must not exceed sample");
    assertThatThrownBy(() -> Demotion.builder("claude", "code").since(NOW).build())
        .hasMessageContaining("a demotion needs");
    assertThatThrownBy(() -> Choice.of("claude", List.of("chatgpt", "claude"), "why"))
        .hasMessageContaining("failover must not repeat a provider");
  }
}
