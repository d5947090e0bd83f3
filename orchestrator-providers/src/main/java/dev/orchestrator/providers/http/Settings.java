package dev.orchestrator.providers.http;

import dev.orchestrator.Money;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Typed, validated reads of a plugin's string properties. Every failure is an {@link IllegalArgumentException} that
 * names the instance, the property, the value (never a secret's) and the fix. Immutable.
 */
public final class Settings {
  private final PluginConfig config;
  private final PluginContext context;

  /** The settings of one instance, read from its configuration, its environment through {@code context}. */
  public Settings(PluginConfig config, PluginContext context) {
    this.config = config;
    this.context = context;
  }

  /** The instance's configuration. */
  public PluginConfig config() {
    return config;
  }

  /** The engine's clock, scheduler and environment. */
  public PluginContext context() {
    return context;
  }

  /** The instance's name, for messages. */
  public String name() {
    return config.name();
  }

  /** The property's value, or null when unset. */
  public @Nullable String optional(String key) {
    return config.optional(key).orElse(null);
  }

  /** The property's value, or {@code defaultValue} when unset. */
  public String string(String key, String defaultValue) {
    return config.optional(key).orElse(defaultValue);
  }

  /** The property's value; throws IllegalArgumentException naming the property when it is unset. */
  public String require(String key) {
    return config.require(key).trim();
  }

  /** {@code true} or {@code false}, in any case. */
  public boolean bool(String key, boolean defaultValue) {
    return config.bool(key, defaultValue);
  }

  /** An integer in {@code [min, max]}; throws IllegalArgumentException naming the value and the range. */
  public int integer(String key, int defaultValue, int min, int max) {
    return config.integer(key, defaultValue, min, max);
  }

  /** A long of at least {@code min}; throws IllegalArgumentException naming the value and the bound. */
  public long longValue(String key, long defaultValue, long min) {
    String v = optional(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      long l = Long.parseLong(v);
      if (l < min) {
        throw invalid(key, v, "a whole number >= " + min);
      }
      return l;
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a whole number >= " + min);
    }
  }

  /** A share in [0, 1]; throws IllegalArgumentException naming the value. */
  public double fraction(String key, double defaultValue) {
    String v = optional(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 1)) {
        throw invalid(key, v, "a number within 0..1 such as 0.05");
      }
      return d;
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a number within 0..1 such as 0.05");
    }
  }

  /** A decimal in {@code [min, max]}, or null when unset; throws IllegalArgumentException naming the value. */
  public @Nullable Double decimalOrNull(String key, double min, double max) {
    String v = optional(key);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) {
        throw invalid(key, v, "a number within " + min + ".." + max);
      }
      return d;
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a number within " + min + ".." + max);
    }
  }

  /** A price in US dollars ({@code 2.50}, {@code $2.50}), or null when the property is not set. */
  public @Nullable BigDecimal money(String key) {
    return config.optional(key).isEmpty() ? null : config.money(key, Money.ZERO).amount();
  }

  /** A positive duration in the configuration grammar ({@code 30s}, {@code 1h30m}, {@code 2d}, {@code PT30S}). */
  public Duration duration(String key, Duration defaultValue) {
    return config.duration(key, defaultValue);
  }

  /** As {@link #duration(String, Duration)}, accepting zero. */
  public Duration durationOrZero(String key, Duration defaultValue) {
    return config.duration(key, defaultValue, Duration.ZERO);
  }

  /**
   * The {@code baseUrl} property (default {@code defaultValue}) without a trailing slash.
   *
   * @throws IllegalArgumentException unless an http(s) URL without user info or query
   */
  public URI baseUrl(String defaultValue) {
    String v = string("baseUrl", defaultValue);
    try {
      URI uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw invalid("baseUrl", Redactor.url(v), "an http(s) URL such as " + defaultValue);
      }
      if (uri.getUserInfo() != null || uri.getQuery() != null) {
        throw invalid("baseUrl", Redactor.url(v),
            "a URL without user info or query: put the key in apiKey or its environment variable");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("plugin '")) {
        throw e;
      }
      throw invalid("baseUrl", Redactor.url(v), "an http(s) URL such as " + defaultValue);
    }
  }

  /**
   * The API key: the {@code apiKey} property, else the environment variable named by {@code apiKeyEnv} (by default
   * {@code defaultEnv}). Returns null when neither is set and the key is optional.
   */
  public @Nullable String apiKey(String defaultEnv, boolean required) {
    String explicit = optional("apiKey");
    if (explicit != null) {
      return explicit;
    }
    String env = string("apiKeyEnv", defaultEnv);
    String fromEnv = context.env(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    if (required) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' (type " + config.type()
          + ") has no API key: set the environment variable " + env + ", or the property apiKeyEnv to the name of"
          + " the variable that holds it");
    }
    return null;
  }

  /**
   * The API key a vendor cannot be called without: as {@link #apiKey(String, boolean)} with {@code required}.
   *
   * @throws IllegalArgumentException naming the plugin and the variable to set, when there is none
   */
  public String requireApiKey(String defaultEnv) {
    return java.util.Objects.requireNonNull(apiKey(defaultEnv, true), "apiKey");
  }

  /** Every property whose name starts with {@code prefix}, with the prefix removed, sorted. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    config.properties().forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /**
   * The exception for a bad property: names the plugin, its type, the property, what it must be and the value
   * ({@code ****} for a secret's).
   */
  public IllegalArgumentException invalid(String key, String value, String expected) {
    String shown = PluginConfig.isSecret(key) ? "****" : value;
    return new IllegalArgumentException("plugin '" + config.name() + "' (type " + config.type() + ") property '"
        + key + "' must be " + expected + " (was '" + shown + "')");
  }
}
