package dev.orchestrator.notifiers.internal;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Message text from the {@code dev.orchestrator.notifiers.messages} bundles (English base, Spanish, French,
 * German). A project's locale never falls back to the JVM's default locale: a missing language means English.
 * Thread-safe.
 */
public final class Messages {
  static final String BUNDLE = "dev.orchestrator.notifiers.messages";
  private static final ResourceBundle.Control NO_FALLBACK =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private Messages() {}

  /** Formats the pattern under {@code key} in {@code locale} with {@code args}. */
  public static String format(Locale locale, String key, Object... args) {
    String pattern;
    try {
      pattern = ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(), NO_FALLBACK).getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("no message '" + key + "' for locale " + locale + ": add it to " + BUNDLE, e);
    }
    return new MessageFormat(pattern, locale).format(args);
  }

  /** "the last 5 minutes" in {@code locale}: a window's length in whole hours, minutes or seconds. */
  public static String window(Locale locale, Duration window) {
    long s = window.toSeconds();
    if (s >= 3600 && s % 3600 == 0) {
      return format(locale, "window.hours", s / 3600);
    }
    if (s >= 60 && s % 60 == 0) {
      return format(locale, "window.minutes", s / 60);
    }
    return format(locale, "window.seconds", Math.max(1, s));
  }
}
