package dev.orchestrator.providers;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.internal.gemini.GeminiProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;

/**
 * Creates {@code gemini} providers: the Gemini API's {@code generateContent}.
 *
 * <p>Properties:
 * <ul>
 * <li>{@code model} (default {@code gemini-2.5-flash}); {@code baseUrl} (default
 *     {@code https://generativelanguage.googleapis.com/v1beta})
 * <li>{@code apiKeyEnv}: the environment variable holding the key (default {@code GEMINI_API_KEY}); {@code apiKey}
 *     sets it directly. Required; sent in the {@code x-goog-api-key} header, never in the URL
 * <li>{@code stream}: {@code true} to use {@code streamGenerateContent?alt=sse}
 * <li>{@code timeout}: the whole call's limit, such as {@code 2m} or {@code PT2M} (default 5m; a task's own
 *     timeout wins); {@code connectTimeout} (default 10s)
 * <li>{@code maxOutputTokens}: when the task sets none (default 4096); when configured, it also caps a task's larger
 *     value; {@code temperature}: 0..2, unset by default
 * <li>{@code price.input}, {@code price.output} and the other {@code price.*} rates ({@code cachedInput},
 *     {@code cacheWrite}, {@code cacheWrite1h}, {@code audioInput}, {@code audioOutput}, {@code imageInput},
 *     {@code imageOutput}, {@code batch}, {@code longContext.*}): this instance's prices in USD per million tokens,
 *     over the bundled table; {@code pricingFile}: a JSON file shaped like the bundled
 *     {@code dev/orchestrator/providers/pricing.json}, laid over it. A model neither prices is unpriced (cost zero,
 *     one warning); {@code maxCostPerCall} (USD) then bounds its calls' reservations
 * </ul>
 *
 * <p>The key never appears in logs, exceptions or {@code toString()}. Thread-safe; stateless.
 */
public final class GeminiProviderFactory implements ProviderFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "gemini";

  /** For {@link java.util.ServiceLoader}. */
  public GeminiProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    return GeminiProvider.create(new Settings(config, context));
  }
}
