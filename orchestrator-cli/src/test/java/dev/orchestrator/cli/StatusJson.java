package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the process tests read from {@code status <run> --json}, and the paid command-line agent several of them
 * configure.
 */
final class StatusJson {
  private StatusJson() {}

  /** The state of one task in a run's status, or "" when the run has no such task. */
  static String state(JsonNode status, String taskId) {
    for (JsonNode t : status.get("tasks")) {
      if (t.get("taskId").asText().equals(taskId)) {
        return t.get("state").asText();
      }
    }
    return "";
  }

  /** The states of a run's tasks, in order. */
  static List<String> states(JsonNode status) {
    List<String> out = new ArrayList<>();
    status.get("tasks").forEach(t -> out.add(t.get("state").asText()));
    return out;
  }

  /** The id of a question of the run that waits for its answer, or null. */
  static @Nullable String openQuestion(JsonNode status) {
    for (JsonNode t : status.get("tasks")) {
      JsonNode q = t.get("question");
      if (q != null && q.hasNonNull("id") && !q.hasNonNull("answer")) {
        return q.get("id").asText();
      }
    }
    return null;
  }

  /**
   * Adds to {@code providers} a command-line agent named {@code name} that appends its prompt to {@code executions},
   * takes {@code seconds}, and answers with a JSON result that says the call cost {@code cost}; its model's price
   * gives the worst case reserved before each call.
   */
  static void addPaidAgent(ObjectNode providers, String name, Path executions, int seconds, BigDecimal cost) {
    ObjectNode paid = providers.putObject(name);
    paid.put("type", "cli");
    paid.put("command", "sh -c 'echo \"$0\" >> " + executions + "; sleep " + seconds + "; printf "
        + "\"{\\\"result\\\": \\\"done %s\\\", \\\"total_cost_usd\\\": " + cost.toPlainString()
        + "}\" \"$0\"' {prompt}");
    paid.put("outputFormat", "json");
    paid.put("model", "claude-sonnet-4-5");
  }
}
