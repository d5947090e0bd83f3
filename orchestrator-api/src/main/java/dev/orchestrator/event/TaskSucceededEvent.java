package dev.orchestrator.event;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.run.TaskState;
import java.time.Instant;

/** A task finished with an output. */
public record TaskSucceededEvent(String project, String runId, String taskId, Instant at, TaskState from, String provider, TokenUsage usage, Money cost)
    implements TaskTransitionEvent {
  @Override
  public TaskState to() {
    return TaskState.SUCCEEDED;
  }
}
