package dev.orchestrator.event;

import java.time.Instant;
import java.util.List;

/**
 * An unfinished run was picked up again when the engine started on a durable store. {@code interrupted} lists the
 * tasks whose call was in flight when the previous process stopped: they are retried.
 *
 * @since 0.1
 */
public record RunRecoveredEvent(String project, String runId, Instant at, List<String> interrupted) implements Event {
  public RunRecoveredEvent {
    interrupted = List.copyOf(interrupted);
  }
}
