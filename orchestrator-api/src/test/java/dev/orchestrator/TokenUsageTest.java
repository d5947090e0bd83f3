package dev.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each count is checked where it is given, sums are count by count, and equality is by value. */
class TokenUsageTest {
  private static TokenUsage every(long base) {
    return TokenUsage.builder().input(base).output(base + 1).cachedInput(base + 2).cacheWrite(base + 3)
        .reasoning(base + 4).cacheWrite1h(base + 5).audioInput(base + 6).audioOutput(base + 7).imageInput(base + 8)
        .imageOutput(base + 9).build();
  }

  @Test
  void eachSetterRefusesANegativeCountAtOnceNamingTheSettingAndTheValue() {
    TokenUsage.Builder b = TokenUsage.builder().input(5);
    assertThatThrownBy(() -> b.input(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input must not be negative (was -1): give the tokens the vendor billed, or 0 when it reports"
            + " none");
    assertThatThrownBy(() -> b.output(-2)).hasMessageStartingWith("output must not be negative (was -2)");
    assertThatThrownBy(() -> b.cachedInput(-1)).hasMessageStartingWith("cachedInput must not be negative");
    assertThatThrownBy(() -> b.cacheWrite(-1)).hasMessageStartingWith("cacheWrite must not be negative");
    assertThatThrownBy(() -> b.reasoning(-1)).hasMessageStartingWith("reasoning must not be negative");
    assertThatThrownBy(() -> b.cacheWrite1h(-1)).hasMessageStartingWith("cacheWrite1h must not be negative");
    assertThatThrownBy(() -> b.audioInput(-1)).hasMessageStartingWith("audioInput must not be negative");
    assertThatThrownBy(() -> b.audioOutput(-1)).hasMessageStartingWith("audioOutput must not be negative");
    assertThatThrownBy(() -> b.imageInput(-1)).hasMessageStartingWith("imageInput must not be negative");
    assertThatThrownBy(() -> b.imageOutput(-1)).hasMessageStartingWith("imageOutput must not be negative");
    assertThatThrownBy(() -> TokenUsage.of(-3, 0)).hasMessageStartingWith("input must not be negative (was -3)");

    assertThat(b.build()).as("a refused count is never kept").isEqualTo(TokenUsage.of(5, 0));
  }

  @Test
  void everyCountSurvivesATripThroughTheBuilderAndSumsCountByCount() {
    TokenUsage u = every(10);
    assertThat(u.toBuilder().build()).isEqualTo(u).hasSameHashCodeAs(u);
    assertThat(u.toBuilder().imageOutput(0).build()).isNotEqualTo(u);
    assertThat(u.plus(every(100))).isEqualTo(TokenUsage.builder().input(110).output(112).cachedInput(114)
        .cacheWrite(116).reasoning(118).cacheWrite1h(120).audioInput(122).audioOutput(124).imageInput(126)
        .imageOutput(128).build());
    assertThat(u.plus(TokenUsage.NONE)).isEqualTo(u);
    assertThat(u.totalTokens()).isEqualTo(21);
    assertThat(TokenUsage.builder().build()).isEqualTo(TokenUsage.NONE);
  }

  @Test
  void reusingABuilderNeverChangesAUsageAlreadyBuilt() {
    TokenUsage.Builder b = TokenUsage.builder().input(1);
    TokenUsage first = b.build();
    b.input(2);
    assertThat(first.inputTokens()).isEqualTo(1);
  }

  @Test
  void readsLikeARecord() {
    assertThat(TokenUsage.of(3, 4)).hasToString("TokenUsage[inputTokens=3, outputTokens=4, cachedInputTokens=0,"
        + " cacheWriteTokens=0, reasoningTokens=0, cacheWrite1hTokens=0, audioInputTokens=0, audioOutputTokens=0,"
        + " imageInputTokens=0, imageOutputTokens=0]");
  }
}
