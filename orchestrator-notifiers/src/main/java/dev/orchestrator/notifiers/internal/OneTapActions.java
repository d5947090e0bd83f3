package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.notifiers.NotifiedEvent;
import dev.orchestrator.notifiers.ActionLinks;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.workflow.Approval;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The signed one-tap links of a question's notification (see {@link ActionLinks}): approve and reject for an
 * approval, answer for any other question; and how each channel shows them. Stateless.
 */
public final class OneTapActions {
  /** The Slack {@code action_id} prefix of the buttons; the dashboard's Slack endpoint reads it. */
  public static final String SLACK_ACTION_PREFIX = "orchestrator_";

  private OneTapActions() {}

  /** Adds the links to a question's notification when the project's settings make links. */
  static void add(Notification.Builder b, Occurrence o, ProjectSettings s) {
    ActionLinks links = s.links();
    String question = o.ids().get("question");
    if (links == null || question == null || o.event() != NotifiedEvent.INPUT_REQUESTED) {
      return;
    }
    if (Approval.isApproval(question)) {
      b.action(ActionLinks.Action.APPROVE.wire(), links.link(o.project(), question, ActionLinks.Action.APPROVE));
      b.action(ActionLinks.Action.REJECT.wire(), links.link(o.project(), question, ActionLinks.Action.REJECT));
    } else {
      b.action(ActionLinks.Action.ANSWER.wire(), links.link(o.project(), question, ActionLinks.Action.ANSWER));
    }
  }

  /** The links as lines of plain text: {@code Approve: https://...}. */
  static void appendText(StringBuilder text, Notification n) {
    if (n.actions().isEmpty()) {
      return;
    }
    text.append("\n");
    for (Map.Entry<String, URI> a : n.actions().entrySet()) {
      text.append('\n').append(label(a.getKey())).append(": ").append(a.getValue());
    }
  }

  /**
   * Slack blocks: the text, then one button per action. An approve or reject button's value is its signed link's
   * query, so a click reaches the dashboard's Slack endpoint (with Slack's signature) when the app's interactivity points there; the
   * links are in the text as well, for workspaces without it. An answer button opens its link's form.
   */
  public static void slackBlocks(ObjectNode payload, String text, Notification n) {
    if (n.actions().isEmpty()) {
      return;
    }
    StringBuilder withLinks = new StringBuilder(text).append('\n');
    n.actions().forEach((name, url) -> withLinks.append(" <").append(url).append('|').append(label(name))
        .append('>'));
    ArrayNode blocks = payload.putArray("blocks");
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
        .put("text", withLinks.toString());
    ArrayNode elements = blocks.addObject().put("type", "actions").putArray("elements");
    n.actions().forEach((name, url) -> {
      ObjectNode button = elements.addObject().put("type", "button").put("action_id", SLACK_ACTION_PREFIX + name);
      if (name.equals("answer")) {
        button.put("url", url.toString());
      } else {
        button.put("value", url.getRawQuery());
      }
      button.putObject("text").put("type", "plain_text").put("text", label(name));
      if (name.equals("approve")) {
        button.put("style", "primary");
      } else if (name.equals("reject")) {
        button.put("style", "danger");
      }
    });
  }

  private static String label(String action) {
    return action.isEmpty() ? action : action.substring(0, 1).toUpperCase(Locale.ROOT) + action.substring(1);
  }
}
