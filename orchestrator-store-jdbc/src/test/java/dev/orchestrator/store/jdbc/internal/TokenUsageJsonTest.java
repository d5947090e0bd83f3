package dev.orchestrator.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.TokenUsage;
import org.junit.jupiter.api.Test;

/** Token usage is stored as it was while it was a record, and rows of every earlier version still read. */
class TokenUsageJsonTest {
  private static final TokenUsage EVERY = TokenUsage.builder().input(1).output(2).cachedInput(3).cacheWrite(4)
      .reasoning(5).cacheWrite1h(6).audioInput(7).audioOutput(8).imageInput(9).imageOutput(10).build();

  @Test
  void writesTheTenCountsUnderTheRecordsNamesInItsOrder() {
    assertThat(Json.write(EVERY)).isEqualTo("{\"inputTokens\":1,\"outputTokens\":2,\"cachedInputTokens\":3,"
        + "\"cacheWriteTokens\":4,\"reasoningTokens\":5,\"cacheWrite1hTokens\":6,\"audioInputTokens\":7,"
        + "\"audioOutputTokens\":8,\"imageInputTokens\":9,\"imageOutputTokens\":10}");
    assertThat(Json.read(Json.write(EVERY), TokenUsage.class)).isEqualTo(EVERY);
  }

  @Test
  void readsARowWrittenBeforeTheLaterCountsExistedWithThoseAtZero() {
    String older = "{\"inputTokens\":1200,\"outputTokens\":340,\"cachedInputTokens\":1000,\"cacheWriteTokens\":0,"
        + "\"reasoningTokens\":12,\"someFutureCount\":5}";
    assertThat(Json.read(older, TokenUsage.class))
        .isEqualTo(TokenUsage.builder().input(1200).output(340).cachedInput(1000).reasoning(12).build());
    assertThat(Json.read("{\"inputTokens\":null}", TokenUsage.class)).isEqualTo(TokenUsage.NONE);
  }

  @Test
  void aCountTheBuilderRefusesIsAnUnreadableRowNotAValue() {
    assertThatThrownBy(() -> Json.read("{\"inputTokens\":-1}", TokenUsage.class))
        .isInstanceOf(OrchestratorException.class).hasMessageContaining("input must not be negative (was -1)");
    assertThatThrownBy(() -> Json.read("[1, 2]", TokenUsage.class)).isInstanceOf(OrchestratorException.class)
        .hasMessageStartingWith("stored TokenUsage is not readable JSON");
  }
}
