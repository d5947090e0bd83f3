package dev.orchestrator.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.orchestrator.CostBasis;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/langchain4j.md, as written there, against the local stub instead of OpenAI. */
class DocsExampleTest {
  interface Assistant {
    String chat(String message);
  }

  private final OpenAiStub stub = new OpenAiStub();

  @AfterEach
  void close() {
    stub.close();
  }

  @Test
  void thePagesExamplesRun() throws Exception {
    stub.enqueue(OpenAiStub.reply("Moon pulls the sea", 40, 8, 0),
        OpenAiStub.toolCall("write_haiku", "{\"topic\": \"tides\"}"),
        OpenAiStub.reply("Moon draws the sea home", 40, 8, 0),
        OpenAiStub.reply("Here it is: Moon draws the sea home", 120, 15, 0));
    String key = Models.KEY;
    ChatModel gpt = OpenAiChatModel.builder()
        .baseUrl(stub.baseUrl()) // the page's example talks to OpenAI itself
        .apiKey(key)
        .modelName("gpt-4o-mini")
        .maxRetries(0)
        .build();

    LangChain4jProvider mini = LangChain4jProvider.builder()
        .name("gpt-mini")
        .chatModel(gpt)
        .secrets(key)
        .build();

    Workflow haiku = Workflow.builder("haiku")
        .task("draft", t -> t.instructions("Write a haiku about {{topic}}.").provider("gpt-mini"))
        .build();

    try (Orchestrator orchestrator = Orchestrator.builder().provider(mini).build()) {
      RunSnapshot done = orchestrator.submit("poems", haiku, Map.of("topic", "tides"))
          .completion().get(2, TimeUnit.MINUTES);
      assertThat(done.task("draft").output()).isEqualTo("Moon pulls the sea");
      assertThat(done.costBasis()).isEqualTo(CostBasis.MEASURED);

      WorkflowTool writeHaiku = WorkflowTool.builder(orchestrator, "poems", haiku)
          .name("write_haiku")
          .description("Writes a haiku about a topic and returns it.")
          .timeout(Duration.ofMinutes(2))
          .build();

      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(gpt)
          .tools(writeHaiku.asMap())
          .build();

      String answer = assistant.chat("Write me a haiku about tides.");
      assertThat(answer).contains("Moon draws the sea home");
    }
  }

  @Test
  void thePageShowsTheseExamples() throws Exception {
    String page = Files.readString(Path.of("..", "docs", "langchain4j.md"));
    assertThat(page).contains("LangChain4jProvider mini = LangChain4jProvider.builder()")
        .contains(".tools(writeHaiku.asMap())").contains(".maxRetries(0)");
  }
}
