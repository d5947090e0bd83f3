package dev.orchestrator.event;

import dev.orchestrator.schedule.MisfirePolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * A fire of a schedule did not start a run: it was missed (no scheduling service was running, or the schedule was
 * paused) and its misfire policy skipped it, or its run could not be submitted. One event per fire.
 * {@link #runId()} is empty.
 *
 * @param project the project the run would have gone to
 * @param at when the fire was skipped, by the scheduling service's clock
 * @param scheduleId the schedule
 * @param fireTime the time the fire was due
 * @param workflow the workflow's name
 * @param policy the schedule's misfire policy
 * @param reason why it did not run, for people
 * @since 0.1
 */
public record ScheduleMisfiredEvent(String project, Instant at, String scheduleId, Instant fireTime,
    String workflow, MisfirePolicy.Kind policy, String reason) implements Event {
  public ScheduleMisfiredEvent {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String runId() {
    return "";
  }
}
