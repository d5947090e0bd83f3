package dev.orchestrator.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a task and the one table of legal transitions between them.
 *
 * <pre>
 * BLOCKED ─▶ READY ─▶ RUNNING ─▶ SUCCEEDED | FAILED | CANCELLED
 *    │                   ├─▶ RETRY_WAIT ─▶ READY
 *    │                   ├─▶ AWAITING_INPUT ─▶ READY | SUCCEEDED | FAILED (an approval's answer)
 *    │                   └─▶ AWAITING_REVIEW ─▶ SUCCEEDED | READY (revision) | AWAITING_INPUT (approval)
 *    └─▶ SKIPPED (an upstream task failed or was cancelled)
 * READY ─▶ PAUSED (budget or provider paused) ─▶ READY;  READY ─▶ FAILED (a guard blocked the prompt)
 * FAILED | CANCELLED ─▶ READY | BLOCKED (resumed);  SKIPPED ─▶ BLOCKED | READY (upstream resumed)
 * </pre>
 *
 * @since 0.1
 */
public enum TaskState {
  /** Waiting for dependencies. */
  BLOCKED,
  /** Queued in its lane, waiting for a provider slot. */
  READY,
  /** A provider call is in flight. */
  RUNNING,
  /** Waiting before the next attempt; holds no thread and no slot. */
  RETRY_WAIT,
  /** Stopped by a budget limit or a paused provider or project; resumes on its own when lifted. */
  PAUSED,
  /** Waiting for a human's answer. */
  AWAITING_INPUT,
  /** Waiting for a reviewer's verdict. */
  AWAITING_REVIEW,
  /** Finished with an output. */
  SUCCEEDED,
  /** Finished without one. */
  FAILED,
  /** Stopped by a person or a program. */
  CANCELLED,
  /** Never ran because an upstream task did not succeed. */
  SKIPPED;

  /** Set for every state by the static initialiser below, before any state can be used. */
  @SuppressWarnings("NullAway.Init")
  private Set<TaskState> next;

  static {
    BLOCKED.next = EnumSet.of(READY, AWAITING_INPUT, CANCELLED, SKIPPED);
    READY.next = EnumSet.of(RUNNING, PAUSED, CANCELLED, SKIPPED, FAILED);
    RUNNING.next = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, RETRY_WAIT, AWAITING_INPUT, AWAITING_REVIEW, PAUSED, READY);
    RETRY_WAIT.next = EnumSet.of(READY, CANCELLED, FAILED);
    PAUSED.next = EnumSet.of(READY, CANCELLED);
    AWAITING_INPUT.next = EnumSet.of(READY, CANCELLED, SUCCEEDED, FAILED);
    AWAITING_REVIEW.next = EnumSet.of(SUCCEEDED, READY, FAILED, CANCELLED, AWAITING_INPUT);
    SUCCEEDED.next = EnumSet.noneOf(TaskState.class);
    FAILED.next = EnumSet.of(READY, BLOCKED);
    CANCELLED.next = EnumSet.of(READY, BLOCKED);
    SKIPPED.next = EnumSet.of(BLOCKED, READY);
  }

  /** The states this one may move to. */
  public Set<TaskState> successors() {
    return next.isEmpty() ? Set.of() : EnumSet.copyOf(next);
  }

  /** Whether the table allows moving from this state to {@code to}. */
  public boolean canMoveTo(TaskState to) {
    return next.contains(to);
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalTransitionException when the table does not allow it
   */
  public void checkMove(String taskId, TaskState to) {
    if (!next.contains(to)) {
      throw new IllegalTransitionException(taskId, this, to);
    }
  }

  /** Whether the task is finished: succeeded, failed, cancelled or skipped. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
  }
}
