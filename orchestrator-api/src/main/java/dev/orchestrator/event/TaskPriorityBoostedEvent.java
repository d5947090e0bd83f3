package dev.orchestrator.event;

import dev.orchestrator.Priority;
import java.time.Instant;

/**
 * A ready task waited longer than the boost interval and moved up one lane.
 *
 * @since 0.1
 */
public record TaskPriorityBoostedEvent(String project, String runId, String taskId, Instant at, Priority from,
    Priority to) implements TaskEvent {}
