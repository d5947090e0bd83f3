package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of plugin properties that {@link PluginConfig}'s typed getters do not cover, with messages that name the
 * property (never a secret value).
 */
public final class Props {
  private Props() {}

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
