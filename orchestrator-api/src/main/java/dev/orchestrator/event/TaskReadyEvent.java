package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task was queued in a lane, ready to run.
 *
 * @since 0.1
 */
public record TaskReadyEvent(String project, String runId, String taskId, Instant at, TaskState from, dev.orchestrator.Priority lane)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.READY;
  }
}
