package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Publishes to an ntfy-style push topic (ntfy.sh or a self-hosted server) with ntfy's JSON publishing: one
 * {@code POST <url>} of {@code {"topic", "title", "message", "priority", "tags", "click", "actions"}}, the phone app
 * showing a notification with one button per one-tap link ({@code view} actions: Approve, Reject, Answer) and opening
 * the dashboard link on a tap. Priority: critical 5, warning 4, info 3. Properties: {@code topic} (required; on a
 * public server a topic's name is its password, so choose a long random one), {@code url} (the server,
 * {@code https://ntfy.sh}), {@code token} (an access token, sent as {@code Authorization: Bearer}; secret),
 * {@code timeout} (10s). Thread-safe.
 */
public final class NtfyNotifier extends HttpNotifier {
  private final URI server;
  private final String topic;
  private final @Nullable String token;

  public NtfyNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    this.server = config.get("url") != null ? url(config, "url") : URI.create("https://ntfy.sh");
    String t = config.require("topic").trim();
    if (t.isEmpty() || t.length() > 64 || !t.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("property 'topic' must be 1 to 64 letters, digits, '_' or '-': choose a "
          + "long random topic name");
    }
    this.topic = t;
    this.token = config.get("token");
  }

  @Override
  protected List<HttpRequest> requests(Notification n) throws JsonProcessingException {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("topic", topic);
    p.put("title", n.subject());
    p.put("message", n.body());
    p.put("priority", switch (n.severity()) {
      case CRITICAL -> 5;
      case WARNING -> 4;
      default -> 3;
    });
    p.putArray("tags").add(n.event());
    if (n.link() != null) {
      p.put("click", n.link().toString());
    }
    if (!n.actions().isEmpty()) {
      ArrayNode actions = p.putArray("actions");
      for (Map.Entry<String, URI> a : n.actions().entrySet()) {
        String label = a.getKey().substring(0, 1).toUpperCase(Locale.ROOT) + a.getKey().substring(1);
        actions.addObject().put("action", "view").put("label", label).put("url", a.getValue().toString())
            .put("clear", true);
      }
    }
    HttpRequest.Builder b = post(server, "application/json", Json.MAPPER.writeValueAsString(p));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return List.of(b.build());
  }

  @Override
  protected String target() {
    return Redactor.host(server);
  }
}
