package dev.orchestrator.event;

import dev.orchestrator.ErrorKind;
import org.jspecify.annotations.Nullable;
import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task failed.
 *
 * @since 0.1
 */
public record TaskFailedEvent(String project, String runId, String taskId, Instant at, TaskState from, @Nullable String provider, ErrorKind kind, String message)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.FAILED;
  }
}
