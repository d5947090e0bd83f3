package dev.orchestrator.learn;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;

/**
 * Creates a {@link LearningStrategy}; discovered through {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/dev.orchestrator.learn.LearningStrategyFactory}) and chosen by {@link #name()} in a project's
 * configuration ({@code "learning": {"strategy": "adaptive", "seed": "42"}}). The built-ins are {@code as-assigned}
 * (the default), {@code best-quality}, {@code cheapest-acceptable} and {@code adaptive}.
 *
 * <p>A strategy that draws random numbers reads its seed from the configuration property {@code seed}, so a test
 * (or a replay) gets the same choices from the same seed.
 *
 * @since 0.1
 */
public interface LearningStrategyFactory {
  /** The strategy's name, such as {@code adaptive}: lower case, unique among the discovered factories. */
  String name();

  /**
   * Creates a strategy.
   *
   * @param config the strategy's settings from the project's configuration
   * @param context the engine's clock and scheduler
   * @throws IllegalArgumentException naming the property, the value and the fix when the configuration is invalid
   */
  LearningStrategy create(PluginConfig config, PluginContext context);
}
