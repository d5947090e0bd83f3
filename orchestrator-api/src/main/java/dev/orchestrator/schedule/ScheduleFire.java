package dev.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fire of a schedule, as kept in its history: exactly one exists per schedule and fire time, whatever the
 * number of scheduling services. Immutable and thread-safe.
 *
 * @param scheduleId the schedule
 * @param fireTime the time it was due, by its trigger
 * @param outcome what became of it
 * @param runId the run it started, or null when it started none
 * @param recordedAt when the outcome was recorded, by the service's clock (for a run, its submission instant)
 * @param detail why it was skipped or failed; empty otherwise
 * @since 0.1
 */
public record ScheduleFire(String scheduleId, Instant fireTime, Outcome outcome, @Nullable String runId,
    Instant recordedAt, String detail) {
  /** What became of a fire. */
  public enum Outcome {
    /**
     * A service claimed it and is starting its run. A service that stopped before it could leaves the fire lost; a
     * claim older than five minutes is then recorded {@link #FAILED}.
     */
    CLAIMED,
    /** It started a run. */
    STARTED,
    /** It was missed and its misfire policy did not run it. */
    SKIPPED,
    /** Its run could not be submitted (the workflow no longer fits the engine, for example). */
    FAILED
  }

  public ScheduleFire {
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(detail, "detail");
    if (outcome == Outcome.STARTED && runId == null) {
      throw new IllegalArgumentException("a STARTED fire of schedule '" + scheduleId + "' at " + fireTime
          + " needs the id of the run it started");
    }
  }

  /** A fire that started a run. */
  public static ScheduleFire started(String scheduleId, Instant fireTime, String runId, Instant recordedAt) {
    return new ScheduleFire(scheduleId, fireTime, Outcome.STARTED, Objects.requireNonNull(runId, "runId"),
        recordedAt, "");
  }

  /** A fire that started no run, with the reason. */
  public static ScheduleFire notRun(String scheduleId, Instant fireTime, Outcome outcome, Instant recordedAt,
      String detail) {
    return new ScheduleFire(scheduleId, fireTime, outcome, null, recordedAt, detail);
  }
}
