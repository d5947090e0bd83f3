package dev.orchestrator.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every learning built-in measures each candidate before trusting figures: a strategy that went by figures alone
 * would give every task to the first candidate it measured and never learn what the others do.
 */
class ColdStartTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  static Stream<LearningStrategy> learning() {
    return Stream.of(Strategies.bestQuality(3), Strategies.cheapestAcceptable(3, 0.05), Strategies.adaptive(7, 3,
        0.05, 0.25));
  }

  @ParameterizedTest
  @MethodSource("learning")
  void aCandidateWithTooFewOutcomesGoesFirstEvenBehindAWellMeasuredOne(LearningStrategy strategy) {
    OutcomeStatistics stats = OutcomeStatistics.builder().add(stats("claude", 20, 20)).add(stats("gemini", 1, 1))
        .build();

    Choice c = strategy.choose(assignment(stats, "claude", "gemini", "chatgpt"));

    assertThat(c.provider()).isEqualTo("gemini");
    assertThat(c.failover()).containsExactly("claude", "chatgpt");
    assertThat(c.reason()).contains("measuring gemini on writing (1 of 3 outcomes needed");
  }

  @ParameterizedTest
  @MethodSource("learning")
  void onceEveryCandidateIsMeasuredTheFiguresDecide(LearningStrategy strategy) {
    OutcomeStatistics stats = OutcomeStatistics.builder().add(stats("claude", 20, 20)).add(stats("gemini", 20, 4))
        .build();

    Choice c = strategy.choose(assignment(stats, "gemini", "claude"));

    assertThat(c.provider()).isEqualTo("claude");
    assertThat(c.reason()).doesNotContain("measuring");
  }

  private static ProviderStats stats(String provider, int attempts, int successes) {
    return ProviderStats.builder(provider, "writing").samples(attempts).attempts(attempts)
        .firstTrySuccesses(successes).failures(attempts - successes).cost(Money.usd("0.01").times(java.math.BigDecimal.valueOf(successes)))
        .build();
  }

  private static Assignment assignment(OutcomeStatistics stats, String... candidates) {
    return Assignment.builder("t1", "writing").project("p").candidates(List.of(candidates)).statistics(stats).at(NOW)
        .build();
  }
}
