package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.SlackNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code slack}: Slack incoming webhooks. Discovered through {@link java.util.ServiceLoader}. The properties
 * are listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class SlackNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "slack";

  /** For {@link java.util.ServiceLoader}. */
  public SlackNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new SlackNotifier(config, context);
  }
}
