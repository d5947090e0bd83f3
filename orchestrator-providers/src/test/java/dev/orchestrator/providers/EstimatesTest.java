package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.PriceTable;
import dev.orchestrator.providers.http.TokenCounter;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.ExpectedOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reservations are true upper bounds: tokenizer counts, byte bounds, output caps, tiers, unknown and capped calls. */
class EstimatesTest {
  static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
  static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
  static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
  static final String JAPANESE = "東京都の天気は晴れのち曇りです。"
      + "明日の予定を教えてください。";
  static final String CHINESE = "机器学习是人工智能的一个分支，"
      + "它使计算机能够从数据中学习。";

  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final StubServer server = new StubServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  AiProvider provider(ProviderFactory factory, String name, String... props) {
    Map<String, String> p = new HashMap<>();
    if (!factory.type().equals("simulator") && !factory.type().equals("cli")) {
      p.put("baseUrl", server.url("/v1"));
      p.put("apiKey", "test-key");
    }
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put(props[i], props[i + 1]);
    }
    return factory.create(new PluginConfig(name, factory.type(), p), PluginContext.of(clock, scheduler, k -> null));
  }

  static ModelPrice price(String model) {
    return PriceTable.bundled().find(model).orElseThrow();
  }

  @Test
  void openAiModelsAreCountedByTheirOwnEncoding() {
    assertThat(Estimates.counterFor("openai", "gpt-4o").count("Hello, world!")).isEqualTo(4);
    for (String model : new String[] {"gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-4.1", "gpt-5", "gpt-5-mini", "o1",
        "o3-mini", "o4-mini", "openai/gpt-4o"}) {
      TokenCounter c = Estimates.counterFor("openai", model);
      assertThat(c.name()).as(model).isEqualTo("o200k_base");
      assertThat(c.count(JAPANESE)).as(model).isEqualTo(O200K.countTokensOrdinary(JAPANESE));
    }
    for (String model : new String[] {"gpt-4", "gpt-4-turbo", "gpt-3.5-turbo-0125"}) {
      TokenCounter c = Estimates.counterFor("openai", model);
      assertThat(c.name()).as(model).isEqualTo("cl100k_base");
      assertThat(c.count(CHINESE)).as(model).isEqualTo(CL100K.countTokensOrdinary(CHINESE));
    }
    assertThat(Estimates.counterFor("openai", "llama3.2").name()).as("an OpenAI-compatible server's model")
        .isEqualTo("utf8-bytes");
    assertThat(Estimates.counterFor("anthropic", "claude-sonnet-4-5").name()).isEqualTo("utf8-bytes");
    assertThat(Estimates.counterFor("gemini", "gemini-2.5-pro").name()).isEqualTo("utf8-bytes");
    assertThat(Estimates.counterFor("openai", "gpt-4o").count("see <|endoftext|> here"))
        .as("special tokens in a prompt are text").isEqualTo(O200K.countTokensOrdinary("see <|endoftext|> here"));
  }

  @Test
  void theInputBoundAddsEveryMessagesFramingAndTheReplyPriming() {
    ProviderRequest r = ProviderRequest.builder().prompt("The quick brown fox jumps over the lazy dog.")
        .system("You are terse.").build();
    // 10 + 4 text tokens, 4 per message, 8 for the request
    assertThat(Estimates.inputBound(Estimates.counterFor("openai", "gpt-4o"), r)).isEqualTo(10 + 4 + 2 * 4 + 8);
    // 44 + 14 bytes, 16 per message, 16 for the request
    assertThat(Estimates.inputBound(TokenCounter.bytes(), r)).isEqualTo(44 + 14 + 2 * 16 + 16);

    String schema = "{\"type\":\"object\"}";
    ProviderRequest json = ProviderRequest.builder().prompt("Hi").expectedOutput(ExpectedOutput.jsonSchema(schema))
        .build();
    long withSchema = Estimates.inputBound(TokenCounter.bytes(), json);
    assertThat(withSchema).as("the instruction with the schema, and the schema again for native forms")
        .isGreaterThan(Estimates.inputBound(TokenCounter.bytes(), ProviderRequest.of("Hi"))
            + 2L * schema.length());
  }

  @Test
  void cjkPromptsAreNeverUnderestimated() {
    for (String text : new String[] {JAPANESE, CHINESE}) {
      ProviderRequest r = ProviderRequest.of(text);
      long bytes = text.getBytes(StandardCharsets.UTF_8).length;
      assertThat(bytes).isGreaterThanOrEqualTo(text.codePointCount(0, text.length()))
          .isGreaterThanOrEqualTo(O200K.countTokensOrdinary(text))
          .isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text));
      assertThat(TokenCounter.bytes().count(text)).isEqualTo(bytes);
      assertThat(Estimates.inputBound(Estimates.counterFor("anthropic", "claude-sonnet-4-5"), r))
          .isGreaterThanOrEqualTo(bytes);
      assertThat(Estimates.inputBound(Estimates.counterFor("openai", "gpt-4o"), r))
          .isGreaterThanOrEqualTo(O200K.countTokensOrdinary(text) + 3 + 3);
      assertThat(Estimates.inputBound(Estimates.counterFor("openai", "gpt-4"), r))
          .as("cl100k spends more than a token per character here")
          .isGreaterThanOrEqualTo(CL100K.countTokensOrdinary(text) + 3 + 3)
          .isGreaterThan(text.length());
    }
  }

  @Test
  void highIsTheBoundedInputAndEveryOutputTokenAllowed() {
    AiProvider p = provider(new OpenAiProviderFactory(), "oa", "model", "gpt-4o");
    ProviderRequest r = ProviderRequest.builder().prompt(JAPANESE).maxOutputTokens(300).build();
    CostEstimate e = p.estimate(r);
    long in = O200K.countTokensOrdinary(JAPANESE) + 4 + 8;
    assertThat(e.isKnown()).isTrue();
    assertThat(e.high()).isEqualTo(price("gpt-4o").cost(TokenUsage.of(in, 300)));
    assertThat(e.expectedUsage()).isEqualTo(TokenUsage.of(in, 300));
    assertThat(e.low()).isLessThanOrEqualTo(e.expected());
  }

  @Test
  void theInstancesOutputCapAppliesOverALargerTaskValue() throws Exception {
    ProviderRequest big = ProviderRequest.builder().prompt("Hi").maxOutputTokens(16_000).build();
    AiProvider capped = provider(new OpenAiProviderFactory(), "oa", "model", "gpt-4o", "maxOutputTokens", "100");
    long in = Estimates.inputBound(Estimates.counterFor("openai", "gpt-4o"), big);
    assertThat(capped.estimate(big).high()).isEqualTo(price("gpt-4o").cost(TokenUsage.of(in, 100)));
    assertThat(sentBody(capped, big)).containsEntry("max_tokens", 100);

    ProviderRequest small = ProviderRequest.builder().prompt("Hi").maxOutputTokens(50).build();
    assertThat(sentBody(capped, small)).as("a smaller task value wins").containsEntry("max_tokens", 50);

    AiProvider uncapped = provider(new OpenAiProviderFactory(), "oa", "model", "gpt-4o");
    assertThat(uncapped.estimate(big).high()).as("no configured cap: the task's value")
        .isEqualTo(price("gpt-4o").cost(TokenUsage.of(in, 16_000)));
    assertThat(sentBody(uncapped, ProviderRequest.of("Hi"))).as("the default when neither is set")
        .containsEntry("max_tokens", 4096);
  }

  @Test
  void theSimulatorAndTheCliAgentApplyTheCapToo() throws Exception {
    ProviderRequest big = ProviderRequest.builder().prompt("Plan a trip").maxOutputTokens(16_000).build();
    AiProvider sim = provider(new SimulatorProviderFactory(), "sim", "maxOutputTokens", "20");
    long in = Estimates.inputBound(TokenCounter.bytes(), big);
    assertThat(sim.estimate(big).high()).isEqualTo(price("sim-standard").cost(TokenUsage.of(in, 20)));
    CompletableFuture<ProviderResponse> f = sim.complete(big, CallContext.of("test", "run-1", "task-1", 1));
    scheduler.runUntilIdle(Duration.ofDays(1));
    ProviderResponse reply = f.get(0, TimeUnit.SECONDS);
    assertThat(reply.usage().outputTokens()).as("a reply is cut at the limit").isLessThanOrEqualTo(20);
    assertThat(reply.cost()).isLessThanOrEqualTo(sim.estimate(big).high());

    AiProvider cli = provider(new CliProviderFactory(), "codex", "command", "codex exec", "model", "gpt-5",
        "maxOutputTokens", "1000");
    assertThat(cli.estimate(big).high()).as("estimated from tokens, bounded by bytes")
        .isEqualTo(price("gpt-5").cost(TokenUsage.of(in, 1000)));
  }

  @Test
  void aPromptAboveTheLongContextThresholdIsReservedAtTheTiersRates() {
    AiProvider p = provider(new AnthropicProviderFactory(), "claude", "model", "claude-sonnet-4-5");
    ProviderRequest r = ProviderRequest.builder().prompt("x".repeat(199_990)).maxOutputTokens(1000).build();
    long in = Estimates.inputBound(TokenCounter.bytes(), r);
    assertThat(in).isGreaterThan(200_000);
    // every token at the tier's rates: input 6.00 and output 22.50 per million, not 3.00 and 15.00
    assertThat(p.estimate(r).high()).isEqualTo(Money.usd(
        BigDecimal.valueOf(in * 6).add(new BigDecimal("22500")).movePointLeft(6)));
  }

  @Test
  void anUnpricedModelHasAnUnknownEstimateThatSaysHowToFixIt() {
    CostEstimate e = provider(new OpenAiProviderFactory(), "ollama", "model", "llama3.2").estimate(
        ProviderRequest.of("Hi"));
    assertThat(e.isKnown()).isFalse();
    assertThat(e.high()).isEqualTo(Money.ZERO);
    assertThat(e.unknown()).contains("provider 'ollama'").contains("'llama3.2'")
        .contains("set maxCostPerCall on provider 'ollama'").contains("price.input and price.output");
  }

  @Test
  void aCliAgentThatReportsItsOwnCostHasAnUnknownEstimate() {
    CostEstimate e = provider(new CliProviderFactory(), "codex", "command", "codex exec", "outputFormat", "json")
        .estimate(ProviderRequest.of("fix the bug"));
    assertThat(e.isKnown()).isFalse();
    assertThat(e.unknown()).contains("provider 'codex'").contains("set maxCostPerCall on provider 'codex'")
        .contains("price.input/price.output");
  }

  @Test
  void maxCostPerCallReservesACallNothingElseBounds() {
    ProviderRequest r = ProviderRequest.of("Hi");
    for (AiProvider p : new AiProvider[] {
        provider(new OpenAiProviderFactory(), "ollama", "model", "llama3.2", "maxCostPerCall", "0.50"),
        provider(new CliProviderFactory(), "codex", "command", "codex exec", "maxCostPerCall", "0.50")}) {
      CostEstimate e = p.estimate(r);
      assertThat(e.isKnown()).as(p.name()).isTrue();
      assertThat(e.low()).isEqualTo(Money.ZERO);
      assertThat(e.expected()).isEqualTo(Money.usd("0.25"));
      assertThat(e.high()).isEqualTo(Money.usd("0.50"));
    }
  }

  @Test
  void maxCostPerCallDoesNotLowerABoundTheModelsPriceGives() {
    ProviderRequest r = ProviderRequest.builder().prompt("Hi").maxOutputTokens(100_000).build();
    CostEstimate e = provider(new OpenAiProviderFactory(), "oa", "model", "gpt-5-pro", "maxCostPerCall", "0.01")
        .estimate(r);
    long in = Estimates.inputBound(Estimates.counterFor("openai", "gpt-5-pro"), r);
    assertThat(e.high()).isEqualTo(price("gpt-5-pro").cost(TokenUsage.of(in, 100_000)))
        .isGreaterThan(Money.usd("0.01"));
  }

  /** The JSON body the provider sent for a request (the stub server answers with an error; only the body counts). */
  private Map<String, Object> sentBody(AiProvider p, ProviderRequest r) throws Exception {
    p.complete(r, CallContext.of("test", "run-1", "task-1", 1)).handle((ok, e) -> null).get(30, TimeUnit.SECONDS);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new ObjectMapper().readValue(server.lastRequest().body(), Map.class);
    return body;
  }
}
