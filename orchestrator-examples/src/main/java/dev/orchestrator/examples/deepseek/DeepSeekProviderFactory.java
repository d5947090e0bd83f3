package dev.orchestrator.examples.deepseek;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Json;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.OpenAiCompatibleFactory;
import dev.orchestrator.providers.http.OpenAiCompatibleProvider;
import dev.orchestrator.providers.http.OpenAiVendor;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.spi.provider.AiProvider;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Creates {@code deepseek} providers: DeepSeek's Chat Completions API
 * ({@code POST https://api.deepseek.com/chat/completions}, {@code Authorization: Bearer $DEEPSEEK_API_KEY}). Reads
 * every property of {@link OpenAiCompatibleProvider} ({@code model}, {@code baseUrl}, {@code apiKeyEnv},
 * {@code stream}, {@code timeout}, {@code price.*}, ...).
 * Thread-safe; stateless.
 */
public final class DeepSeekProviderFactory extends OpenAiCompatibleFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "deepseek";

  // USD per million tokens from https://api-docs.deepseek.com/quick_start/pricing, the prices of DeepSeek-V3.2 (both
  // names serve it) from 2025-09-29, still listed in 2026: input on a cache miss, output, input on a cache hit.
  // Prices change: an instance's price.* properties override these.
  private static final String SOURCE = "https://api-docs.deepseek.com/quick_start/pricing";
  private static final LocalDate AS_OF = LocalDate.of(2025, 9, 29);

  static final OpenAiVendor DEEPSEEK = OpenAiVendor.builder(TYPE)
      .baseUrl("https://api.deepseek.com")
      .apiKeyEnv("DEEPSEEK_API_KEY")
      .model("deepseek-chat")
      .price("deepseek-chat", ModelPrice.of(new BigDecimal("0.28"), new BigDecimal("0.42"), AS_OF, SOURCE)
          .withCachedInput(new BigDecimal("0.028")))
      .price("deepseek-reasoner", ModelPrice.of(new BigDecimal("0.28"), new BigDecimal("0.42"), AS_OF, SOURCE)
          .withCachedInput(new BigDecimal("0.028")))
      .build();

  /** For {@link java.util.ServiceLoader}. */
  public DeepSeekProviderFactory() {
    super(DEEPSEEK);
  }

  @Override
  protected AiProvider create(Settings settings) {
    return new DeepSeekProvider(settings);
  }

  /** DeepSeek counts cache hits in {@code prompt_cache_hit_tokens}, billed at the cache rate. */
  static final class DeepSeekProvider extends OpenAiCompatibleProvider {
    DeepSeekProvider(Settings settings) {
      super(settings, DEEPSEEK);
    }

    @Override
    protected TokenUsage usage(JsonNode usage) {
      TokenUsage u = super.usage(usage);
      long hits = Math.min(u.inputTokens(), Json.count(usage, "prompt_cache_hit_tokens"));
      return hits == 0 ? u : u.toBuilder().cachedInput(hits).build();
    }
  }
}
