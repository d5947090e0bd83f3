package dev.orchestrator.notifiers;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signed one-tap links that act on one question: approve, reject or answer it, from a notification, with no login
 * beyond the link. A link names the project, the question, the action, its expiry and a random nonce, signed with
 * HMAC-SHA256 under a secret that the notifiers (which make links) and the dashboard (which serves them) share
 * through their configuration. A link is refused when its signature does not match (tampered), when it has expired
 * by the given clock, or when its question is no longer open: answering closes the question in the store, so a link
 * works once, in whichever process serves it.
 *
 * <pre>{@code
 * ActionLinks links = ActionLinks.of(secret, URI.create("https://orchestrator.example.com/"), Duration.ofHours(24));
 * URI approve = links.link("blog", questionId, ActionLinks.Action.APPROVE);
 * }</pre>
 *
 * <p>The secret never appears in {@link #toString()}, in links or in exception messages. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ActionLinks {
  /** The path, under the dashboard's address, that serves links. */
  public static final String PATH = "link";
  private static final int MIN_SECRET_BYTES = 32;

  /** What a link does. */
  public enum Action {
    /** Approves an approval. */
    APPROVE,
    /** Rejects an approval. */
    REJECT,
    /** Opens a form to answer a question. */
    ANSWER;

    /** The action's name in a link: {@code approve}, {@code reject}, {@code answer}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A link that checked out.
   *
   * @param project the question's project
   * @param questionId the question
   * @param action what it does
   * @param expiresAt when it stops working
   * @param nonce its random part, for the log
   */
  public record Verified(String project, String questionId, Action action, Instant expiresAt, String nonce) {}

  /** Why a link was refused; the message names the reason and never the secret or the signature. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    RefusedException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** {@code malformed}, {@code tampered} or {@code expired}. */
    public String reason() {
      return reason;
    }
  }

  private final byte[] secret;
  private final URI base;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private ActionLinks(byte[] secret, URI base, Duration ttl, Clock clock) {
    this.secret = secret.clone();
    this.base = base;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Links under a dashboard's address, valid for {@code ttl}, by the system clock.
   *
   * @param secret at least 32 bytes, shared by whoever makes links and whoever serves them
   * @param base the dashboard's public address, such as {@code https://orchestrator.example.com/}
   * @param ttl how long a link works, positive
   * @throws IllegalArgumentException when the secret is shorter than 32 bytes or the ttl not positive
   */
  public static ActionLinks of(byte[] secret, URI base, Duration ttl) {
    return of(secret, base, ttl, Clock.systemUTC());
  }

  /** As {@link #of(byte[], URI, Duration)}, by the given clock (the engine's, or a test's). */
  public static ActionLinks of(byte[] secret, URI base, Duration ttl, Clock clock) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(clock, "clock");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the link secret must have at least " + MIN_SECRET_BYTES + " bytes (had "
          + secret.length + "): generate one with 'openssl rand -base64 32'");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the link ttl must be positive (was " + ttl + "): give how long a link "
          + "works, such as PT24H");
    }
    String b = base.toString();
    return new ActionLinks(secret, URI.create(b.endsWith("/") ? b : b + "/"), ttl, clock);
  }

  /** How long a new link works. */
  public Duration ttl() {
    return ttl;
  }

  /** The dashboard's address the links point to. */
  public URI base() {
    return base;
  }

  /** A new link for {@code action} on the question, working until now plus the ttl. */
  public URI link(String project, String questionId, Action action) {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(questionId, "questionId");
    Objects.requireNonNull(action, "action");
    long expires = clock.instant().plus(ttl).getEpochSecond();
    byte[] n = new byte[16];
    random.nextBytes(n);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    String sig = sign(project, questionId, action.wire(), Long.toString(expires), nonce);
    return base.resolve(PATH + "?p=" + enc(project) + "&q=" + enc(questionId) + "&a=" + action.wire() + "&e="
        + expires + "&n=" + nonce + "&s=" + sig);
  }

  /**
   * Checks a link's query string ({@code p, q, a, e, n, s}).
   *
   * @throws RefusedException when a part is missing, the signature does not match or the link expired
   */
  public Verified verify(String query) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String pair : (query == null ? "" : query).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        parts.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return verify(parts);
  }

  /** As {@link #verify(String)}, with the query's parameters already split. */
  public Verified verify(Map<String, String> parts) {
    String p = parts.get("p");
    String q = parts.get("q");
    String a = parts.get("a");
    String e = parts.get("e");
    String n = parts.get("n");
    String s = parts.get("s");
    if (p == null || q == null || a == null || e == null || n == null || s == null) {
      throw new RefusedException("malformed", "the link is incomplete: open the whole link from the message");
    }
    Action action = action(a);
    long expires;
    try {
      expires = Long.parseLong(e);
    } catch (NumberFormatException x) {
      throw new RefusedException("malformed", "the link's expiry is not a number: open the whole link");
    }
    byte[] expected = sign(p, q, a, e, n).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII))) {
      throw new RefusedException("tampered", "the link's signature does not match: it was changed or made "
          + "with another secret");
    }
    Instant at = Instant.ofEpochSecond(expires);
    if (!clock.instant().isBefore(at)) {
      throw new RefusedException("expired", "the link expired at " + at + ": answer from the dashboard instead");
    }
    return new Verified(p, q, action, at, n);
  }

  private static Action action(String a) {
    for (Action x : Action.values()) {
      if (x.wire().equals(a)) {
        return x;
      }
    }
    throw new RefusedException("malformed", "the link's action must be approve, reject or answer (was '" + a + "')");
  }

  private String sign(String project, String question, String action, String expires, String nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] h = mac.doFinal((project + "\n" + question + "\n" + action + "\n" + expires + "\n" + nonce)
          .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (GeneralSecurityException x) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", x);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ActionLinks[base=" + base + ", ttl=" + ttl + ", secret=***]";
  }

}
