package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * Posts to a Discord webhook one embed: title = subject (256 characters at most), description = body (4,096 at
 * most), url = link, colour by severity, timestamp; mentions are disabled so a task's text cannot ping anyone.
 * Properties: {@code webhook_url} (required, secret), {@code username} ({@code Orchestrator}), {@code timeout}
 * (10s). Thread-safe.
 */
public final class DiscordNotifier extends HttpNotifier {
  private final URI webhook;
  private final String username;

  public DiscordNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    this.webhook = url(config, "webhook_url");
    this.username = config.get("username", "Orchestrator");
  }

  @Override
  protected List<HttpRequest> requests(Notification n) throws JsonProcessingException {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("username", username);
    ObjectNode embed = payload.putArray("embeds").addObject();
    embed.put("title", cut(n.subject(), 256));
    StringBuilder description = new StringBuilder(n.body());
    OneTapActions.appendText(description, n);
    embed.put("description", cut(description.toString(), 4096));
    if (n.link() != null) {
      embed.put("url", n.link().toString());
    }
    embed.put("color", color(n));
    embed.put("timestamp", n.at().toString());
    embed.putObject("footer").put("text", cut(n.project() + " · " + n.event(), 2048));
    payload.putObject("allowed_mentions").putArray("parse");
    return List.of(post(webhook, "application/json", Json.MAPPER.writeValueAsString(payload)).build());
  }

  private static int color(Notification n) {
    switch (n.severity()) {
      case CRITICAL:
        return 0xD93F0B;
      case WARNING:
        return 0xFBCA04;
      default:
        return 0x0E8A16;
    }
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  protected String target() {
    return Redactor.host(webhook);
  }
}
