package dev.orchestrator.spi.guard;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;

/**
 * Creates guards of one type; discovered through {@link java.util.ServiceLoader}.
 *
 * @since 0.1
 */
public interface GuardFactory {
  /** The type id, such as {@code secrets} or {@code pii}: lower case. */
  String type();

  /**
   * Creates a guard.
   *
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  Guard create(PluginConfig config, PluginContext context);
}
