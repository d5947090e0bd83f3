package dev.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A schedule with where it stands: what the scheduling service lists. Immutable and thread-safe.
 *
 * @param schedule the schedule
 * @param nextFire when it fires next, or null when it is paused, will never fire again (a one-time trigger that has
 *     fired), or has a problem
 * @param lastFire its most recent fire, or null when it has none
 * @param problem why its fire times cannot be computed (a stored expression that is not valid, such as one saved by
 *     an older version) and the fix, or null when they can; such a schedule never fires, and never stops the others
 *
 * @since 0.1
 */
public record ScheduleStatus(Schedule schedule, @Nullable Instant nextFire, @Nullable ScheduleFire lastFire,
    @Nullable String problem) {
  public ScheduleStatus {
    Objects.requireNonNull(schedule, "schedule");
  }

  /** A schedule whose fire times can be computed. */
  public ScheduleStatus(Schedule schedule, @Nullable Instant nextFire, @Nullable ScheduleFire lastFire) {
    this(schedule, nextFire, lastFire, null);
  }
}
