package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of plugin properties, with messages that name the property (never a secret value). */
public final class Props {
  private Props() {}

  /** A duration property ({@code 10s}, {@code PT10S}), or the default. */
  public static Duration duration(PluginConfig c, String key, Duration def) {
    String v = c.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      Duration d = ConfigParser.Durations.parse(v);
      if (d.isZero()) {
        throw new IllegalArgumentException("property '" + key + "' must be positive (was " + v + ")");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("property '" + key + "': " + e.getMessage());
    }
  }

  /** An integer property, or the default. */
  public static int integer(PluginConfig c, String key, int def) {
    String v = c.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("property '" + key + "' must be an integer (was '" + v + "')");
    }
  }

  /** A required comma-separated list. */
  public static List<String> list(PluginConfig c, String key) {
    List<String> out = new ArrayList<>();
    for (String s : c.require(key).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("property '" + key + "' must list at least one value");
    }
    return out;
  }
}
