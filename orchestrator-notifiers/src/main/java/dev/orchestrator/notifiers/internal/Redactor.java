package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Removes known secret values from text before it is logged, evented or thrown. Immutable and thread-safe.
 *
 * <p>Secrets are the values of secret-looking properties ({@link PluginConfig#isSecret}: passwords, tokens, keys,
 * webhook URLs) of every configured channel.
 */
public final class Redactor {
  private static final String MASK = "****";
  private final List<String> secrets;

  private Redactor(Collection<String> secrets) {
    TreeSet<String> sorted = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    for (String s : secrets) {
      if (s.length() >= 4) {
        sorted.add(s);
      }
    }
    this.secrets = List.copyOf(sorted);
  }

  /** A redactor that knows these secret values. */
  public static Redactor of(Collection<String> secrets) {
    return new Redactor(secrets);
  }

  /** A redactor for the secret-looking properties of these configurations. */
  public static Redactor forConfigs(Collection<PluginConfig> configs) {
    Set<String> secrets = new TreeSet<>();
    for (PluginConfig c : configs) {
      for (Map.Entry<String, String> e : c.properties().entrySet()) {
        if (PluginConfig.isSecret(e.getKey())) {
          secrets.add(e.getValue());
        }
      }
    }
    return new Redactor(secrets);
  }

  /** The text with every known secret replaced by {@code ****}. */
  public String scrub(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  /** How to name a URL in messages: its scheme and host only, such as {@code https://hooks.slack.com/****}. */
  public static String host(URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    int port = uri.getPort();
    return uri.getScheme() + "://" + host + (port > 0 ? ":" + port : "") + "/" + MASK;
  }
}
