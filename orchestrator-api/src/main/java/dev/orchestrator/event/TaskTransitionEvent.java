package dev.orchestrator.event;

import dev.orchestrator.run.TaskState;

/**
 * A task moved from one state to another. Every transition emits exactly one such event.
 *
 * @since 0.1
 */
public sealed interface TaskTransitionEvent extends TaskEvent
    permits TaskBlockedEvent, TaskReadyEvent, TaskStartedEvent, TaskSucceededEvent, TaskFailedEvent,
        TaskCancelledEvent, TaskSkippedEvent, TaskRetryScheduledEvent, TaskPausedEvent, InputRequestedEvent,
        TaskAwaitingReviewEvent {
  /** The state it left. */
  TaskState from();

  /** The state it entered. */
  TaskState to();
}
