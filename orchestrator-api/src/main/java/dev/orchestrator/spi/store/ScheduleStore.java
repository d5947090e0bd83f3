package dev.orchestrator.spi.store;

import dev.orchestrator.schedule.MisfirePolicy;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.Trigger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where schedules and the history of their fires live. Several scheduling services, in one process or in many,
 * may share one store: {@link #claimFire} is what makes each fire start exactly one run.
 *
 * <p>Implementations must be thread-safe, and every write is all or nothing. A SQL store keeps two tables:
 * {@code schedules} (primary key {@code id}) and {@code schedule_fires} with the primary key
 * {@code (schedule_id, fire_time)} and a foreign key to {@code schedules} that cascades on delete; claiming a fire is
 * one {@code INSERT} that the unique key lets succeed once, never a lock held while the run starts.
 *
 * @since 0.1
 */
public interface ScheduleStore extends AutoCloseable {
  /**
   * Saves a schedule, replacing the one with the same id (to pause or resume it). Its fires are kept.
   */
  void save(StoredSchedule schedule);

  /** A schedule, if there is one with this id. */
  Optional<StoredSchedule> find(String id);

  /** Every schedule, sorted by id. */
  List<StoredSchedule> list();

  /** Deletes a schedule and its fires; returns whether there was one. */
  boolean delete(String id);

  /**
   * Claims the fire of a schedule at a fire time, recording it as {@link ScheduleFire.Outcome#CLAIMED}. Succeeds
   * exactly once per (schedule, fire time) across every caller, in every process sharing the store; the caller that
   * gets {@code true} starts the run (or records the skip), every other caller leaves it alone.
   *
   * @param recordedAt when it is claimed, by the caller's clock
   * @return true when this call claimed it; false when it was claimed before, or the schedule does not exist or is
   *     paused
   */
  boolean claimFire(String scheduleId, Instant fireTime, Instant recordedAt);

  /**
   * Records what became of a claimed fire (its outcome, run id, detail), replacing the claim.
   *
   * @throws IllegalStateException when the fire was not claimed
   */
  void completeFire(ScheduleFire fire);

  /** A schedule's fires, oldest fire time first; empty when there is no such schedule. */
  List<ScheduleFire> fires(String scheduleId);

  /** The fire of a schedule with the latest fire time, whatever its outcome. */
  default Optional<ScheduleFire> lastFire(String scheduleId) {
    return fires(scheduleId).stream().max(Comparator.comparing(ScheduleFire::fireTime));
  }

  /** Releases the store's resources. Idempotent. */
  @Override
  default void close() {}

  /**
   * A schedule as stored: its workflow is the engine's opaque definition text, like a run's.
   *
   * @param id its id, the primary key
   * @param project the project its runs go to
   * @param workflow the workflow's name (for lists)
   * @param definition the workflow as the engine serialised it (opaque JSON text)
   * @param params parameter values, in order
   * @param trigger when it fires (a store keeps its kind, cron expression, syntax and repeat flag, or instant)
   * @param zone the IANA time zone its cron times are read in
   * @param misfire its misfire policy (kind and window)
   * @param paused whether it is paused
   * @param createdAt when it was added
   */
  record StoredSchedule(String id, String project, String workflow, String definition, Map<String, String> params,
      Trigger trigger, ZoneId zone, MisfirePolicy misfire, boolean paused, Instant createdAt) {
    public StoredSchedule {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(definition, "definition");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(misfire, "misfire");
      Objects.requireNonNull(createdAt, "createdAt");
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** This schedule, paused or resumed. */
    public StoredSchedule withPaused(boolean paused) {
      return new StoredSchedule(id, project, workflow, definition, params, trigger, zone, misfire, paused, createdAt);
    }
  }
}
