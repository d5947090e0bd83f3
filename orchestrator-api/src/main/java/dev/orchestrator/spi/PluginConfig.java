package dev.orchestrator.spi;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One named plugin instance's configuration: its name (what tasks and budgets call it, such as {@code claude}),
 * its plugin type (such as {@code anthropic}) and plain string properties.
 *
 * <p>Typed getters read a property in the one configuration grammar ({@link ConfigValues}) and check it, so a
 * plugin needs no parsing code of its own. A property that is absent or blank takes the default; a property that is
 * set but wrong is an {@link IllegalArgumentException} that names the instance, the property, the value and what to
 * write instead, such as {@code plugin 'claude' (type anthropic) property 'timeout' must be a duration such as 500ms,
 * 30s, 10m, 1h30m or 2d (units ms, s, m, h, d) or ISO-8601 such as PT30S (was 'soon')}. A factory reads every property
 * in {@code create}, so a wrong one fails there, before the plugin runs:
 *
 * <pre>{@code
 * Duration timeout = config.duration("timeout", Duration.ofSeconds(30));   // "90s", "1h30m", "PT90S"
 * Duration delay = config.duration("delay", Duration.ZERO, Duration.ZERO); // zero allowed
 * Money price = config.money("pricePerCall", Money.usd("0.001"));          // "0.002", "$0.002"
 * int port = config.integer("port", 587, 1, 65535);
 * boolean stream = config.bool("stream", false);                            // "true" or "false", any case
 * Optional<String> region = config.optional("region");
 * }</pre>
 *
 * <p>{@link #toString()} and every message hide the value of a property whose name suggests a secret (key, secret,
 * token, password, webhook URL, credential), so a configuration and its errors can be logged safely. Immutable and
 * thread-safe. A record: its shape is final (a new setting is a new property, never a new component).
 *
 * @param name the instance name, lower case
 * @param type the plugin type id
 * @param properties the settings
 * @since 0.1
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

  /**
   * A property's value without surrounding spaces, or empty when it is absent or blank.
   */
  public Optional<String> optional(String key) {
    String v = properties.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /**
   * A duration longer than zero, such as {@code 30s}, {@code 1h30m}, {@code 2d} or {@code PT30S}, or the default when
   * the property is absent or blank.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is not a duration in
   *     the {@link ConfigValues} grammar, or is zero
   */
  public Duration duration(String key, Duration defaultValue) {
    return optional(key).map(v -> positive(key, v)).orElse(defaultValue);
  }

  /**
   * A duration of at least {@code min}, or the default when the property is absent or blank. Pass
   * {@link Duration#ZERO} as {@code min} to accept {@code 0s}.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is not a duration in
   *     the {@link ConfigValues} grammar, or is shorter than {@code min}
   */
  public Duration duration(String key, Duration defaultValue, Duration min) {
    Objects.requireNonNull(min, "min");
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    Duration d = ConfigValues.parseDuration(field(key), v.get(), shown(key, v.get()));
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException(field(key) + " must be at least " + ConfigValues.formatDuration(min)
          + " (was '" + shown(key, v.get()) + "')");
    }
    return d;
  }

  /**
   * A required duration longer than zero.
   *
   * @throws IllegalArgumentException naming the instance and the property when it is missing, or the value when it
   *     is not a duration in the {@link ConfigValues} grammar, or is zero
   */
  public Duration requireDuration(String key) {
    return positive(key, require(key).strip());
  }

  private Duration positive(String key, String v) {
    Duration d = ConfigValues.parseDuration(field(key), v, shown(key, v));
    if (d.isZero()) {
      throw new IllegalArgumentException(field(key) + " must be longer than zero, such as 500ms or 30s (was '"
          + shown(key, v) + "')");
    }
    return d;
  }

  /**
   * An amount of US dollars of zero or more, such as {@code 0.50}, {@code $0.50} or {@code 12}, read exactly, or
   * the default when the property is absent or blank.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is not an amount of
   *     US dollars in the {@link ConfigValues} grammar
   */
  public Money money(String key, Money defaultValue) {
    return optional(key).map(v -> ConfigValues.parseMoney(field(key), v, shown(key, v))).orElse(defaultValue);
  }

  /**
   * A whole number, or the default when the property is absent or blank.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is not a whole number
   *     that fits an {@code int}
   */
  public int integer(String key, int defaultValue) {
    return integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A whole number from {@code min} to {@code max} inclusive, or the default when the property is absent or blank.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is not a whole number
   *     within the range
   */
  public int integer(String key, int defaultValue, int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("min must be <= max (was " + min + " > " + max + ")");
    }
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "a whole number such as 3"
        : "a whole number from " + min + " to " + max;
    int i;
    try {
      i = Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field(key) + " must be " + expected + " (was '" + shown(key, v.get())
          + "')");
    }
    if (i < min || i > max) {
      throw new IllegalArgumentException(field(key) + " must be " + expected + " (was '" + shown(key, v.get())
          + "')");
    }
    return i;
  }

  /**
   * {@code true} or {@code false} in any case, or the default when the property is absent or blank. Other words
   * ({@code yes}, {@code on}, {@code 1}) are refused rather than guessed at.
   *
   * @throws IllegalArgumentException naming the instance, the property and the value when it is neither
   */
  public boolean bool(String key, boolean defaultValue) {
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    if (v.get().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.get().equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(field(key) + " must be true or false (was '" + shown(key, v.get()) + "')");
  }

  /** How messages name a property: {@code plugin 'claude' (type anthropic) property 'timeout'}. */
  private String field(String key) {
    return "plugin '" + name + "' (type " + type + ") property '" + key + "'";
  }

  private static String shown(String key, String value) {
    return isSecret(key) ? "****" : value;
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
