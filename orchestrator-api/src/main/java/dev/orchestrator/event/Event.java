package dev.orchestrator.event;

import java.time.Instant;

/**
 * Something that happened in a project. Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface Event
    permits RunSubmittedEvent, RunFinishedEvent, RunReopenedEvent, TaskEvent, ProviderEvent, BudgetEvent,
        ProjectPausedEvent, ProjectResumedEvent, RunRecoveredEvent, ScheduleFiredEvent, ScheduleMisfiredEvent,
        ProviderDemotedEvent {
  /** The project it happened in. */
  String project();

  /** The run it belongs to. */
  String runId();

  /** When it happened, by the engine's clock. */
  Instant at();
}
