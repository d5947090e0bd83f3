package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * A channel as configured: its name (what rules say in {@code notify}), plugin type, properties (secrets still as
 * {@code ${VARIABLE}} references when written so) and rate limit. Immutable. {@link #toString()} hides secrets.
 */
public record ChannelSpec(String name, String type, Map<String, String> properties, RateLimit rateLimit) {
  public ChannelSpec {
    properties = Map.copyOf(properties);
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, PluginConfig.isSecret(k) ? "****" : v));
    return "ChannelSpec[name=" + name + ", type=" + type + ", properties=" + shown + ", rateLimit=" + rateLimit + "]";
  }
}
