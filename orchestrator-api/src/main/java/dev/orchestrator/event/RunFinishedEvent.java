package dev.orchestrator.event;

import dev.orchestrator.Money;
import dev.orchestrator.run.RunStatus;
import java.time.Instant;

/**
 * Every task of a run has finished.
 *
 * @since 0.1
 */
public record RunFinishedEvent(String project, String runId, Instant at, RunStatus status, Money cost)
    implements Event {}
