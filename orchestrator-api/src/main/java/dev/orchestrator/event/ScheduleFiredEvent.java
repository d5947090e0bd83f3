package dev.orchestrator.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A schedule fired and started a run: the record of which schedule and which fire time started it.
 *
 * @param project the project the run went to
 * @param runId the run it started
 * @param at when the run was submitted, by the scheduling service's clock
 * @param scheduleId the schedule
 * @param fireTime the time the fire was due; {@code at} equals it for an on-time fire, and is later for a missed
 *     fire run by its misfire policy
 * @param workflow the workflow's name
 * @since 0.1
 */
public record ScheduleFiredEvent(String project, String runId, Instant at, String scheduleId, Instant fireTime,
    String workflow) implements Event {
  public ScheduleFiredEvent {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(workflow, "workflow");
  }
}
