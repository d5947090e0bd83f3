package dev.orchestrator.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.templates.Template;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowToolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  interface Assistant {
    String chat(String message);
  }

  private final OpenAiStub stub = new OpenAiStub();

  @AfterEach
  void close() {
    stub.close();
  }

  private static Workflow haiku() {
    return Workflow.builder("Haiku writer").description("Writes a haiku about a topic and returns it.")
        .defaultValue("mood", "calm")
        .task("draft", t -> t.instructions("Write a {{mood}} haiku about {{topic}}.").provider("gpt-mini"))
        .task("polish", t -> t.instructions("Polish: {{tasks.draft.output}}").provider("gpt-mini").dependsOn("draft"))
        .build();
  }

  @Test
  void anAgentCallsTheWorkflowAndAnswersWithItsOutput() throws Exception {
    // the agent asks for the tool, the workflow's two tasks run on the bridged model, then the agent answers
    stub.enqueue(OpenAiStub.toolCall("haiku_writer", "{\"topic\": \"tides\"}"),
        OpenAiStub.reply("Moon pulls the sea", 40, 8, 0),
        OpenAiStub.reply("Moon draws the sea home", 45, 8, 0),
        OpenAiStub.reply("Here is your haiku: Moon draws the sea home", 120, 15, 0));
    try (Orchestrator engine = Orchestrator.builder().provider(Models.provider("gpt-mini", stub)).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).build();
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(Models.openAi(stub))
          .tools(tool.asMap()).build();

      String answer = assistant.chat("Write me a haiku about tides.");

      assertThat(answer).contains("Moon draws the sea home");
      assertThat(engine.runs("poems")).hasSize(1).first()
          .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED))
          .satisfies(r -> assertThat(r.params()).containsEntry("topic", "tides"));
    }
    var requests = stub.requests();
    assertThat(requests).hasSize(4);
    JsonNode first = JSON.readTree(requests.get(0).body());
    JsonNode function = first.path("tools").get(0).path("function");
    assertThat(function.path("name").asText()).isEqualTo("haiku_writer");
    assertThat(function.path("description").asText()).isEqualTo("Writes a haiku about a topic and returns it.");
    assertThat(function.path("parameters").path("required")).extracting(JsonNode::asText).containsExactly("topic");
    assertThat(requests.get(1).body()).as("the workflow ran with the agent's arguments")
        .contains("Write a calm haiku about tides.");
    JsonNode last = JSON.readTree(requests.get(3).body());
    JsonNode toolResult = last.path("messages").get(last.path("messages").size() - 1);
    assertThat(toolResult.path("role").asText()).isEqualTo("tool");
    assertThat(toolResult.path("tool_call_id").asText()).isEqualTo("call_abc123");
    assertThat(toolResult.path("content").asText()).isEqualTo("Moon draws the sea home");
  }

  @Test
  void theSchemaListsTheWorkflowsParametersAsText() {
    try (Orchestrator engine = Orchestrator.builder().provider(FakeProvider.echo("gpt-mini")).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).name("write_haiku").build();
      JsonObjectSchema schema = tool.specification().parameters();
      assertThat(tool.name()).isEqualTo("write_haiku");
      assertThat(schema.properties()).containsOnlyKeys("topic", "mood");
      assertThat(schema.properties().get("topic")).isInstanceOf(JsonStringSchema.class);
      assertThat(((JsonStringSchema) schema.properties().get("mood")).description()).contains("'calm' when left out");
      assertThat(schema.required()).containsExactly("topic");
    }
  }

  @Test
  void wrongArgumentsAreAnsweredWithWhatIsWrongAndNothingRuns() {
    try (Orchestrator engine = Orchestrator.builder().provider(FakeProvider.echo("gpt-mini")).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).build();
      ToolExecutionResult r = tool.executeWithContext(call("{\"subject\": \"tides\"}"), null);
      assertThat(r.isError()).isTrue();
      assertThat(r.resultText()).contains("'subject' is not a parameter").contains("'topic' is missing")
          .contains("[mood, topic]");
      assertThat(tool.execute(call("[1, 2]"), null)).contains("must be a JSON object (was array)");
      assertThat(tool.execute(call("{topic"), null)).contains("are not JSON");
      assertThat(engine.runs("poems")).isEmpty();
    }
  }

  @Test
  void aFailedRunIsAnsweredWithTheTaskAndItsReason() {
    FakeProvider model = FakeProvider.builder("gpt-mini").script(Reply.failure(ErrorKind.AUTH)).build();
    try (Orchestrator engine = Orchestrator.builder().provider(model).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).build();
      ToolExecutionResult r = tool.executeWithContext(call("{\"topic\": \"tides\"}"), null);
      assertThat(r.isError()).isTrue();
      assertThat(r.resultText()).contains("did not succeed").contains("FAILED")
          .contains("task 'draft' failed (AUTH)").contains("task 'polish' was skipped");
    }
  }

  @Test
  void aRunThatOutlastsTheTimeoutIsCancelledAndSaysSo() throws Exception {
    FakeProvider model = FakeProvider.builder("gpt-mini").script(Reply.hang()).build();
    try (Orchestrator engine = Orchestrator.builder().provider(model).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).timeout(Duration.ofMillis(1)).build();
      WorkflowTool.Answer answer = tool.call("{\"topic\": \"tides\"}");
      assertThat(answer.succeeded()).isFalse();
      assertThat(answer.text()).contains("did not finish within PT0.001S").contains("it was cancelled");
      var run = engine.run("poems", answer.runId()).orElseThrow();
      assertThat(run.completion().get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Test
  void theOutputsCanBeChosenByTask() {
    FakeProvider model = FakeProvider.builder("gpt-mini").otherwise(req -> Reply.text("out of " + req.prompt()))
        .build();
    try (Orchestrator engine = Orchestrator.builder().provider(model).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "poems", haiku()).outputs("draft", "polish").build();
      String text = tool.execute(call("{\"topic\": \"tides\"}"), null);
      assertThat(text).startsWith("## draft\nout of Write a calm haiku about tides.")
          .contains("\n\n## polish\nout of Polish: ");
      assertThatThrownBy(() -> WorkflowTool.builder(engine, "poems", haiku()).outputs("final"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputs names no task 'final'")
          .hasMessageContaining("[draft, polish]");
    }
  }

  @Test
  void aTemplatesTypedParametersBecomeTheSchemaAndAreChecked() {
    Template template = Template.parse("""
        {"id": "tide_report", "name": "Tide report", "description": "Reports the tides of a port.",
         "parameters": {
           "port": {"type": "string", "description": "the harbour"},
           "days": {"type": "integer", "min": 1, "max": 7, "default": 3},
           "style": {"type": "enum", "allowed_values": ["brief", "full"]}},
         "tasks": [{"id": "report", "title": "Report",
                    "instructions": "Report {{days}} days of tides at {{port}}, {{style}}.",
                    "assigned_to": "gpt-mini"}]}
        """);
    FakeProvider model = FakeProvider.builder("gpt-mini").otherwise(req -> Reply.text("Tides: " + req.prompt()))
        .build();
    try (Orchestrator engine = Orchestrator.builder().provider(model).build()) {
      WorkflowTool tool = WorkflowTool.builder(engine, "harbour", template).build();
      JsonObjectSchema schema = tool.specification().parameters();
      assertThat(tool.name()).isEqualTo("tide_report");
      assertThat(schema.properties().get("days")).isInstanceOf(JsonIntegerSchema.class);
      assertThat(((JsonEnumSchema) schema.properties().get("style")).enumValues()).containsExactly("brief", "full");
      assertThat(schema.required()).containsExactlyInAnyOrder("port", "style");

      assertThat(tool.execute(call("{\"port\": \"Brest\", \"days\": 2, \"style\": \"brief\"}"), null))
          .isEqualTo("Tides: Report 2 days of tides at Brest, brief.");
      ToolExecutionResult wrong = tool.executeWithContext(call("{\"port\": \"Brest\", \"days\": 9,"
          + " \"style\": \"brief\"}"), null);
      assertThat(wrong.isError()).isTrue();
      assertThat(wrong.resultText()).contains("do not fit the tool 'tide_report'").contains("days");
    }
  }

  @Test
  void badSettingsAreRefusedByName() {
    try (Orchestrator engine = Orchestrator.builder().provider(FakeProvider.echo("gpt-mini")).build()) {
      assertThatThrownBy(() -> WorkflowTool.builder(engine, "poems", haiku()).name("write haiku"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(was 'write haiku')")
          .hasMessageContaining("'write_haiku'");
      assertThatThrownBy(() -> WorkflowTool.builder(engine, "poems", haiku()).timeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
      assertThatThrownBy(() -> WorkflowTool.builder(engine, " ", haiku()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project must not be blank");
    }
  }

  private static ToolExecutionRequest call(String arguments) {
    return ToolExecutionRequest.builder().id("call_1").name("haiku_writer").arguments(arguments).build();
  }
}
