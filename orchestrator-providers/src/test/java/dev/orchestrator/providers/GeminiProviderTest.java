package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@code gemini} provider against a stub replaying generateContent's documented shapes. */
class GeminiProviderTest extends HttpProviderTestBase {
  static final String RESPONSE = """
      {
        "candidates": [
          {"content": {"parts": [{"text": "Hello there!"}], "role": "model"}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {
          "promptTokenCount": 1200, "candidatesTokenCount": 80, "totalTokenCount": 1400,
          "cachedContentTokenCount": 1024, "thoughtsTokenCount": 120,
          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 1200}]
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "mOi9aN2kJ9ao1e8Pk5_sgQM"
      }
      """;

  static String error(int code, String status, String message, String details) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\","
        + "\"details\":[" + details + "]}}";
  }

  @Override
  ProviderFactory factory() {
    return new GeminiProviderFactory();
  }

  @Override
  String keyEnv() {
    return "GEMINI_API_KEY";
  }

  @Override
  String modelsPath() {
    return "/v1beta/models";
  }

  @Override
  String basePath() {
    return "/v1beta";
  }

  @Override
  StubServer.Reply success() {
    return StubServer.json(200, RESPONSE);
  }

  @Override
  StubServer.@Nullable Reply errorReply(ErrorKind kind) {
    return switch (kind) {
      case RATE_LIMITED -> StubServer.json(429, error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
          "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"37s\"}"));
      case SERVER -> StubServer.json(500, error(500, "INTERNAL", "An internal error has occurred.", ""));
      case OVERLOADED -> StubServer.json(503, error(503, "UNAVAILABLE",
          "The model is overloaded. Please try again later.", ""));
      case AUTH -> StubServer.json(400, error(400, "INVALID_ARGUMENT",
          "API key not valid. Please pass a valid API key.",
          "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
              + "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}"));
      case INVALID_REQUEST -> StubServer.json(400, error(400, "INVALID_ARGUMENT",
          "Invalid JSON payload received. Unknown name \\\"foo\\\": Cannot find field.", ""));
      default -> null;
    };
  }

  @Test
  void sendsTheExactGenerateContentRequest() throws Exception {
    ProviderResponse r = get(provider("model", "gemini-2.5-flash", "temperature", "0.7").complete(
        ProviderRequest.builder().prompt("Write a haiku.").system("You are terse.").maxOutputTokens(256)
            .taskType("writing").build(), CALL));
    StubServer.Recorded sent = server.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.query()).as("the key never goes in the URL").isEmpty();
    assertThat(sent.headers()).containsEntry("x-goog-api-key", secret())
        .containsEntry("content-type", "application/json");
    assertThat(json(sent.body())).isEqualTo(json("""
        {"contents": [{"role": "user", "parts": [{"text": "Write a haiku."}]}],
         "systemInstruction": {"parts": [{"text": "You are terse."}]},
         "generationConfig": {"maxOutputTokens": 256, "temperature": 0.7}}
        """));
    assertThat(r.text()).isEqualTo("Hello there!");
    assertThat(r.responseId()).isEqualTo("mOi9aN2kJ9ao1e8Pk5_sgQM");
    assertThat(r.usage()).isEqualTo(TokenUsage.builder().input(1200).output(200).cachedInput(1024).reasoning(120)
        .build());
    // 176 x 0.30 + 1024 cached x 0.03 + (80 + 120 thoughts) x 2.50, per million
    assertThat(r.cost()).isEqualTo(Money.usd("0.00058352"));
  }

  @Test
  void aConfiguredThinkingBudgetIsSentAndNeverAboveTheOutputAllowance() throws Exception {
    get(provider("thinkingBudget", "8192").complete(
        ProviderRequest.builder().prompt("hi").maxOutputTokens(1000).build(), CALL));
    assertThat(json(server.lastRequest().body()).get("generationConfig")).isEqualTo(json("""
        {"maxOutputTokens": 1000, "thinkingConfig": {"thinkingBudget": 1000}}
        """));
    get(provider("thinkingBudget", "512").complete(ProviderRequest.of("hi"), CALL));
    assertThat(json(server.lastRequest().body()).at("/generationConfig/thinkingConfig/thinkingBudget").asInt())
        .isEqualTo(512);
  }

  @Test
  void aJsonSchemaTaskUsesJsonMode() throws Exception {
    get(provider().complete(ProviderRequest.builder().prompt("Colours?")
        .expectedOutput(ExpectedOutput.jsonSchema("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"))
        .build(), CALL));
    assertThat(json(server.lastRequest().body()).get("generationConfig")).isEqualTo(json("""
        {"maxOutputTokens": 4096, "responseMimeType": "application/json",
         "responseJsonSchema": {"type": "array", "items": {"type": "string"}}}
        """));
  }

  @Test
  void streamedAndWholeRepliesReportIdenticalUsageAndCost() throws Exception {
    ProviderResponse whole = get(provider().complete(ProviderRequest.of("hi"), CALL));
    server.enqueue(StubServer.events(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],\"role\": \"model\"},"
            + "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 1200,\"totalTokenCount\": 1200},"
            + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"mOi9aN2kJ9ao1e8Pk5_sgQM\"}\r\n\r\n",
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" there!\"}],\"role\": \"model\"},"
            + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 1200,"
            + "\"candidatesTokenCount\": 80,\"totalTokenCount\": 1400,\"cachedContentTokenCount\": 1024,"
            + "\"thoughtsTokenCount\": 120},\"modelVersion\": \"gemini-2.5-flash\","
            + "\"responseId\": \"mOi9aN2kJ9ao1e8Pk5_sgQM\"}\r\n\r\n"));
    ProviderResponse streamed = get(provider("stream", "true").complete(ProviderRequest.of("hi"), CALL));
    assertThat(server.lastRequest().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(server.lastRequest().query()).isEqualTo("alt=sse");
    assertThat(streamed.text()).isEqualTo(whole.text());
    assertThat(streamed.usage()).isEqualTo(whole.usage());
    assertThat(streamed.cost()).isEqualTo(whole.cost());
  }

  @Test
  void classifiesTheDocumentedErrors() throws Exception {
    server.enqueue(errorReply(ErrorKind.RATE_LIMITED));
    ProviderException rate = failure(provider().complete(ProviderRequest.of("hi"), CALL));
    assertThat(rate.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(rate.retryAfter()).isEqualTo(Duration.ofSeconds(37));

    server.enqueue(errorReply(ErrorKind.OVERLOADED));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.OVERLOADED);

    server.enqueue(StubServer.json(400, error(400, "INVALID_ARGUMENT",
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", "")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTEXT_TOO_LONG);

    server.enqueue(StubServer.json(200, "{\"promptFeedback\": {\"blockReason\": \"SAFETY\"},"
        + " \"usageMetadata\": {\"promptTokenCount\": 8, \"totalTokenCount\": 8}}"));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTENT_REFUSED);

    server.enqueue(StubServer.json(200, RESPONSE.replace("\"STOP\"", "\"SAFETY\"")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTENT_REFUSED);
  }
}
