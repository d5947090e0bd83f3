package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.Priority;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A rendered notification as JSON: what an outbox delivery carries, and the last occurrence a digest window keeps.
 * Every field of {@link Notification}, ids in order. Stateless.
 */
public final class NotificationCodec {
  private NotificationCodec() {}

  /** The notification as a JSON object. */
  public static ObjectNode toJson(Notification n) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("project", n.project());
    o.put("event", n.event());
    o.put("priority", n.priority().name());
    o.put("severity", n.severity().name());
    o.put("subject", n.subject());
    o.put("body", n.body());
    if (n.link() != null) {
      o.put("link", n.link().toString());
    }
    o.put("locale", n.locale().toLanguageTag());
    o.put("at", n.at().toString());
    o.put("count", n.count());
    ObjectNode ids = o.putObject("ids");
    n.ids().forEach(ids::put);
    if (n.idempotencyKey() != null) {
      o.put("key", n.idempotencyKey());
    }
    if (!n.actions().isEmpty()) {
      ObjectNode actions = o.putObject("actions");
      n.actions().forEach((name, link) -> actions.put(name, link.toString()));
    }
    return o;
  }

  /** The notification as JSON text. */
  public static String write(Notification n) {
    try {
      return Json.MAPPER.writeValueAsString(toJson(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notification could not be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws IllegalArgumentException when the text is not such a notification
   */
  public static Notification read(String json) {
    try {
      return fromJson(Json.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a notification (invalid JSON: " + e.getOriginalMessage() + ")", e);
    }
  }

  /** Reads what {@link #toJson} made. */
  public static Notification fromJson(JsonNode o) {
    try {
      Notification.Builder b = Notification.builder().project(text(o, "project")).event(text(o, "event"))
          .priority(Priority.valueOf(text(o, "priority"))).severity(Severity.valueOf(text(o, "severity")))
          .subject(text(o, "subject")).body(text(o, "body")).locale(Locale.forLanguageTag(text(o, "locale")))
          .at(Instant.parse(text(o, "at"))).count(o.path("count").asInt(1));
      if (o.hasNonNull("link")) {
        b.link(URI.create(o.get("link").asText()));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.path("ids").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.id(e.getKey(), e.getValue().asText());
      }
      if (o.hasNonNull("key")) {
        b.idempotencyKey(o.get("key").asText());
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.path("actions").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.action(e.getKey(), URI.create(e.getValue().asText()));
      }
      return b.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a notification: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not text");
    }
    return v.asText();
  }
}
