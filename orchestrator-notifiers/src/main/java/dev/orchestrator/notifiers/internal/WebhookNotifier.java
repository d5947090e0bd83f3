package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.notifiers.WebhookSignature;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/**
 * Posts every notification as JSON, signed with HMAC-SHA256 as {@link WebhookSignature} describes. Payload:
 * {@code {"id", "project", "event", "priority", "severity", "subject", "body", "link", "locale", "at", "count",
 * "ids": {...}, "idempotency_key"}}. Headers: {@code X-Orchestrator-Event}, {@code X-Orchestrator-Delivery} (the
 * payload's id, the same on every retry), {@code Idempotency-Key} (the notification's key, also in the signed
 * payload, so a receiver can trust it), {@code X-Orchestrator-Timestamp}, {@code X-Orchestrator-Signature}.
 *
 * <p>Properties: {@code webhook_url} (required, secret), {@code secret} (required, at least 16 characters),
 * {@code timeout} (10s). Thread-safe.
 */
public final class WebhookNotifier extends HttpNotifier {
  private final URI url;
  private final String secret;

  public WebhookNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    this.url = url(config, "webhook_url");
    this.secret = config.require("secret");
    if (secret.length() < 16) {
      throw new IllegalArgumentException("property 'secret' must be at least 16 characters: generate one with"
          + " 'openssl rand -hex 32'");
    }
  }

  @Override
  protected List<HttpRequest> requests(Notification n) throws JsonProcessingException {
    // Derived from the content, so every retry of one notification carries the same id and receivers can drop
    // duplicates.
    String id = UUID.nameUUIDFromBytes((n.project() + '\u0000' + n.event() + '\u0000' + n.at() + '\u0000'
        + n.count() + '\u0000' + n.subject() + '\u0000' + n.body()).getBytes(StandardCharsets.UTF_8)).toString();
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("id", id);
    p.put("project", n.project());
    p.put("event", n.event());
    p.put("priority", n.priority().name().toLowerCase(Locale.ROOT));
    p.put("severity", n.severity().name().toLowerCase(Locale.ROOT));
    p.put("subject", n.subject());
    p.put("body", n.body());
    if (n.link() != null) {
      p.put("link", n.link().toString());
    } else {
      p.putNull("link");
    }
    p.put("locale", n.locale().toLanguageTag());
    p.put("at", n.at().toString());
    p.put("count", n.count());
    ObjectNode ids = p.putObject("ids");
    n.ids().forEach(ids::put);
    if (!n.actions().isEmpty()) {
      ObjectNode actions = p.putObject("actions");
      n.actions().forEach((name, url) -> actions.put(name, url.toString()));
    }
    if (n.idempotencyKey() != null) {
      p.put("idempotency_key", n.idempotencyKey());
    } else {
      p.putNull("idempotency_key");
    }
    String body = Json.MAPPER.writeValueAsString(p);
    long ts = clock.instant().getEpochSecond();
    return List.of(post(url, "application/json; charset=utf-8", body)
        .header("X-Orchestrator-Event", n.event())
        .header("X-Orchestrator-Delivery", id)
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, body))
        .build());
  }

  @Override
  protected String target() {
    return Redactor.host(url);
  }
}
