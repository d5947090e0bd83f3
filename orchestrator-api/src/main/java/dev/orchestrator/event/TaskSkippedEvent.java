package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task will not run because an upstream task did not succeed.
 *
 * @since 0.1
 */
public record TaskSkippedEvent(String project, String runId, String taskId, Instant at, TaskState from, String upstream)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.SKIPPED;
  }
}
