package dev.orchestrator.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.ExpectedOutput;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LangChain4jProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CallContext CALL = CallContext.of("p", "run-1", "task-1", 1);

  private final OpenAiStub stub = new OpenAiStub();

  @AfterEach
  void close() {
    stub.close();
  }

  @Test
  void sendsTheSystemAndUserMessagesAndTheOutputLimit() throws Exception {
    try (LangChain4jProvider p = LangChain4jProvider.builder().name("gpt-mini").chatModel(Models.openAi(stub))
        .temperature(0.2).build()) {
      await(p.complete(ProviderRequest.builder().prompt("Write a haiku about tides.").system("You are terse.")
          .maxOutputTokens(200).build(), CALL));
    }
    JsonNode body = JSON.readTree(stub.requests().get(0).body());
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("You are terse.");
    assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Write a haiku about tides.");
    assertThat(body.has("max_tokens") ? body.path("max_tokens").asInt() : body.path("max_completion_tokens").asInt())
        .isEqualTo(200);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void anExpectedJsonSchemaIsAskedForInTheSystemMessage() throws Exception {
    try (LangChain4jProvider p = Models.provider("gpt-mini", stub)) {
      await(p.complete(ProviderRequest.builder().prompt("List three tides.")
          .expectedOutput(ExpectedOutput.jsonSchema("{\"type\": \"array\"}")).build(), CALL));
    }
    JsonNode body = JSON.readTree(stub.requests().get(0).body());
    assertThat(body.path("messages").get(0).path("content").asText())
        .contains("Reply with a single JSON value").contains("{\"type\": \"array\"}");
  }

  @Test
  void reportsTheTokensAndTheExactCostOfTheModelThatAnswered() throws Exception {
    // gpt-4o-mini: $0.15 per million input tokens, $0.075 cached, $0.60 output
    stub.enqueue(OpenAiStub.reply("Moon pulls, sea answers.", 1200, 300, 1000));
    ProviderResponse r;
    try (LangChain4jProvider p = Models.provider("gpt-mini", stub)) {
      r = await(p.complete(ProviderRequest.of("Write a haiku about tides."), CALL));
    }
    assertThat(r.text()).isEqualTo("Moon pulls, sea answers.");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.responseId()).isEqualTo("chatcmpl-1200");
    assertThat(r.usage()).isEqualTo(TokenUsage.builder().input(1200).cachedInput(1000).output(300).build());
    // 200 x 0.15 + 1000 x 0.075 + 300 x 0.60 = 285 per million
    assertThat(r.cost().amount()).isEqualByComparingTo(new BigDecimal("0.000285"));
    assertThat(r.costBasis()).isEqualTo(CostBasis.MEASURED);
  }

  @Test
  void anInstancesOwnPriceWinsOverTheTable() throws Exception {
    stub.enqueue(OpenAiStub.reply("ok", 1_000_000, 1_000_000, 0));
    ProviderResponse r;
    try (LangChain4jProvider p = LangChain4jProvider.builder().name("gpt-mini").chatModel(Models.openAi(stub))
        .price(ModelPrice.of(new BigDecimal("1.00"), new BigDecimal("2.00"))).build()) {
      r = await(p.complete(ProviderRequest.of("hi"), CALL));
    }
    assertThat(r.cost()).isEqualTo(Money.usd("3.00"));
  }

  @Test
  void aModelWithoutAPriceIsRecordedAtZeroAsUnpriced() throws Exception {
    stub.enqueue(OpenAiStub.reply("ok", "house-model-7b", 100, 10, 0));
    ProviderResponse r;
    try (LangChain4jProvider p = LangChain4jProvider.builder().name("house").chatModel(
        Models.openAi(stub, "house-model-7b")).build()) {
      r = await(p.complete(ProviderRequest.of("hi"), CALL));
      assertThat(p.estimate(ProviderRequest.of("hi")).isKnown()).isFalse();
      assertThat(p.estimate(ProviderRequest.of("hi")).unknown())
          .contains("model 'house-model-7b' has no price").contains("maxCostPerCall");
    }
    assertThat(r.cost()).isEqualTo(Money.ZERO);
    assertThat(r.costBasis()).isEqualTo(CostBasis.UNPRICED);
  }

  @Test
  void aReplyWithoutUsageIsRecordedAtItsWorstCaseAsAnEstimate() throws Exception {
    stub.enqueue(OpenAiStub.replyWithoutUsage("ok"));
    ProviderRequest request = ProviderRequest.builder().prompt("hi").maxOutputTokens(100).build();
    ProviderResponse r;
    Money high;
    try (LangChain4jProvider p = Models.provider("gpt-mini", stub)) {
      r = await(p.complete(request, CALL));
      high = p.estimate(request).high();
    }
    assertThat(r.costBasis()).isEqualTo(CostBasis.ESTIMATED);
    assertThat(r.usage().outputTokens()).isEqualTo(100);
    assertThat(r.cost().isZero()).isFalse();
    // never below what the engine reserved for the call: the worst case of the same prompt and output limit
    assertThat(r.cost()).isGreaterThanOrEqualTo(high);
  }

  @Test
  void theEstimateIsBoundedByThePriceAndTheOutputLimit() {
    try (LangChain4jProvider p = Models.provider("gpt-mini", stub)) {
      var e = p.estimate(ProviderRequest.builder().prompt("hi").maxOutputTokens(1000).build());
      assertThat(e.isKnown()).isTrue();
      // at least every allowed output token at $0.60 per million
      assertThat(e.high().amount()).isGreaterThanOrEqualTo(new BigDecimal("0.0006"));
    }
    assertThat(stub.requests()).as("an estimate calls nothing").isEmpty();
  }

  @Test
  void aRateLimitIsRetryableAndNotBilled() {
    stub.enqueue(OpenAiStub.error(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini."));
    ProviderException e = failure("gpt-mini");
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
    assertThat(e.provider()).isEqualTo("gpt-mini");
    assertThat(e.getMessage()).contains("HTTP 429").contains("Rate limit reached");
  }

  @Test
  void aRefusedKeyIsPermanentAndTheKeyNeverReachesTheMessage() {
    stub.enqueue(OpenAiStub.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: " + Models.KEY + ". You can find your API key at"
            + " https://platform.openai.com/account/api-keys."));
    ProviderException e = failure("gpt-mini");
    assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 401").contains("Incorrect API key provided")
        .doesNotContain(Models.KEY).doesNotContain("sk-test");
    assertThat(String.valueOf(e.getCause())).doesNotContain(Models.KEY);
  }

  @Test
  void anOverloadedServerAndAnUnknownModelAreClassifiedByTheirStatus() {
    stub.enqueue(OpenAiStub.error(503, "server_error", "overloaded", "The engine is currently overloaded."),
        OpenAiStub.error(404, "invalid_request_error", "model_not_found", "The model 'gpt-9' does not exist."),
        OpenAiStub.error(400, "invalid_request_error", "context_length_exceeded",
            "This model's maximum context length is 128000 tokens."));
    assertThat(failure("gpt-mini").kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(failure("gpt-mini").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(failure("gpt-mini").kind()).isEqualTo(ErrorKind.CONTEXT_TOO_LONG);
  }

  @Test
  void aServerThatCannotBeReachedIsANetworkFailureThatWasNotBilled() {
    String base = stub.baseUrl();
    stub.close();
    ChatModel gone = dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(base).apiKey(Models.KEY)
        .modelName("gpt-4o-mini").maxRetries(0).build();
    try (LangChain4jProvider p = LangChain4jProvider.builder().name("gone").chatModel(gone).build()) {
      ProviderException e = failure(p);
      assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
      assertThat(e.retryable()).isTrue();
      assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
    }
  }

  @Test
  void aCancelledCallFreesItsThreadForTheNextCall() throws Exception {
    stub.enqueue(new OpenAiStub.Hang());
    java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (LangChain4jProvider p = LangChain4jProvider.builder().name("gpt-mini").chatModel(Models.openAi(stub))
        .executor(one).build()) {
      CompletableFuture<ProviderResponse> hanging = p.complete(ProviderRequest.of("hang"), CALL);
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          stub.requests().isEmpty() && System.nanoTime() < deadline; ) {
        Thread.onSpinWait(); // until the hanging request reached the server
      }
      assertThat(hanging.cancel(true)).isTrue();
      // the executor's only thread was interrupted out of the hanging call, so the next call can run
      assertThat(await(p.complete(ProviderRequest.of("hi"), CALL)).text()).isEqualTo("Hello");
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void aClosedProviderRefusesCalls() {
    LangChain4jProvider p = Models.provider("gpt-mini", stub);
    p.close();
    ProviderException e = failure(p);
    assertThat(e.retryable()).isFalse();
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void theModelIsTakenFromTheChatModelOrMustBeGiven() {
    assertThat(Models.provider("gpt-mini", stub).model()).isEqualTo("gpt-4o-mini");
    ChatModel bare = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        throw new UnsupportedOperationException();
      }
    };
    assertThatThrownBy(() -> LangChain4jProvider.builder().name("bare").chatModel(bare).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model is required for provider 'bare'").hasMessageContaining("model(\"...\")");
    assertThat(LangChain4jProvider.builder().name("bare").chatModel(bare).model("gpt-4o").build().model())
        .isEqualTo("gpt-4o");
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> LangChain4jProvider.builder().name("GPT Mini"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name must be")
        .hasMessageContaining("'GPT Mini'").hasMessageContaining("'gpt-mini'");
    assertThatThrownBy(() -> LangChain4jProvider.builder().maxOutputTokens(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutputTokens must be >= 1 (was 0)");
    assertThatThrownBy(() -> LangChain4jProvider.builder().temperature(3.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature must be between 0 and 2");
    assertThatThrownBy(() -> LangChain4jProvider.builder().maxCostPerCall(Money.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCostPerCall must be positive");
    assertThatThrownBy(() -> LangChain4jProvider.builder().name("x").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("chatModel is required");
  }

  @Test
  void toStringNamesTheModelAndNoSecret() {
    assertThat(Models.provider("gpt-mini", stub).toString()).contains("gpt-mini", "gpt-4o-mini", "OpenAiChatModel")
        .doesNotContain(Models.KEY);
  }

  private ProviderException failure(String name) {
    try (LangChain4jProvider p = Models.provider(name, stub)) {
      return failure(p);
    }
  }

  private static ProviderException failure(LangChain4jProvider p) {
    try {
      await(p.complete(ProviderRequest.of("hi"), CALL));
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProviderException.class);
      return (ProviderException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call was expected to fail");
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }
}
