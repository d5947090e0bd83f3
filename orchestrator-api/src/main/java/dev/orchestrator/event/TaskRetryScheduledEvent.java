package dev.orchestrator.event;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task will be tried again after a delay.
 *
 * @since 0.1
 */
public record TaskRetryScheduledEvent(String project, String runId, String taskId, Instant at, TaskState from, java.time.Duration delay, int nextAttempt, ErrorKind kind)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.RETRY_WAIT;
  }
}
