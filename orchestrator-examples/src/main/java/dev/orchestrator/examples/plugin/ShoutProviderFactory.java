package dev.orchestrator.examples.plugin;

import dev.orchestrator.Money;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import java.time.Duration;

/**
 * Creates {@code shout} providers. Properties: {@code delay} (a duration such as {@code 500ms}, {@code 2s} or
 * {@code PT2S}, zero allowed, default {@code 500ms}), {@code pricePerCall} (US dollars such as {@code 0.001} or
 * {@code $0.001}, default {@code 0.001}) and {@code apiKeyEnv} (the variable holding a key, default
 * {@code SHOUT_API_KEY}; the key is optional and only shows how to keep one secret).
 *
 * <p>A factory is found by {@link java.util.ServiceLoader}, so it needs a public no-argument constructor. It reads
 * every property at once with {@link PluginConfig}'s typed getters, which refuse a wrong value naming the instance,
 * the property, the value and the fix.
 */
public final class ShoutProviderFactory implements ProviderFactory {
  /** The type id configurations use: {@code "type": "shout"}. */
  public static final String TYPE = "shout";

  public ShoutProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    Duration delay = config.duration("delay", Duration.ofMillis(500), Duration.ZERO);
    Money price = config.money("pricePerCall", Money.usd("0.001"));
    String key = context.env(config.get("apiKeyEnv", "SHOUT_API_KEY"));
    return new ShoutProvider(config.name(), delay, price, key, context.scheduler());
  }
}
