package dev.orchestrator.event;

import dev.orchestrator.Priority;
import java.time.Instant;

/**
 * A person or program changed a task's priority; a ready task moves to the tail of its new lane.
 *
 * @since 0.1
 */
public record TaskPriorityChangedEvent(String project, String runId, String taskId, Instant at, Priority from,
    Priority to) implements TaskEvent {}
