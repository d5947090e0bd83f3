package dev.orchestrator.examples.plugin;

import dev.orchestrator.Money;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.Provider;
import dev.orchestrator.spi.provider.ProviderFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Creates {@code shout} providers. Properties: {@code delay} (ISO-8601, default {@code PT0.5S}), {@code pricePerCall}
 * (USD, default {@code 0.001}) and {@code apiKeyEnv} (the variable holding a key, default {@code SHOUT_API_KEY};
 * the key is optional and only shows how to keep one secret).
 *
 * <p>A factory is found by {@link java.util.ServiceLoader}, so it needs a public no-argument constructor. It
 * validates every property at once and names the property, the value and the fix when one is wrong.
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
  public Provider create(PluginConfig config, PluginContext context) {
    Duration delay;
    try {
      delay = Duration.parse(config.get("delay", "PT0.5S"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' property 'delay' must be an ISO-8601"
          + " duration such as PT2S (was '" + config.get("delay") + "')", e);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' property 'delay' must not be negative (was "
          + delay + ")");
    }
    BigDecimal price;
    try {
      price = new BigDecimal(config.get("pricePerCall", "0.001"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' property 'pricePerCall' must be a decimal"
          + " amount of USD such as 0.001 (was '" + config.get("pricePerCall") + "')", e);
    }
    String key = context.env(config.get("apiKeyEnv", "SHOUT_API_KEY"));
    return new ShoutProvider(config.name(), delay, Money.usd(price), key, context.scheduler());
  }
}
