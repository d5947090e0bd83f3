package dev.orchestrator.event;

import java.time.Instant;

/**
 * A paused project was resumed. {@link #runId()} is empty.
 *
 * @since 0.1
 */
public record ProjectResumedEvent(String project, Instant at) implements Event {
  @Override
  public String runId() {
    return "";
  }
}
