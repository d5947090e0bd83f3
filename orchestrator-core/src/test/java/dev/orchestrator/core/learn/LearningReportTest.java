package dev.orchestrator.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LearningReportTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  private static ProviderStats stats(String provider, String type, int attempts, int successes, int review,
      String cost) {
    ProviderStats.Builder b = ProviderStats.builder(provider, type).samples(attempts).attempts(attempts)
        .firstTrySuccesses(successes).failures(attempts - successes).cost(Money.usd(cost))
        .latency(Duration.ofSeconds(10), Duration.ofSeconds(30));
    if (review > 0) {
      b.reviewScore(review, successes);
    }
    return b.build();
  }

  @Test
  void emptyStatisticsGiveAnEmptyReport() {
    LearningReport r = LearningReport.of(OutcomeStatistics.empty(), null, NOW);
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.recommendations()).isEmpty();
  }

  @Test
  void showsWhatShadowEvaluationFoundAndRecommendsAPromotedChallenger() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .shadowTally(dev.orchestrator.learn.ShadowTally.of("gemini", "summarization", 5, 4, Money.usd("0.0125")))
        .shadowTally(dev.orchestrator.learn.ShadowTally.of("chatgpt", "summarization", 2, 0, Money.usd("0.004")))
        .promotion("gemini", "summarization", "gemini won 4 of its last 5 shadow comparisons on summarization")
        .build();
    LearningReport r = LearningReport.of(s, "p", NOW);
    assertThat(r.shadows()).containsExactly(
        new LearningReport.Shadow("chatgpt", "summarization", 2, 0, Money.usd("0.004"), null),
        new LearningReport.Shadow("gemini", "summarization", 5, 4, Money.usd("0.0125"),
            "gemini won 4 of its last 5 shadow comparisons on summarization"));
    assertThat(r.recommendations()).containsExactly("Assign summarization to gemini (promoted by shadow evaluation:"
        + " gemini won 4 of its last 5 shadow comparisons on summarization); the learning strategies already put it"
        + " first");
    assertThatThrownBy(() -> dev.orchestrator.learn.ShadowTally.of("gemini", "t", 1, 2, Money.usd("0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= wins <= comparisons (was 2 of 1)");
  }

  @Test
  void recommendsTheBetterSuccessRate() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("claude", "code_generation", 20, 12, 0, "1.80"))
        .add(stats("chatgpt", "code_generation", 20, 18, 0, "2.16")).build();
    LearningReport r = LearningReport.of(s, "p", NOW);
    assertThat(r.recommendations()).containsExactly(
        "Assign code_generation to chatgpt (better success rate: 90% vs 60% for claude)");
    LearningReport.Figures chatgpt = r.figures().get(0);
    assertThat(chatgpt.provider()).isEqualTo("chatgpt");
    assertThat(chatgpt.successRate()).isEqualTo(0.9);
    assertThat(chatgpt.costPerSuccess()).isEqualTo(Money.usd("0.12"));
    assertThat(chatgpt.latencyP50()).isEqualTo(Duration.ofSeconds(10));
    assertThat(chatgpt.demoted()).isFalse();
  }

  @Test
  void recommendsHigherReviewScoresAtTheSameSuccessRate() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("claude", "content_review", 10, 10, 9, "0.80"))
        .add(stats("chatgpt", "content_review", 10, 10, 7, "0.50")).build();
    assertThat(LearningReport.of(s, "p", NOW).recommendations()).containsExactly(
        "Assign content_review to claude (higher quality: review 9.0/10 vs 7.0/10 for chatgpt)");
  }

  @Test
  void prefersACheaperProviderThatIsNearlyAsGood() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("chatgpt", "summarization", 20, 20, 0, "2.00"))   // $0.10 a success
        .add(stats("gemini", "summarization", 20, 17, 0, "0.34")).build(); // 85%, $0.02 a success
    assertThat(LearningReport.of(s, "p", NOW).recommendations()).containsExactly(
        "Assign summarization to chatgpt (better success rate: 100% vs 85% for gemini)",
        "Prefer gemini for summarization: 85% as good as chatgpt at 20% of its cost per success");
  }

  @Test
  void aTieSaysSoAndNamesACheaperEqual() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("chatgpt", "summarization", 10, 10, 0, "1.00"))
        .add(stats("gemini", "summarization", 10, 10, 0, "0.25")).build();
    assertThat(LearningReport.of(s, "p", NOW).recommendations()).containsExactly(
        "No clear winner on summarization: gemini and chatgpt are within 5% of each other in quality; gemini costs"
            + " 25% of chatgpt's per success");
  }

  @Test
  void tooLittleDataSaysWhatIsMissing() {
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("chatgpt", "summarization", 3, 3, 0, "1.00"))
        .add(stats("gemini", "summarization", 7, 7, 0, "0.25"))
        .add(stats("claude", "translation", 4, 4, 0, "0.25")).build();
    assertThat(LearningReport.of(s, "p", NOW).recommendations()).containsExactly(
        "Not enough data yet on summarization: a comparison needs at least 5 attempts on two providers"
            + " (chatgpt 3, gemini 7)",
        "Not enough data yet on translation: only claude (4 attempts) can be compared; a comparison needs a"
            + " second provider with at least 5 attempts");
  }

  @Test
  void aDemotionSaysStopWithItsEvidenceAndLeavesTheComparison() {
    Demotion d = Demotion.builder("claude", "code_generation").since(NOW.minusSeconds(600))
        .retryAt(NOW.plusSeconds(3000)).failures(12).sample(20)
        .evidence("claude failed 12 of its last 20 code_generation attempts (60% >= 60%)").build();
    OutcomeStatistics s = OutcomeStatistics.builder()
        .add(stats("chatgpt", "code_generation", 20, 18, 0, "2.16"))
        .demotion(d).build();
    LearningReport r = LearningReport.of(s, null, NOW);
    assertThat(r.recommendations()).containsExactly(
        "Stop assigning code_generation to claude: 12 of 20 recent attempts failed (tried again after "
            + "2026-05-01T10:50:00Z)",
        "Not enough data yet on code_generation: only chatgpt (20 attempts) can be compared; a comparison needs"
            + " a second provider with at least 5 attempts");
    assertThat(r.figures()).extracting(LearningReport.Figures::provider).containsExactly("chatgpt", "claude");
    assertThat(r.figures().get(1).demotion()).isEqualTo(d);
    // after the cool-down it is no longer reported as demoted
    assertThat(LearningReport.of(s, null, NOW.plusSeconds(4000)).figures()).hasSize(1);
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> LearningReport.of(OutcomeStatistics.empty(), null, NOW, 0, 0.05))
        .hasMessageContaining("minSamples must be >= 1 (was 0)");
    assertThatThrownBy(() -> LearningReport.of(OutcomeStatistics.empty(), null, NOW, 5, 2))
        .hasMessageContaining("margin must be 0 to 1 (was 2.0)");
  }
}
