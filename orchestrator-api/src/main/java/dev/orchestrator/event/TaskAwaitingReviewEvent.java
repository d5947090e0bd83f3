package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task's output waits for a reviewer's verdict.
 *
 * @since 0.1
 */
public record TaskAwaitingReviewEvent(String project, String runId, String taskId, Instant at, TaskState from, String reviewer)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.AWAITING_REVIEW;
  }
}
