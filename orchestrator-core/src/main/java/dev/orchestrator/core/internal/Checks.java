package dev.orchestrator.core.internal;

import dev.orchestrator.workflow.TaskSpec;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The argument checks the engine's entry points share; each error names the field, the value and the fix. */
final class Checks {
  private Checks() {}

  static void text(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was "
          + (value == null ? "null" : "'" + value + "'") + ")");
    }
  }

  /** The task's position in its run's workflow. */
  static int task(RunState run, String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    int i = run.workflow.indexOf(taskId);
    if (i < 0) {
      throw new IllegalArgumentException("run " + run.id + " has no task '" + taskId + "' (tasks: "
          + run.workflow.tasks().stream().map(TaskSpec::id).limit(20).toList() + ")");
    }
    return i;
  }

  static TaskNode node(RunState run, String taskId) {
    return run.nodes[task(run, taskId)];
  }
}
