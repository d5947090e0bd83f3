package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.NtfyNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code ntfy}: push notifications through an ntfy-style topic (ntfy.sh or a self-hosted
 * server), with one button per one-tap link. Discovered through {@link java.util.ServiceLoader}. The properties are
 * listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class NtfyNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "ntfy";

  /** For {@link java.util.ServiceLoader}. */
  public NtfyNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new NtfyNotifier(config, context);
  }
}
