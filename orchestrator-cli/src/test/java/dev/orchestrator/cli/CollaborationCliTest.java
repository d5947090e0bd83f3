package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roadmap's example end to end: {@code orchestrator run} of a workflow file whose writer (an OpenAI-compatible
 * server's {@code writer} model) asks another provider ({@code reviewer}, on the same local server) whether the tone
 * matches the brand voice through native tool calling, then adjusts its draft; {@code logs} prints the conversation.
 */
class CollaborationCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASK = """
      {"id": "chatcmpl-ask", "object": "chat.completion", "model": "writer",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
         {"id": "call_tone", "type": "function", "function": {"name": "ask",
          "arguments": "{\\"provider\\": \\"claude\\", \\"question\\": \\"Does this tone match a warm brand voice? Draft: Dear valued customer.\\"}"}}]},
        "finish_reason": "tool_calls"}],
       "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70}}
      """;
  private static final String ANSWER = """
      {"id": "chatcmpl-answer", "object": "chat.completion", "model": "reviewer",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Too formal: say hi, not dear valued customer."},
        "finish_reason": "stop"}],
       "usage": {"prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42}}
      """;
  private static final String FINAL = """
      {"id": "chatcmpl-final", "object": "chat.completion", "model": "writer",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi there! Meet our new app."},
        "finish_reason": "stop"}],
       "usage": {"prompt_tokens": 90, "completion_tokens": 10, "total_tokens": 100}}
      """;

  @TempDir
  Path temp;

  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "collaboration-test-server");
    t.setDaemon(true);
    return t;
  });
  private HttpServer server;

  /** Answers as the model asked for: the writer asks first and then answers; the reviewer answers. */
  private void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/v1/models", e -> reply(e, "{\"object\": \"list\", \"data\": []}"));
    server.createContext("/v1/chat/completions", e -> {
      JsonNode body;
      try (InputStream in = e.getRequestBody()) {
        body = JSON.readTree(in.readAllBytes());
      }
      bodies.add(body);
      boolean writer = body.get("model").asText().equals("writer");
      boolean answered = body.get("messages").findValues("role").stream().anyMatch(r -> r.asText().equals("tool"));
      reply(e, !writer ? ANSWER : answered ? FINAL : ASK);
    });
    server.start();
  }

  private static void reply(HttpExchange e, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().add("Content-Type", "application/json");
    e.sendResponseHeaders(200, bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  @Test
  void aWriterAsksAnotherProviderAboutTheToneAndLogsShowTheConversation() throws Exception {
    serve();
    int port = server.getAddress().getPort();
    try (CliHarness cli = new CliHarness(temp.resolve("data"))) {
      Files.writeString(cli.dataDir.resolve("config.json"), """
          {
            "providers": {
              "chatgpt": { "type": "openai", "baseUrl": "http://127.0.0.1:%1$d/v1", "model": "writer" },
              "claude": { "type": "openai", "baseUrl": "http://127.0.0.1:%1$d/v1", "model": "reviewer" }
            },
            "defaultProvider": "chatgpt",
            "timeZone": "UTC"
          }
          """.formatted(port));
      Path workflow = Files.writeString(temp.resolve("post.json"), """
          { "name": "Post", "tasks": [ { "id": "draft", "title": "Draft", "assigned_to": "chatgpt",
            "collaborators": ["claude"], "max_exchanges": 2,
            "instructions": "Draft a one-line welcome post in a warm brand voice; ask claude about the tone." } ] }
          """);

      CliHarness.Result run = cli.run("run", workflow.toString());
      assertThat(run.code()).as(run.toString()).isZero();

      assertThat(bodies).hasSize(3);
      JsonNode first = bodies.get(0);
      assertThat(first.at("/tools/0/function/name").asText()).isEqualTo("ask");
      assertThat(bodies.get(1).get("model").asText()).isEqualTo("reviewer");
      assertThat(bodies.get(1).at("/messages/1/content").asText())
          .startsWith("Does this tone match a warm brand voice?");
      JsonNode third = bodies.get(2).get("messages");
      assertThat(third.get(2).at("/tool_calls/0/id").asText()).isEqualTo("call_tone");
      assertThat(third.get(3).get("role").asText()).isEqualTo("tool");
      assertThat(third.get(3).get("tool_call_id").asText()).isEqualTo("call_tone");
      assertThat(third.get(3).get("content").asText()).isEqualTo("Too formal: say hi, not dear valued customer.");

      CliHarness.Result logs = cli.run("logs");
      assertThat(logs.code()).as(logs.toString()).isZero();
      assertThat(logs.out()).contains("MessageExchanged", "chatgpt asks claude: Does this tone match",
          "claude answers chatgpt", "Conversation of task draft:\nAttempt 1:\n",
          "chatgpt -> claude (question", "claude -> chatgpt (answer, 30 in, 12 out",
          "  Too formal: say hi, not dear valued customer.", "chatgpt -> task (final",
          "  Hi there! Meet our new app.");
      CliHarness.Result task = cli.run("logs", "draft");
      assertThat(task.out()).contains("Conversation of task draft:");
    }
  }
}
