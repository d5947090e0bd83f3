package dev.orchestrator.cli.internal;

import dev.orchestrator.notifiers.ActionLinks;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One-tap links from the environment, shared by every process on a data directory: {@code ORCHESTRATOR_LINK_SECRET}
 * (base64, at least 32 bytes; {@code openssl rand -base64 32}), {@code ORCHESTRATOR_DASHBOARD_URL} (the dashboard's
 * address as phones reach it) and {@code ORCHESTRATOR_LINK_TTL} (how long a link works, ISO-8601 such as
 * {@code PT24H}; 24 hours by default). Without a secret there are no links. The secret is never printed.
 */
final class OneTapSettings {
  static final String SECRET = "ORCHESTRATOR_LINK_SECRET";
  static final String URL = "ORCHESTRATOR_DASHBOARD_URL";
  static final String TTL = "ORCHESTRATOR_LINK_TTL";
  static final String SLACK = "ORCHESTRATOR_SLACK_SIGNING_SECRET";

  private OneTapSettings() {}

  /**
   * The links the environment configures, or null without {@code ORCHESTRATOR_LINK_SECRET}.
   *
   * @throws IllegalArgumentException naming the variable and the fix
   */
  static @Nullable ActionLinks links(Function<String, @Nullable String> env) {
    String secret = env.apply(SECRET);
    if (secret == null || secret.isBlank()) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SECRET + " must be base64: generate one with 'openssl rand -base64 32'");
    }
    String url = env.apply(URL);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(SECRET + " is set but " + URL + " is not: set it to the dashboard's address"
          + " as phones reach it, such as https://orchestrator.example.com/");
    }
    String ttl = env.apply(TTL);
    Duration d;
    try {
      d = ttl == null || ttl.isBlank() ? Duration.ofHours(24) : Duration.parse(ttl.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(TTL + " must be an ISO-8601 duration such as PT24H (was '" + ttl + "')");
    }
    return ActionLinks.of(key, URI.create(url.trim()), d);
  }
}
