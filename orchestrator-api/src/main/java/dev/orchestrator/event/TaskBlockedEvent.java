package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task waits for its dependencies again (it was resumed, or its upstream was).
 *
 * @since 0.1
 */
public record TaskBlockedEvent(String project, String runId, String taskId, Instant at, TaskState from)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.BLOCKED;
  }
}
