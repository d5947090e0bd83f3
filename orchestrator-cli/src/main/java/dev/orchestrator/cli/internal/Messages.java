package dev.orchestrator.cli.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every user-facing sentence, from {@code dev/orchestrator/cli/messages.properties}. Keys starting with
 * {@code msg.} are {@link MessageFormat} patterns (a literal apostrophe is written {@code ''}); the other keys are
 * picocli's usage help. Thread-safe.
 */
public final class Messages {
  /** The bundle's base name, also given to picocli for the usage help. */
  public static final String BUNDLE = "dev.orchestrator.cli.messages";

  private Messages() {}

  /** The bundle for the default locale. */
  public static ResourceBundle bundle() {
    return ResourceBundle.getBundle(BUNDLE, Locale.getDefault());
  }

  /** The sentence {@code msg.<key>} with its arguments filled in. */
  public static String get(String key, Object... args) {
    String pattern;
    try {
      pattern = bundle().getString("msg." + key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("messages.properties has no key 'msg." + key + "': add it", e);
    }
    return new MessageFormat(pattern, Locale.ROOT).format(args);
  }
}
