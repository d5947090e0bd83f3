package dev.orchestrator.spi.notifier;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;

/**
 * Creates notifiers of one type. Discovered through {@link java.util.ServiceLoader} from
 * {@code META-INF/services/dev.orchestrator.spi.notifier.NotifierFactory}; a factory registered explicitly wins
 * over a discovered one of the same type. Implementations need a public no-argument constructor and must be
 * thread-safe.
 *
 * @since 0.1
 */
public interface NotifierFactory {
  /** The type id, such as {@code email}, {@code slack}, {@code discord}, {@code twilio}, {@code webhook}: lower case. */
  String type();

  /**
   * Creates a notifier. Must not connect to anything yet: connections are made when sending.
   *
   * @param config the channel's name and properties (addresses, hosts, secrets)
   * @param context the engine's clock, scheduler and environment
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid; the
   *     message never contains a secret value
   */
  Notifier create(PluginConfig config, PluginContext context);
}
