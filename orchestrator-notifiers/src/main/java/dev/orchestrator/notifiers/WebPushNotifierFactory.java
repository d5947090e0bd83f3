package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.WebPushNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code webpush}: Web Push (VAPID, RFC 8291 encryption) to one subscribed browser.
 * Discovered through {@link java.util.ServiceLoader}. The properties are listed in {@code docs/notifications.md}.
 * Thread-safe.
 */
public final class WebPushNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "webpush";

  /** For {@link java.util.ServiceLoader}. */
  public WebPushNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new WebPushNotifier(config, context);
  }
}
