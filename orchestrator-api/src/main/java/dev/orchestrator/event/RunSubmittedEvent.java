package dev.orchestrator.event;

import java.time.Instant;

/**
 * A run was submitted.
 *
 * @since 0.1
 */
public record RunSubmittedEvent(String project, String runId, Instant at, String workflow, int tasks)
    implements Event {}
