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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@code openai} provider against a stub replaying the Chat Completions API's documented shapes. */
class OpenAiProviderTest extends HttpProviderTestBase {
  static final String COMPLETION = """
      {
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1741570283,
        "model": "gpt-4o-2024-08-06",
        "choices": [
          {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello there!", "refusal": null, "annotations": []},
            "logprobs": null,
            "finish_reason": "stop"
          }
        ],
        "usage": {
          "prompt_tokens": 1117,
          "completion_tokens": 46,
          "total_tokens": 1163,
          "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": 12, "audio_tokens": 0,
            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        },
        "service_tier": "default",
        "system_fingerprint": "fp_fc9f1d7035"
      }
      """;

  static final String CHUNK = "{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_fc9f1d7035\",";

  static String[] streamed() {
    return new String[] {
        "data: " + CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,"
            + "\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there!\"},\"logprobs\":null,"
            + "\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + CHUNK + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}\n\n",
        "data: " + CHUNK + "\"choices\":[],\"usage\":{\"prompt_tokens\":1117,\"completion_tokens\":46,"
            + "\"total_tokens\":1163,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":12,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n",
        "data: [DONE]\n\n"};
  }

  static String error(String message, String type, @Nullable String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  @Override
  ProviderFactory factory() {
    return new OpenAiProviderFactory();
  }

  @Override
  String keyEnv() {
    return "OPENAI_API_KEY";
  }

  @Override
  String modelsPath() {
    return "/v1/models";
  }

  @Override
  String basePath() {
    return "/v1";
  }

  @Override
  StubServer.Reply success() {
    return StubServer.json(200, COMPLETION);
  }

  @Override
  StubServer.@Nullable Reply errorReply(ErrorKind kind) {
    return switch (kind) {
      case RATE_LIMITED -> StubServer.json(429, error("Rate limit reached for gpt-4o in organization org-abc on"
          + " tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 7s.", "tokens",
          "rate_limit_exceeded"), "retry-after", "7");
      case SERVER -> StubServer.json(500, error("The server had an error while processing your request. Sorry"
          + " about that!", "server_error", null));
      case AUTH -> StubServer.json(401, error("Incorrect API key provided: " + secret() + ". You can find your"
          + " API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
      case INVALID_REQUEST -> StubServer.json(400, error("Invalid value for 'temperature': expected a number.",
          "invalid_request_error", null));
      default -> null;
    };
  }

  @Test
  void sendsTheExactChatCompletionsRequest() throws Exception {
    AiProvider p = provider("model", "gpt-4o", "temperature", "0.2", "maxTokensField", "max_completion_tokens",
        "organization", "org-abc");
    ProviderRequest request = ProviderRequest.builder().prompt("Write a haiku.").system("You are terse.")
        .maxOutputTokens(200).taskType("writing").build();
    ProviderResponse r = get(p.complete(request, CALL));

    StubServer.Recorded sent = server.lastRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + secret())
        .containsEntry("content-type", "application/json").containsEntry("accept", "application/json")
        .containsEntry("openai-organization", "org-abc");
    assertThat(json(sent.body())).isEqualTo(json("""
        {"model": "gpt-4o",
         "messages": [{"role": "system", "content": "You are terse."},
                      {"role": "user", "content": "Write a haiku."}],
         "max_completion_tokens": 200,
         "temperature": 0.2}
        """));
    assertThat(r.text()).isEqualTo("Hello there!");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.responseId()).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    assertThat(r.usage()).isEqualTo(TokenUsage.builder().input(1117).output(46).cachedInput(1024).reasoning(12)
        .build());
    // gpt-4o: 93 uncached x 2.50 + 1024 cached x 1.25 + 46 out x 10.00, per million
    assertThat(r.cost()).isEqualTo(Money.usd("0.0019725"));
  }

  @Test
  void localServersGetMaxTokensAndNoKeyIsNeeded() throws Exception {
    env.put(keyEnv(), "");
    AiProvider p = provider("model", "llama3.2");
    get(p.complete(ProviderRequest.of("hi"), CALL));
    StubServer.Recorded sent = server.lastRequest();
    assertThat(sent.headers()).doesNotContainKey("authorization");
    assertThat(json(sent.body())).isEqualTo(json("""
        {"model": "llama3.2", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4096}
        """));
  }

  @Test
  void aJsonSchemaTaskAsksForAStructuredReply() throws Exception {
    AiProvider p = provider("model", "gpt-4o");
    String schema = "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"}}}";
    get(p.complete(ProviderRequest.builder().prompt("Title it.").maxOutputTokens(50)
        .expectedOutput(ExpectedOutput.jsonSchema(schema)).build(),
        CALL));
    assertThat(json(server.lastRequest().body()).get("response_format")).isEqualTo(json("""
        {"type": "json_schema", "json_schema": {"name": "task_output",
          "schema": {"type": "object", "properties": {"title": {"type": "string"}}}}}
        """));
  }

  @Test
  void streamsWithUsageAndSendsStreamOptions() throws Exception {
    server.enqueue(StubServer.events(streamed()));
    AiProvider p = provider("model", "gpt-4o", "stream", "true");
    ProviderResponse r = get(p.complete(ProviderRequest.of("hi"), CALL));
    assertThat(server.lastRequest().headers()).containsEntry("accept", "text/event-stream");
    assertThat(json(server.lastRequest().body())).isEqualTo(json("""
        {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4096,
         "stream": true, "stream_options": {"include_usage": true}}
        """));
    assertThat(r.text()).isEqualTo("Hello there!");
  }

  @Test
  void streamedAndWholeRepliesReportIdenticalUsageAndCost() throws Exception {
    ProviderResponse whole = get(provider("model", "gpt-4o").complete(ProviderRequest.of("hi"), CALL));
    server.enqueue(StubServer.events(streamed()));
    ProviderResponse streamed = get(provider("model", "gpt-4o", "stream", "true").complete(ProviderRequest.of("hi"),
        CALL));
    assertThat(streamed.text()).isEqualTo(whole.text());
    assertThat(streamed.usage()).isEqualTo(whole.usage());
    assertThat(streamed.cost()).isEqualTo(whole.cost());
    assertThat(streamed.model()).isEqualTo(whole.model());
  }

  @Test
  void aTruncatedStreamIsAMalformedResponse() throws Exception {
    String[] all = streamed();
    server.enqueue(StubServer.events(all[0], all[1]));
    ProviderException e = failure(provider("stream", "true").complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("[DONE]");
  }

  @Test
  void aBodyThatIsNotJsonIsAMalformedResponse() throws Exception {
    server.enqueue(StubServer.json(200, "{\"id\": \"chatcmpl-1\", \"choices\": ["));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.MALFORMED_RESPONSE);
  }

  @Test
  void rateLimitsCarryRetryAfter() throws Exception {
    server.enqueue(errorReply(ErrorKind.RATE_LIMITED));
    ProviderException e = failure(provider().complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void classifiesTheDocumentedErrors() throws Exception {
    server.enqueue(StubServer.json(400, error("This model's maximum context length is 128000 tokens. However,"
        + " your messages resulted in 130000 tokens.", "invalid_request_error", "context_length_exceeded")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTEXT_TOO_LONG);

    server.enqueue(StubServer.json(429, error("You exceeded your current quota, please check your plan and billing"
        + " details.", "insufficient_quota", "insufficient_quota")));
    ProviderException quota = failure(provider().complete(ProviderRequest.of("hi"), CALL));
    assertThat(quota.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(quota.retryable()).as("waiting does not refill a quota").isFalse();

    server.enqueue(StubServer.json(503, error("The engine is currently overloaded, please try again later.",
        "server_error", null)));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.OVERLOADED);

    server.enqueue(StubServer.json(404, error("The model 'gpt-9' does not exist or you do not have access to it.",
        "invalid_request_error", "model_not_found")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.INVALID_REQUEST);

    server.enqueue(StubServer.json(200, COMPLETION.replace("\"content\": \"Hello there!\", \"refusal\": null",
        "\"content\": null, \"refusal\": \"I'm sorry, I cannot help with that.\"")));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTENT_REFUSED);
  }

  @Test
  void anUnreachableServerIsANetworkFailure() throws Exception {
    StubServer gone = new StubServer();
    String url = gone.url("/v1");
    gone.close();
    AiProvider p = provider("baseUrl", url);
    ProviderException e = failure(p.complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.getMessage()).as("names the address").contains("cannot connect to " + url + "/chat/completions")
        .contains("check baseUrl");
  }

  @Test
  void anUnknownHostSaysItIsTheHostName() throws Exception {
    AiProvider p = provider("baseUrl", "http://no-such-host.invalid/v1");
    ProviderException e = failure(p.complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.getMessage()).contains("cannot resolve the host of http://no-such-host.invalid/v1/chat/completions");
  }

  @Test
  void aLocalServersContextOverflowIsAContextErrorWithBothSizes() throws Exception {
    // llama.cpp's llama-server, as it answers a prompt over its --ctx-size
    server.enqueue(StubServer.json(400, "{\"error\": {\"code\": 400, \"message\": \"request (4476 tokens) exceeds "
        + "the available context size (4096 tokens)\", \"type\": \"exceed_context_size_error\", "
        + "\"n_prompt_tokens\": 4476, \"n_ctx\": 4096}}"));
    ProviderException e = failure(provider().complete(ProviderRequest.of("hi"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("4476 tokens", "context 4096", "--ctx-size");
    // Ollama says it only in words
    server.enqueue(StubServer.json(400, "{\"error\": \"the input length exceeds the context length\"}"));
    assertThat(failure(provider().complete(ProviderRequest.of("hi"), CALL)).kind())
        .isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
  }

  @Test
  void theTimeLimitRunsOnTheEnginesScheduler() throws Exception {
    server.enqueue(new StubServer.Hang());
    CompletableFuture<ProviderResponse> f = provider("timeout", "30s").complete(ProviderRequest.of("hi"), CALL);
    scheduler.advance(Duration.ofSeconds(29));
    assertThat(f).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    ProviderException e = failure(f);
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void cancellingMidStreamClosesTheConnectionAtOnce() throws Exception {
    String[] all = streamed();
    CountDownLatch sent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
    server.enqueue(new StubServer.StreamThenWatch(java.util.List.of(all[0], all[1]), sent, release, hungUp));
    CompletableFuture<ProviderResponse> f = provider("stream", "true").complete(ProviderRequest.of("hi"), CALL);
    assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    release.countDown();
    assertThat(hungUp.get(10, TimeUnit.SECONDS)).as("the server saw the client hang up").isTrue();
  }
}
