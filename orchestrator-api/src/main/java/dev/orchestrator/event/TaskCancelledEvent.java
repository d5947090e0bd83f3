package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task was cancelled.
 *
 * @since 0.1
 */
public record TaskCancelledEvent(String project, String runId, String taskId, Instant at, TaskState from, String by, String reason)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.CANCELLED;
  }
}
