package dev.orchestrator.cli.internal;

import dev.orchestrator.spi.ConfigValues;
import java.time.Duration;
import java.util.Locale;

/**
 * Durations on the command line: read in the one configuration grammar ({@link ConfigValues#parseDuration}:
 * {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 2d} or ISO-8601) and written for people in tables and progress
 * lines.
 */
final class Durations {
  private Durations() {}

  /**
   * Reads a duration given in an option, an environment variable or the configuration file.
   *
   * @throws CliException with the configuration exit code, naming the field, the value and the forms to write
   */
  static Duration parse(String field, String text) {
    try {
      return ConfigValues.parseDuration(field, text);
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.duration", e.getMessage());
    }
  }

  /** For people: {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 1h02m}. */
  static String format(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
