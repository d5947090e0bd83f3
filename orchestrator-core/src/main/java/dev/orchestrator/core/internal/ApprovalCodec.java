package dev.orchestrator.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.workflow.Approval;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task's {@link Approval} in a stored workflow: {@code "approval": {"stage": "BEFORE", "timeout": "PT1H",
 * "onTimeout": "ESCALATE", "defaultAnswer": "reject", "escalateTo": ["ops"]}}. Workflows stored without one read as
 * before.
 */
final class ApprovalCodec {
  private ApprovalCodec() {}

  /** Writes the task's approval, if it has one, into its node. */
  static void write(ObjectNode task, @Nullable Approval a) {
    if (a == null) {
      return;
    }
    ObjectNode n = task.putObject("approval");
    n.put("stage", a.stage().name());
    if (a.timeout() != null) {
      n.put("timeout", a.timeout().toString());
    }
    n.put("onTimeout", a.onTimeout().name()).put("defaultAnswer", a.defaultAnswer());
    ArrayNode to = n.putArray("escalateTo");
    a.escalateTo().forEach(to::add);
  }

  /** The task's approval in its node, or null when it has none. */
  static @Nullable Approval read(JsonNode task) {
    JsonNode n = task.get("approval");
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return Approval.builder(Approval.stage(n.asText())).build();
    }
    Approval.Builder b = Approval.builder(Approval.stage(n.path("stage").asText("")));
    if (n.hasNonNull("timeout")) {
      b.timeout(Duration.parse(n.get("timeout").asText()));
    }
    if (n.hasNonNull("onTimeout")) {
      b.onTimeout(Approval.OnTimeout.valueOf(n.get("onTimeout").asText()));
    }
    if (n.hasNonNull("defaultAnswer")) {
      b.defaultAnswer(n.get("defaultAnswer").asText());
    }
    if (n.hasNonNull("escalateTo")) {
      List<String> to = new ArrayList<>();
      n.get("escalateTo").forEach(x -> to.add(x.asText()));
      b.escalateTo(to);
    }
    return b.build();
  }
}
