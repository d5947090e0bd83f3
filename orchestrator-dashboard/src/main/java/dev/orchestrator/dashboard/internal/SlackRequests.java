package dev.orchestrator.dashboard.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Slack's request signature: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:" + timestamp + ":" + body>} under
 * the app's signing secret, with {@code X-Slack-Request-Timestamp} within five minutes of now (a replayed request
 * is refused). Stateless.
 */
public final class SlackRequests {
  static final Duration WINDOW = Duration.ofMinutes(5);

  private SlackRequests() {}

  /**
   * Null when the request is Slack's, else why not (without the secret or the signature).
   *
   * @param body the raw body as received
   */
  public static @Nullable String refusal(byte[] secret, @Nullable String timestamp, @Nullable String signature, String body,
      Instant now) {
    if (timestamp == null || signature == null) {
      return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return "X-Slack-Request-Timestamp is not a number";
    }
    if (Duration.between(Instant.ofEpochSecond(ts), now).abs().compareTo(WINDOW) > 0) {
      return "the request's timestamp is more than five minutes from now (replayed or a skewed clock)";
    }
    String expected = "v0=" + hmac(secret, "v0:" + timestamp.trim() + ":" + body);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        signature.trim().getBytes(StandardCharsets.US_ASCII))) {
      return "the Slack signature does not match: check the signing secret";
    }
    return null;
  }

  /** The hex HMAC-SHA256 of {@code base} under {@code secret}. */
  public static String hmac(byte[] secret, String base) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }
}
