package dev.orchestrator.run;

import dev.orchestrator.OrchestratorException;

/**
 * A task was asked to move between two states that the transition table does not connect: a bug.
 *
 * @since 0.1
 */
public final class IllegalTransitionException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String taskId;
  private final TaskState from;
  private final TaskState to;

  public IllegalTransitionException(String taskId, TaskState from, TaskState to) {
    super("task '" + taskId + "' cannot move from " + from + " to " + to + " (allowed from " + from + ": "
        + from.successors() + ")");
    this.taskId = taskId;
    this.from = from;
    this.to = to;
  }

  public String taskId() {
    return taskId;
  }

  public TaskState from() {
    return from;
  }

  public TaskState to() {
    return to;
  }
}
