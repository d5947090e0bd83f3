package dev.orchestrator.event;


import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task asked a human a question and waits for the answer.
 *
 * @since 0.1
 */
public record InputRequestedEvent(String project, String runId, String taskId, Instant at, TaskState from, String questionId, String question)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.AWAITING_INPUT;
  }
}
