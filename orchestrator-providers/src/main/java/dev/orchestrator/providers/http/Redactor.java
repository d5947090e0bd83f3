package dev.orchestrator.providers.http;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text before it reaches a message, a log line or a {@code toString()}: the configured key
 * itself, and anything shaped like a vendor key (vendors echo partial keys in their 401 messages). Immutable and
 * thread-safe.
 */
public final class Redactor {
  /** OpenAI ({@code sk-...}, {@code sk-proj-...}), Anthropic ({@code sk-ant-...}) and Google ({@code AIza...}) keys. */
  private static final Pattern KEY_SHAPED =
      Pattern.compile("(sk-[A-Za-z0-9_\\-*.]{3,}|AIza[A-Za-z0-9_\\-]{8,}|(?i:bearer)\\s+[A-Za-z0-9_\\-.=]{8,})");
  private static final int MAX_LENGTH = 500;

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor for these secrets (nulls and blanks are ignored). */
  public static Redactor of(@Nullable String... secrets) {
    return new Redactor(java.util.Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> s.length() >= 4)
        .toList());
  }

  /** The text with every secret and key-shaped token replaced by {@code ****}, at most 500 characters. */
  public String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "****");
    }
    out = KEY_SHAPED.matcher(out).replaceAll("****");
    return out.length() <= MAX_LENGTH ? out : out.substring(0, MAX_LENGTH - 3) + "...";
  }

  /** A URL for people: without user info and query string, where credentials hide. */
  public static String url(String url) {
    String u = url.replaceFirst("//[^/@]*@", "//");
    int q = u.indexOf('?');
    return q < 0 ? u : u.substring(0, q) + "?...";
  }
}
