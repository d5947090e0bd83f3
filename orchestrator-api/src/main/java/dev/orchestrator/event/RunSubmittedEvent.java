package dev.orchestrator.event;

import java.time.Instant;

/** A run was submitted. */
public record RunSubmittedEvent(String project, String runId, Instant at, String workflow, int tasks)
    implements Event {}
