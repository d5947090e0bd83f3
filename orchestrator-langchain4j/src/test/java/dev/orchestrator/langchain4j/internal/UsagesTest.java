package dev.orchestrator.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.orchestrator.TokenUsage;
import org.junit.jupiter.api.Test;

public class UsagesTest {
  /** Shaped as LangChain4j's {@code AnthropicTokenUsage}: cache reads and writes apart from the input count. */
  public static final class AnthropicShaped extends dev.langchain4j.model.output.TokenUsage {
    private final Integer cacheCreationInputTokens;
    private final Integer cacheReadInputTokens;

    public AnthropicShaped(int input, int output, int cacheCreation, int cacheRead) {
      super(input, output);
      this.cacheCreationInputTokens = cacheCreation;
      this.cacheReadInputTokens = cacheRead;
    }

    public Integer cacheCreationInputTokens() {
      return cacheCreationInputTokens;
    }

    public Integer cacheReadInputTokens() {
      return cacheReadInputTokens;
    }
  }

  @Test
  void openAisCachedAndReasoningTokensArePartsOfItsTotals() {
    OpenAiTokenUsage u = OpenAiTokenUsage.builder().inputTokenCount(1200).outputTokenCount(300)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(1000).build())
        .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(120).build())
        .build();
    assertThat(Usages.of(u)).isEqualTo(TokenUsage.builder().input(1200).cachedInput(1000).output(300)
        .reasoning(120).build());
  }

  @Test
  void anthropicsCacheReadsAndWritesAreAddedToTheInput() {
    assertThat(Usages.of(new AnthropicShaped(50, 20, 1000, 2000))).isEqualTo(TokenUsage.builder().input(3050)
        .cachedInput(2000).cacheWrite(1000).output(20).build());
  }

  @Test
  void plainCountsAreTakenAsTheyAreAndNoCountsAreNoUsage() {
    assertThat(Usages.of(new dev.langchain4j.model.output.TokenUsage(10, 5))).isEqualTo(TokenUsage.of(10, 5));
    assertThat(Usages.of(new dev.langchain4j.model.output.TokenUsage(null, 5))).isEqualTo(TokenUsage.of(0, 5));
    assertThat(Usages.of(new dev.langchain4j.model.output.TokenUsage())).isNull();
    assertThat(Usages.of(null)).isNull();
  }
}
