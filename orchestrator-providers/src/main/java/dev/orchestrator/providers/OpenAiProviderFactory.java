package dev.orchestrator.providers;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.internal.openai.OpenAiProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;

/**
 * Creates {@code openai} providers: the Chat Completions API of OpenAI and of any OpenAI-compatible server (Ollama,
 * vLLM, llama.cpp's server, LM Studio, OpenRouter, Groq, ...).
 *
 * <p>Properties:
 * <ul>
 * <li>{@code model} (default {@code gpt-4o-mini}); {@code baseUrl} (default {@code https://api.openai.com/v1};
 *     for Ollama {@code http://127.0.0.1:11434/v1})
 * <li>{@code apiKeyEnv}: the environment variable holding the key (default {@code OPENAI_API_KEY}); {@code apiKey}
 *     sets it directly. Required for api.openai.com only; local servers need none
 * <li>{@code stream}: {@code true} to stream (server-sent events, usage from {@code stream_options.include_usage})
 * <li>{@code maxTokensField}: {@code max_completion_tokens} (default for api.openai.com) or {@code max_tokens}
 *     (default elsewhere, which older servers understand)
 * <li>{@code jsonMode}: how a task's JSON schema is sent: {@code json_schema} (default, {@code response_format}),
 *     {@code json_object}, or {@code none} (the schema goes into the system prompt)
 * <li>{@code organization}, {@code project}: sent as {@code OpenAI-Organization} / {@code OpenAI-Project}
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
public final class OpenAiProviderFactory implements ProviderFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "openai";

  /** For {@link java.util.ServiceLoader}. */
  public OpenAiProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    return OpenAiProvider.create(new Settings(config, context));
  }
}
