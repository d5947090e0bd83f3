package dev.orchestrator.event;

import java.time.Instant;

/**
 * A reviewer returned its verdict on a task's output.
 *
 * @since 0.1
 */
public record ReviewCompletedEvent(String project, String runId, String taskId, Instant at, String reviewer,
    int round, boolean approved, int score, String feedback) implements TaskEvent {}
