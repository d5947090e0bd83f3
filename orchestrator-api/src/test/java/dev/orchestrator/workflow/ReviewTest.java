package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each value of a review is checked where it is given; reviewers and criteria are required. */
class ReviewTest {
  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingAndTheValue() {
    Review.Builder b = Review.builder().reviewers("claude").criteria("tone");
    assertThatThrownBy(() -> b.maxRounds(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRounds must be >= 1 (was 0): give the most reviews before the task fails");
    assertThatThrownBy(() -> b.minScore(11)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minScore must be within 0..10 (was 11): reviewers score from 0 to 10");
    assertThatThrownBy(() -> b.minScore(-1)).hasMessageStartingWith("minScore must be within 0..10 (was -1)");
    assertThatThrownBy(() -> b.criteria(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("criteria must not be blank (was ' '): say what the reviewer checks");
    assertThatThrownBy(() -> b.reviewers(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("reviewers must not be empty");
    assertThatThrownBy(() -> b.reviewers("claude", " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("reviewers must not hold a blank name (was [claude,  ])");

    assertThat(b.build()).as("a refused value is never kept").isEqualTo(Review.by("claude", "tone"));
  }

  @Test
  void reviewersAndCriteriaAreRequired() {
    assertThatThrownBy(() -> Review.builder().criteria("tone").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a review needs at least one reviewer provider");
    assertThatThrownBy(() -> Review.builder().reviewers("claude").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("review criteria are required");
  }

  @Test
  void byHasTheDefaultsAndNamesAreNormalised() {
    Review r = Review.by(" Claude ", "tone");
    assertThat(r.reviewers()).containsExactly("claude");
    assertThat(r.maxRounds()).isEqualTo(Review.DEFAULT_MAX_ROUNDS).isEqualTo(3);
    assertThat(r.minScore()).isEqualTo(Review.DEFAULT_MIN_SCORE).isEqualTo(7);
    Review two = r.toBuilder().reviewers(List.of("Claude", "GEMINI")).maxRounds(2).build();
    assertThat(two.reviewers()).containsExactly("claude", "gemini");
    assertThat(two.toBuilder().build()).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(r).hasToString("Review[reviewers=[claude], criteria=tone, maxRounds=3, minScore=7]");
  }
}
