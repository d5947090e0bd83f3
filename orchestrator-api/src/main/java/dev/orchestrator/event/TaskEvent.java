package dev.orchestrator.event;

/**
 * An event about one task.
 *
 * @since 0.1
 */
public sealed interface TaskEvent extends Event permits TaskTransitionEvent, TaskPriorityBoostedEvent,
    TaskPriorityChangedEvent, GuardTriggeredEvent, ReviewCompletedEvent, CostOverrunEvent, ProviderChosenEvent,
    ShadowComparedEvent, TaskCommittedEvent {
  /** The task's id in its workflow. */
  String taskId();
}
