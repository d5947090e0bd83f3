package dev.orchestrator.event;

/** An event about one task. */
public sealed interface TaskEvent extends Event permits TaskTransitionEvent, TaskPriorityBoostedEvent,
    TaskPriorityChangedEvent, GuardTriggeredEvent, ReviewCompletedEvent, CostOverrunEvent {
  /** The task's id in its workflow. */
  String taskId();
}
