package dev.orchestrator.providers.internal;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Typed, validated reads of a plugin's string properties. Every failure is an {@link IllegalArgumentException} that
 * names the instance, the property, the value (never a secret's) and the fix. Immutable.
 */
public final class Settings {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final PluginConfig config;
  private final PluginContext context;

  public Settings(PluginConfig config, PluginContext context) {
    this.config = config;
    this.context = context;
  }

  public PluginConfig config() {
    return config;
  }

  public PluginContext context() {
    return context;
  }

  public String name() {
    return config.name();
  }

  public @Nullable String optional(String key) {
    String v = config.get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public String string(String key, String defaultValue) {
    String v = optional(key);
    return v == null ? defaultValue : v;
  }

  public String require(String key) {
    return config.require(key).trim();
  }

  public boolean bool(String key, boolean defaultValue) {
    String v = optional(key);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw invalid(key, v, "true or false");
    };
  }

  public int integer(String key, int defaultValue, int min, int max) {
    String v = optional(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw invalid(key, v, "a whole number within " + min + ".." + max);
      }
      return i;
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a whole number within " + min + ".." + max);
    }
  }

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

  public @Nullable BigDecimal money(String key) {
    String v = optional(key);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v);
      if (d.signum() < 0) {
        throw invalid(key, v, "a price in USD per million tokens, >= 0, such as 2.50");
      }
      return d;
    } catch (NumberFormatException e) {
      throw invalid(key, v, "a price in USD per million tokens, >= 0, such as 2.50");
    }
  }

  /** Reads {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT30S}. */
  public Duration duration(String key, Duration defaultValue) {
    return duration(key, defaultValue, false);
  }

  /** As {@link #duration(String, Duration)}, optionally accepting zero. */
  public Duration duration(String key, Duration defaultValue, boolean allowZero) {
    String v = optional(key);
    if (v == null) {
      return defaultValue;
    }
    Duration d = parseDuration(v);
    if (d == null || d.isNegative() || (d.isZero() && !allowZero)) {
      throw invalid(key, v, (allowZero ? "a duration >= 0" : "a positive duration")
          + " such as 30s, 500ms, 2m or PT30S");
    }
    return d;
  }

  static @Nullable Duration parseDuration(String v) {
    Matcher m = SHORT_DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

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

  public IllegalArgumentException invalid(String key, String value, String expected) {
    String shown = PluginConfig.isSecret(key) ? "****" : value;
    return new IllegalArgumentException("plugin '" + config.name() + "' (type " + config.type() + ") property '"
        + key + "' must be " + expected + " (was '" + shown + "')");
  }
}
