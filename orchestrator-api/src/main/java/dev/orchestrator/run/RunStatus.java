package dev.orchestrator.run;

/**
 * Where a run stands as a whole.
 *
 * @since 0.1
 */
public enum RunStatus {
  /** Some task is not finished. */
  RUNNING,
  /** Every task succeeded. */
  SUCCEEDED,
  /** Every task finished and at least one failed or was skipped. */
  FAILED,
  /** The run was cancelled, or every task finished and at least one was cancelled. */
  CANCELLED;

  /** Whether the run has ended (it may still be reopened by resuming a task). */
  public boolean isFinished() {
    return this != RUNNING;
  }
}
