package dev.orchestrator.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One named plugin instance's configuration: its name (what tasks and budgets call it, such as {@code claude}),
 * its plugin type (such as {@code anthropic}) and plain string properties.
 *
 * <p>{@link #toString()} hides the value of every property whose name suggests a secret (key, secret, token,
 * password, webhook URL), so a configuration can be logged safely.
 *
 * @param name the instance name, lower case
 * @param type the plugin type id
 * @param properties the settings
 */
public record PluginConfig(String name, String type, Map<String, String> properties) {
  public PluginConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("plugin name must not be blank: name the instance, such as 'claude'");
    }
    name = name.trim().toLowerCase(Locale.ROOT);
    properties = Map.copyOf(properties);
  }

  /** A configuration with no properties. */
  public static PluginConfig of(String name, String type) {
    return new PluginConfig(name, type, Map.of());
  }

  /** A property's value, or null. */
  public @Nullable String get(String key) {
    return properties.get(key);
  }

  /** A property's value, or the default. */
  public String get(String key, String defaultValue) {
    return properties.getOrDefault(key, defaultValue);
  }

  /**
   * A required property.
   *
   * @throws IllegalArgumentException naming the instance and the property when it is missing
   */
  public String require(String key) {
    String v = properties.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(
          "plugin '" + name + "' (type " + type + ") needs the property '" + key + "': set it in its configuration");
    }
    return v;
  }

  /** Whether a property name suggests a secret value. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("key") || k.contains("secret") || k.contains("token") || k.contains("password")
        || k.contains("webhook") || k.contains("credential");
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, isSecret(k) ? "****" : v));
    return "PluginConfig[name=" + name + ", type=" + type + ", properties=" + shown + "]";
  }
}
