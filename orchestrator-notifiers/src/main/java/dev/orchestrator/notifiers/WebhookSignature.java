package dev.orchestrator.notifiers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature scheme of the generic JSON webhook, for receivers to verify deliveries. Stateless and
 * thread-safe.
 *
 * <p>Every delivery carries two headers:
 * <ul>
 *   <li>{@value #TIMESTAMP_HEADER}: the send time in whole seconds since the epoch;</li>
 *   <li>{@value #SIGNATURE_HEADER}: {@code v1=} followed by the lower-case hex HMAC-SHA256, keyed with the
 *       shared secret (its UTF-8 bytes), of {@code timestamp + "." + body} (the exact request body bytes).</li>
 * </ul>
 * A receiver recomputes the signature, compares it in constant time, and rejects timestamps too far from its own
 * clock (five minutes is usual), which stops replays of captured deliveries.
 *
 * <pre>{@code
 * boolean ok = WebhookSignature.verify(secret, request.header("X-Orchestrator-Timestamp"),
 *     request.header("X-Orchestrator-Signature"), body, Instant.now(), Duration.ofMinutes(5));
 * }</pre>
 */
public final class WebhookSignature {
  /** The header with the send time in epoch seconds. */
  public static final String TIMESTAMP_HEADER = "X-Orchestrator-Timestamp";
  /** The header with {@code v1=<hex hmac>}. */
  public static final String SIGNATURE_HEADER = "X-Orchestrator-Signature";
  /** The scheme version prefix. */
  public static final String VERSION = "v1=";

  private WebhookSignature() {}

  /**
   * Signs a body.
   *
   * @param secret the shared secret
   * @param epochSeconds the timestamp sent in {@value #TIMESTAMP_HEADER}
   * @param body the request body, exactly as sent
   * @return the {@value #SIGNATURE_HEADER} value: {@code v1=<hex>}
   */
  public static String sign(String secret, long epochSeconds, String body) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(body, "body");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return VERSION + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * Verifies a delivery.
   *
   * @param secret the shared secret
   * @param timestampHeader the {@value #TIMESTAMP_HEADER} value received, or null
   * @param signatureHeader the {@value #SIGNATURE_HEADER} value received, or null
   * @param body the request body received
   * @param now the receiver's current time
   * @param tolerance how far the timestamp may be from {@code now}
   * @return whether the signature matches and the timestamp is within tolerance
   */
  public static boolean verify(String secret, @org.jspecify.annotations.Nullable String timestampHeader,
      @org.jspecify.annotations.Nullable String signatureHeader, String body, Instant now, Duration tolerance) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Duration.between(Instant.ofEpochSecond(ts), now).abs().compareTo(tolerance) > 0) {
      return false;
    }
    byte[] expected = sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = signatureHeader.trim().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }
}
