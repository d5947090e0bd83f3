package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Sends Web Push messages to one subscribed browser: {@code POST <endpoint>} with the payload encrypted by RFC 8291
 * ({@code Content-Encoding: aes128gcm}), a VAPID {@code Authorization} (RFC 8292), {@code TTL} and {@code Urgency}.
 * The payload is JSON the dashboard's service worker shows: {@code {"title", "body", "url", "actions": {"approve":
 * url, ...}}}. Properties: {@code endpoint} (the subscription's endpoint),
 * {@code p256dh} and {@code auth} (the subscription's keys), {@code vapid_public_key} and {@code vapid_private_key}
 * (base64url: the 65-byte point and the 32-byte scalar; the private key is secret), {@code subject} (a
 * {@code mailto:} or {@code https:} contact for the push service), {@code ttl} (how long the push service keeps an
 * undelivered message, {@code 1d}), {@code timeout} (10s). Thread-safe.
 */
public final class WebPushNotifier extends HttpNotifier {
  private final URI endpoint;
  private final byte[] p256dh;
  private final byte[] auth;
  private final ECPrivateKey vapidKey;
  private final byte[] vapidPublic;
  private final String subject;
  private final Duration ttl;

  public WebPushNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    this.endpoint = url(config, "endpoint");
    this.p256dh = bytes(config, "p256dh");
    this.auth = bytes(config, "auth");
    this.vapidPublic = bytes(config, "vapid_public_key");
    this.vapidKey = WebPushCrypto.privateKey(bytes(config, "vapid_private_key"));
    WebPushCrypto.publicKey(vapidPublic);
    this.subject = config.require("subject");
    if (!subject.startsWith("mailto:") && !subject.startsWith("https:")) {
      throw new IllegalArgumentException("property 'subject' must be a mailto: or https: contact (was '" + subject
          + "'), such as mailto:ops@example.com");
    }
    this.ttl = config.duration("ttl", Duration.ofDays(1));
    if (p256dh.length != 65 || auth.length != 16) {
      throw new IllegalArgumentException("properties 'p256dh' and 'auth' must be the subscription's keys (65 and 16 "
          + "bytes, base64url): copy them from the browser's PushSubscription");
    }
  }

  private static byte[] bytes(PluginConfig config, String key) {
    try {
      return Base64.getUrlDecoder().decode(config.require(key).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("property '" + key + "' must be base64url: copy it as given");
    }
  }

  @Override
  protected List<HttpRequest> requests(Notification n) throws JsonProcessingException {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("title", n.subject());
    p.put("body", n.body());
    if (n.link() != null) {
      p.put("url", n.link().toString());
    }
    if (!n.actions().isEmpty()) {
      ObjectNode actions = p.putObject("actions");
      n.actions().forEach((name, url) -> actions.put(name, url.toString()));
    }
    byte[] body = WebPushCrypto.encrypt(Json.MAPPER.writeValueAsString(p).getBytes(StandardCharsets.UTF_8), p256dh,
        auth);
    String audience = endpoint.getScheme() + "://" + endpoint.getAuthority();
    String authorization = WebPushCrypto.vapid(audience, subject, clock.instant().plus(Duration.ofHours(12)),
        vapidKey, vapidPublic);
    return List.of(HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/octet-stream").header("Content-Encoding", "aes128gcm")
        .header("TTL", Long.toString(ttl.toSeconds()))
        .header("Urgency", switch (n.severity()) {
          case CRITICAL -> "high";
          case WARNING -> "normal";
          default -> "low";
        })
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  @Override
  protected String target() {
    return Redactor.host(endpoint);
  }
}
