package dev.orchestrator.spi.provider;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;

/**
 * Creates providers of one type. Discovered through {@link java.util.ServiceLoader}; a factory registered
 * explicitly with the engine wins over a discovered one of the same type, and two discovered factories of one type
 * are an error that names both classes. Implementations need a public no-argument constructor.
 *
 * @since 0.1
 */
public interface ProviderFactory {
  /** The type id, such as {@code openai}, {@code anthropic}, {@code cli}: lower case. */
  String type();

  /**
   * Creates an instance.
   *
   * @param config the instance's name and properties
   * @param context the engine's clock, scheduler and environment
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  AiProvider create(PluginConfig config, PluginContext context);
}
