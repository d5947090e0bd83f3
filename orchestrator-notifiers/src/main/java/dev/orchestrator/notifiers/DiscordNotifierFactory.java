package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.DiscordNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code discord}: Discord webhooks. Discovered through {@link java.util.ServiceLoader}. The properties
 * are listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class DiscordNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "discord";

  /** For {@link java.util.ServiceLoader}. */
  public DiscordNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new DiscordNotifier(config, context);
  }
}
