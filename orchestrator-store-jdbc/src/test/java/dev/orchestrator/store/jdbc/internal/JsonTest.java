package dev.orchestrator.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.CostBasis;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.spi.store.Command;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored JSON of attempts, questions and commands: the text rows hold, byte for byte, and rows of older versions. */
class JsonTest {
  private static final String USAGE = "{\"inputTokens\":1200,\"outputTokens\":0,\"cachedInputTokens\":1000,"
      + "\"cacheWriteTokens\":200,\"reasoningTokens\":0,\"cacheWrite1hTokens\":0,\"audioInputTokens\":0,"
      + "\"audioOutputTokens\":0,\"imageInputTokens\":0,\"imageOutputTokens\":0}";
  private static final String ATTEMPT = "{\"number\":1,\"provider\":\"openai\","
      + "\"startedAt\":\"2025-03-01T10:00:01Z\",\"finishedAt\":\"2025-03-01T10:00:02.000000001Z\","
      + "\"outcome\":\"FAILED\",\"errorKind\":\"RATE_LIMITED\",\"message\":\"429 slow down\",\"usage\":" + USAGE
      + ",\"cost\":{\"amount\":0.012345678901234567,\"currency\":\"USD\"},\"costBasis\":\"ESTIMATED\","
      + "\"prompt\":\"Draft it.\\n\\u00ab research \\u00bb\"}";

  @Test
  void anAttemptReadsBackAndIsWrittenAsTheTextItCameFrom() {
    List<Attempt> read = Json.readAttempts("[" + ATTEMPT + "]");
    Attempt a = read.get(0);
    assertThat(a.cost().amount()).isEqualTo(new BigDecimal("0.012345678901234567"));
    assertThat(a.costBasis()).isEqualTo(CostBasis.ESTIMATED);
    assertThat(a.prompt()).isEqualTo("Draft it.\n« research »");
    assertThat(Json.readAttempts(Json.write(read))).isEqualTo(read);
    assertThat(Json.write(read)).isEqualTo("[" + ATTEMPT.replace("\\u00ab", "«").replace("\\u00bb", "»") + "]");
  }

  @Test
  void anAttemptStoredBeforeTheCostBasisAndThePromptWereRecordedReadsAsMeasuredWithoutAPrompt() {
    String old = "[{\"number\":2,\"provider\":\"claude\",\"startedAt\":\"2025-03-01T10:00:01Z\",\"finishedAt\":null,"
        + "\"outcome\":null,\"errorKind\":null,\"message\":null,\"usage\":" + USAGE
        + ",\"cost\":{\"amount\":0.50,\"currency\":\"USD\"},\"retired\":true}]";
    Attempt a = Json.readAttempts(old).get(0);
    assertThat(a.costBasis()).isEqualTo(CostBasis.MEASURED);
    assertThat(a.prompt()).isNull();
    assertThat(a.outcome()).isNull();
    assertThat(a.cost().amount().toPlainString()).isEqualTo("0.50");
  }

  @Test
  void aBadAttemptIsUnreadableNamingTheField() {
    assertThatThrownBy(() -> Json.readAttempts("[{\"number\":0,\"provider\":\"x\","
        + "\"startedAt\":\"2025-03-01T10:00:01Z\",\"usage\":" + USAGE + ",\"cost\":{\"amount\":0,"
        + "\"currency\":\"USD\"}}]"))
        .isInstanceOf(OrchestratorException.class).hasMessageContaining("stored attempts is not readable JSON")
        .hasMessageContaining("number must be >= 1 (was 0)");
    assertThatThrownBy(() -> Json.readAttempts("[{\"number\":1,\"startedAt\":\"2025-03-01T10:00:01Z\"}]"))
        .isInstanceOf(OrchestratorException.class).hasMessageContaining("provider is missing");
  }

  @Test
  void aQuestionAndACommandKeepTheirStoredText() {
    String question = "{\"id\":\"q-1\",\"project\":\"p\",\"runId\":\"r\",\"taskId\":\"t\",\"text\":\"Which tone?\","
        + "\"askedAt\":\"2025-03-01T10:00:04Z\",\"answer\":\"warm\",\"answeredAt\":\"2025-03-01T10:00:05Z\"}";
    Question q = Json.readQuestion(question);
    assertThat(q.answer()).isEqualTo("warm");
    assertThat(Json.write(q)).isEqualTo(question);
    String command = "{\"id\":\"c1\",\"kind\":\"ANSWER\",\"project\":\"p\",\"runId\":\"r\",\"target\":\"q-1\","
        + "\"by\":\"alice\",\"text\":\"yes\",\"at\":\"2025-03-01T10:00:00Z\"}";
    Command c = Json.readCommand(command);
    assertThat(c.kind()).isEqualTo(Command.Kind.ANSWER);
    assertThat(Json.write(c)).isEqualTo(command);
    Command older = Json.readCommand("{\"id\":\"c1\",\"kind\":\"ANSWER\",\"project\":\"p\",\"target\":\"q-1\","
        + "\"by\":\"alice\",\"text\":\"yes\",\"at\":\"2025-03-01T10:00:00Z\"}");
    assertThat(older.runId()).isNull();
  }
}
