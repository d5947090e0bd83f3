package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.TwilioNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code twilio}: SMS through Twilio's Messages API (or any service of the same shape, through {@code endpoint}). Discovered through {@link java.util.ServiceLoader}. The properties
 * are listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class TwilioNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "twilio";

  /** For {@link java.util.ServiceLoader}. */
  public TwilioNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new TwilioNotifier(config, context);
  }
}
