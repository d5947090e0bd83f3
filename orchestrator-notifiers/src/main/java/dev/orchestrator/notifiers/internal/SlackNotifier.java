package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Severity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * Posts to a Slack incoming webhook: {@code {"text": "..."}} in Slack's mrkdwn, the subject in bold, the link as
 * {@code <url|Open>}. Properties: {@code webhook_url} (required, secret), {@code timeout} (10s). Thread-safe.
 */
public final class SlackNotifier extends HttpNotifier {
  private final URI webhook;

  public SlackNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    this.webhook = url(config, "webhook_url");
  }

  @Override
  protected List<HttpRequest> requests(Notification n) throws JsonProcessingException {
    StringBuilder text = new StringBuilder();
    text.append(icon(n.severity())).append(" *").append(escape(n.subject())).append("*\n").append(escape(n.body()));
    if (n.link() != null) {
      text.append("\n<").append(n.link()).append('|')
          .append(escape(Messages.format(n.locale(), "link", "")).replace(":", "").trim()).append('>');
    }
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("text", text.toString());
    OneTapActions.slackBlocks(payload, text.toString(), n);
    return List.of(post(webhook, "application/json; charset=utf-8", Json.MAPPER.writeValueAsString(payload))
        .build());
  }

  static String icon(Severity s) {
    switch (s) {
      case CRITICAL:
        return ":rotating_light:";
      case WARNING:
        return ":warning:";
      default:
        return ":white_check_mark:";
    }
  }

  /** Slack's three control characters in mrkdwn. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  protected String target() {
    return Redactor.host(webhook);
  }
}
