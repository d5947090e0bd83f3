package dev.orchestrator.event;

import java.time.Instant;

/**
 * A project was paused: its queued tasks wait, running calls finish. {@link #runId()} is empty.
 *
 * @since 0.1
 */
public record ProjectPausedEvent(String project, Instant at, String reason) implements Event {
  @Override
  public String runId() {
    return "";
  }
}
