package dev.orchestrator.event;

import java.time.Instant;

/**
 * A finished run was reopened because one of its tasks was resumed.
 *
 * @since 0.1
 */
public record RunReopenedEvent(String project, String runId, Instant at, String taskId) implements Event {}
