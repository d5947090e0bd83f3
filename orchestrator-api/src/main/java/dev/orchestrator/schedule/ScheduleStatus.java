package dev.orchestrator.schedule;

import java.util.Objects;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A schedule with where it stands: what the scheduling service lists. Immutable and thread-safe.
 *
 * @param schedule the schedule
 * @param nextFire when it fires next, or null when it is paused or will never fire again (a one-time trigger
 *     that has fired)
 * @param lastFire its most recent fire, or null when it has none
 */
public record ScheduleStatus(Schedule schedule, @Nullable Instant nextFire, @Nullable ScheduleFire lastFire) {
  public ScheduleStatus {
    Objects.requireNonNull(schedule, "schedule");
  }
}
