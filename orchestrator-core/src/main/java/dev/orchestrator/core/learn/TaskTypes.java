package dev.orchestrator.core.learn;

import dev.orchestrator.core.internal.WorkflowCodec;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the type of a task, which task events do not carry: the type is part of the run's workflow definition, so
 * it is the same in every process that reads the same store.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TaskTypes {
  /** Every task is {@value TaskSpec#DEFAULT_TASK_TYPE}. */
  TaskTypes GENERAL = (project, runId, taskId) -> TaskSpec.DEFAULT_TASK_TYPE;

  /** The type of a task; {@value TaskSpec#DEFAULT_TASK_TYPE} when it cannot be known. */
  String taskType(String project, String runId, String taskId);

  /**
   * Reads types from the workflow definitions a store keeps, remembering the most recent runs' (not thread-safe:
   * the projection calls it under its lock). A run whose definition is missing or unreadable has only
   * {@value TaskSpec#DEFAULT_TASK_TYPE} tasks.
   */
  static TaskTypes fromStore(StoreView store) {
    Map<String, Map<String, String>> runs = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
        return size() > 256;
      }
    };
    return (project, runId, taskId) -> {
      Map<String, String> types = runs.computeIfAbsent(project + '\u0000' + runId, k -> {
        Map<String, String> m = new HashMap<>();
        Optional<String> definition = store.definition(project, runId);
        if (definition.isPresent()) {
          try {
            Workflow w = WorkflowCodec.read(definition.get());
            for (TaskSpec t : w.tasks()) {
              m.put(t.id(), t.taskType());
            }
          } catch (RuntimeException unreadable) {
            // A definition this version cannot read: its tasks count as general work.
          }
        }
        return m;
      });
      return types.getOrDefault(taskId, TaskSpec.DEFAULT_TASK_TYPE);
    };
  }
}
