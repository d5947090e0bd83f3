package dev.orchestrator.providers;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.internal.anthropic.AnthropicProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;

/**
 * Creates {@code anthropic} providers: the Anthropic Messages API.
 *
 * <p>Properties:
 * <ul>
 * <li>{@code model} (default {@code claude-sonnet-4-5}); {@code baseUrl} (default {@code https://api.anthropic.com})
 * <li>{@code apiKeyEnv}: the environment variable holding the key (default {@code ANTHROPIC_API_KEY}); {@code apiKey}
 *     sets it directly. Required
 * <li>{@code anthropicVersion} (default {@code 2023-06-01}); {@code anthropicBeta}: sent as {@code anthropic-beta}
 * <li>{@code stream}: {@code true} to stream (usage from {@code message_start} and {@code message_delta})
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
public final class AnthropicProviderFactory implements ProviderFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "anthropic";

  /** For {@link java.util.ServiceLoader}. */
  public AnthropicProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    return AnthropicProvider.create(new Settings(config, context));
  }
}
