package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A provider call was made for a task.
 *
 * @since 0.1
 */
public record TaskStartedEvent(String project, String runId, String taskId, Instant at, TaskState from, String provider, int attempt)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.RUNNING;
  }
}
