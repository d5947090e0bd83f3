package dev.orchestrator.event;

import dev.orchestrator.spi.guard.Verdict;
import java.time.Instant;

/**
 * A guard did not simply allow a task's prompt or output.
 *
 * @since 0.1
 */
public record GuardTriggeredEvent(String project, String runId, String taskId, Instant at, String guard,
    Phase phase, Verdict.Action action, String reason) implements TaskEvent {
  /** What was checked. */
  public enum Phase {
    /** The prompt, before it was sent. */
    PROMPT,
    /** The output, before the task succeeded with it. */
    OUTPUT
  }
}
