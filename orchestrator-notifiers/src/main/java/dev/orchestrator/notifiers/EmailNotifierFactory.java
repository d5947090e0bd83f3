package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.EmailNotifier;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;

/**
 * Creates notifiers of type {@code email}: e-mail over SMTP (Jakarta Mail, Angus). Discovered through {@link java.util.ServiceLoader}. The properties
 * are listed in {@code docs/notifications.md}. Thread-safe.
 */
public final class EmailNotifierFactory implements NotifierFactory {
  /** The type id. */
  public static final String TYPE = "email";

  /** For {@link java.util.ServiceLoader}. */
  public EmailNotifierFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    return new EmailNotifier(config, context);
  }
}
