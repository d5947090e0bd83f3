package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@code anthropic} provider against a stub replaying the Messages API's documented shapes. */
class AnthropicProviderTest extends HttpProviderTestBase {
  static final String MESSAGE = """
      {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [{"type": "text", "text": "Hello there!"}],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {"input_tokens": 50, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000,
                  "output_tokens": 503}
      }
      """;

  static String[] streamed() {
    return new String[] {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":50,"
            + "\"cache_creation_input_tokens\":1000,\"cache_read_input_tokens\":2000,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\" there!\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":503}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"};
  }

  static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"},"
        + "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
  }

  @Override
  ProviderFactory factory() {
    return new AnthropicProviderFactory();
  }

  @Override
  String keyEnv() {
    return "ANTHROPIC_API_KEY";
  }

  @Override
  String modelsPath() {
    return "/v1/models";
  }

  @Override
  String basePath() {
    return "";
  }

  @Override
  StubServer.Reply success() {
    return StubServer.json(200, MESSAGE);
  }

  @Override
  StubServer.@Nullable Reply errorReply(ErrorKind kind) {
    return switch (kind) {
      case RATE_LIMITED -> StubServer.json(429, error("rate_limit_error", "Number of request tokens has exceeded"
          + " your per-minute rate limit"), "retry-after", "30");
      case SERVER -> StubServer.json(500, error("api_error", "Internal server error"));
      case OVERLOADED -> StubServer.json(529, error("overloaded_error", "Overloaded"));
      case AUTH -> StubServer.json(401, error("authentication_error", "invalid x-api-key"));
      case INVALID_REQUEST -> StubServer.json(400, error("invalid_request_error", "max_tokens: Field required"));
      case CONTEXT_TOO_LONG -> StubServer.json(400, error("invalid_request_error",
          "prompt is too long: 210000 tokens > 200000 maximum"));
      default -> null;
    };
  }

  @Test
  void sendsTheExactMessagesRequest() throws Exception {
    AiProvider p = provider("model", "claude-sonnet-4-5", "temperature", "0.5");
    ProviderResponse r = get(p.complete(
        ProviderRequest.builder().prompt("Write a haiku.").system("You are terse.").maxOutputTokens(300)
            .taskType("writing").build(), CALL));
    StubServer.Recorded sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.headers()).containsEntry("x-api-key", secret()).containsEntry("anthropic-version", "2023-06-01")
        .containsEntry("content-type", "application/json").doesNotContainKey("authorization");
    assertThat(json(sent.body())).isEqualTo(json("""
        {"model": "claude-sonnet-4-5", "max_tokens": 300, "system": "You are terse.",
         "messages": [{"role": "user", "content": "Write a haiku."}], "temperature": 0.5}
        """));
    assertThat(r.text()).isEqualTo("Hello there!");
    assertThat(r.usage()).isEqualTo(TokenUsage.builder().input(3050).output(503).cachedInput(2000).cacheWrite(1000)
        .build());
    // 50 x 3.00 + 1000 cache writes x 3.75 + 2000 cache reads x 0.30 + 503 x 15.00, per million
    assertThat(r.cost()).isEqualTo(Money.usd("0.012045"));
  }

  @Test
  void aJsonSchemaTaskPutsTheSchemaInTheSystemPrompt() throws Exception {
    get(provider().complete(ProviderRequest.builder().prompt("List two colours.")
        .expectedOutput(ExpectedOutput.jsonSchema("{\"type\":\"array\"}")).build(), CALL));
    assertThat(json(server.lastRequest().body()).get("system").asText())
        .contains("single JSON value").contains("{\"type\":\"array\"}");
  }

  @Test
  void streamedAndWholeRepliesReportIdenticalUsageAndCost() throws Exception {
    ProviderResponse whole = get(provider().complete(ProviderRequest.of("hi"), CALL));
    server.enqueue(StubServer.events(streamed()));
    ProviderResponse streamed = get(provider("stream", "true").complete(ProviderRequest.of("hi"), CALL));
    assertThat(json(server.lastRequest().body()).get("stream").asBoolean()).isTrue();
    assertThat(server.lastRequest().headers()).containsEntry("accept", "text/event-stream");
    assertThat(streamed.text()).isEqualTo("Hello there!").isEqualTo(whole.text());
    assertThat(streamed.usage()).isEqualTo(whole.usage());
    assertThat(streamed.cost()).isEqualTo(whole.cost());
    assertThat(streamed.responseId()).isEqualTo(whole.responseId());
  }

  @Test
  void overloaded529IsRetryable() throws Exception {
    server.enqueue(errorReply(ErrorKind.OVERLOADED));
    ProviderException e = failure(provider().complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("529").contains("overloaded_error");
  }

  @Test
  void rateLimitsCarryRetryAfterAndLongPromptsAreNamed() throws Exception {
    server.enqueue(errorReply(ErrorKind.RATE_LIMITED));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).retryAfter())
        .isEqualTo(Duration.ofSeconds(30));
    server.enqueue(errorReply(ErrorKind.CONTEXT_TOO_LONG));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
  }

  @Test
  void anErrorEventMidStreamIsClassified() throws Exception {
    String[] all = streamed();
    server.enqueue(StubServer.events(all[0], all[1], all[3],
        "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\":"
            + " \"Overloaded\"}}\n\n"));
    ProviderException e = failure(provider("stream", "true").complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
  }

  @Test
  void aStreamCutBeforeMessageStopIsMalformed() throws Exception {
    String[] all = streamed();
    server.enqueue(StubServer.events(all[0], all[1], all[3]));
    assertThat(failure(provider("stream", "true").complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.MALFORMED_RESPONSE);
  }

  @Test
  void aRefusalIsContentRefused() throws Exception {
    server.enqueue(StubServer.json(200, MESSAGE.replace("\"end_turn\"", "\"refusal\"")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTENT_REFUSED);
  }
}
