package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task is held back: a budget limit, or a paused provider or project.
 *
 * @since 0.1
 */
public record TaskPausedEvent(String project, String runId, String taskId, Instant at, TaskState from, String reason)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.PAUSED;
  }
}
