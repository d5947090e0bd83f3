package dev.orchestrator.event;

import dev.orchestrator.Priority;
import java.time.Instant;

/** A ready task waited longer than the boost interval and moved up one lane. */
public record TaskPriorityBoostedEvent(String project, String runId, String taskId, Instant at, Priority from,
    Priority to) implements TaskEvent {}
