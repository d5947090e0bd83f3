package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.WebhookNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code webhook}: JSON webhooks signed with HMAC-SHA256 (see {@link WebhookSignature}). Discovered through {@link java.util.ServiceLoader}. The properties
 * are listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class WebhookNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "webhook";

  /** For {@link java.util.ServiceLoader}. */
  public WebhookNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new WebhookNotifier(config, context);
  }
}
