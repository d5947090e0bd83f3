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
import org.jspecify.annotations.Nullable;

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
   * A schedule as stored: its {@code id} (the primary key), the {@code project} its runs go to, the {@code workflow}'s
   * name (for lists), its {@code definition} (the workflow as the engine serialised it: opaque JSON text, like a
   * run's), its {@code params} (parameter values, in order), its {@code trigger} (a store keeps its kind, cron
   * expression, syntax and repeat flag, or instant), the IANA time {@code zone} its cron times are read in, its
   * {@code misfire} policy (kind and window), whether it is {@code paused}, and when it was added
   * ({@code createdAt}).
   *
   * <p>Made by {@link #builder()}; the constructor is private, so stores keep compiling when fields are added.
   * Immutable and thread-safe; two schedules are equal when every value is equal.
   *
   * <pre>{@code
   * ScheduleStore.StoredSchedule s = ScheduleStore.StoredSchedule.builder()
   *     .id("nightly").project("blog").workflow("digest").definition(json).trigger(Trigger.cron("0 7 * * *"))
   *     .zone(ZoneId.of("Europe/Paris")).misfire(MisfirePolicy.runOnce()).createdAt(now)
   *     .build();
   * }</pre>
   */
  final class StoredSchedule {
    private final String id;
    private final String project;
    private final String workflow;
    private final String definition;
    private final Map<String, String> params;
    private final Trigger trigger;
    private final ZoneId zone;
    private final MisfirePolicy misfire;
    private final boolean paused;
    private final Instant createdAt;

    private StoredSchedule(Builder b) {
      this.id = required(b.id, "id");
      this.project = required(b.project, "project");
      this.workflow = required(b.workflow, "workflow");
      this.definition = required(b.definition, "definition");
      this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
      this.trigger = required(b.trigger, "trigger");
      this.zone = required(b.zone, "zone");
      this.misfire = required(b.misfire, "misfire");
      this.paused = b.paused;
      this.createdAt = required(b.createdAt, "createdAt");
    }

    /**
     * Starts a schedule: id, project, workflow, definition, trigger, zone, misfire policy and creation time are
     * required; it has no parameters and is not paused unless told.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this schedule's values, to derive a changed copy. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Its id, the primary key. */
    public String id() {
      return id;
    }

    /** The project its runs go to. */
    public String project() {
      return project;
    }

    /** The workflow's name (for lists). */
    public String workflow() {
      return workflow;
    }

    /** The workflow as the engine serialised it (opaque JSON text). */
    public String definition() {
      return definition;
    }

    /** Parameter values, in order; unmodifiable. */
    public Map<String, String> params() {
      return params;
    }

    /** When it fires. */
    public Trigger trigger() {
      return trigger;
    }

    /** The IANA time zone its cron times are read in. */
    public ZoneId zone() {
      return zone;
    }

    /** Its misfire policy. */
    public MisfirePolicy misfire() {
      return misfire;
    }

    /** Whether it is paused. */
    public boolean paused() {
      return paused;
    }

    /** When it was added. */
    public Instant createdAt() {
      return createdAt;
    }

    /** This schedule, paused or resumed. */
    public StoredSchedule withPaused(boolean paused) {
      return toBuilder().paused(paused).build();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof StoredSchedule s && id.equals(s.id) && project.equals(s.project)
          && workflow.equals(s.workflow) && definition.equals(s.definition) && params.equals(s.params)
          && trigger.equals(s.trigger) && zone.equals(s.zone) && misfire.equals(s.misfire) && paused == s.paused
          && createdAt.equals(s.createdAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, project, workflow, definition, params, trigger, zone, misfire, paused, createdAt);
    }

    @Override
    public String toString() {
      return "StoredSchedule[id=" + id + ", project=" + project + ", workflow=" + workflow + ", definition="
          + definition + ", params=" + params + ", trigger=" + trigger + ", zone=" + zone + ", misfire=" + misfire
          + ", paused=" + paused + ", createdAt=" + createdAt + "]";
    }

    private static <T> T required(@Nullable T value, String name) {
      if (value == null) {
        throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
      }
      return value;
    }

    /**
     * Builds a {@link StoredSchedule}. Each setter checks its value at once, and a refused value is never kept.
     * Mutable and not thread-safe; {@link #build()} copies the parameters, so reusing a builder never changes a
     * schedule already built.
     */
    public static final class Builder {
      private @Nullable String id;
      private @Nullable String project;
      private @Nullable String workflow;
      private @Nullable String definition;
      private Map<String, String> params = Map.of();
      private @Nullable Trigger trigger;
      private @Nullable ZoneId zone;
      private @Nullable MisfirePolicy misfire;
      private boolean paused;
      private @Nullable Instant createdAt;

      private Builder() {}

      private Builder(StoredSchedule from) {
        this.id = from.id;
        this.project = from.project;
        this.workflow = from.workflow;
        this.definition = from.definition;
        this.params = from.params;
        this.trigger = from.trigger;
        this.zone = from.zone;
        this.misfire = from.misfire;
        this.paused = from.paused;
        this.createdAt = from.createdAt;
      }

      /** Its id; required. */
      public Builder id(String id) {
        this.id = Objects.requireNonNull(id, "id");
        return this;
      }

      /** The project its runs go to; required. */
      public Builder project(String project) {
        this.project = Objects.requireNonNull(project, "project");
        return this;
      }

      /** The workflow's name; required. */
      public Builder workflow(String workflow) {
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        return this;
      }

      /** The workflow as the engine serialised it; required. */
      public Builder definition(String definition) {
        this.definition = Objects.requireNonNull(definition, "definition");
        return this;
      }

      /**
       * Parameter values, in the map's iteration order; none by default.
       *
       * @throws NullPointerException when the map, a name or a value is null
       */
      public Builder params(Map<String, String> params) {
        Objects.requireNonNull(params, "params");
        Map<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "params name"),
            Objects.requireNonNull(v, "params value of " + k)));
        this.params = copy;
        return this;
      }

      /** When it fires; required. */
      public Builder trigger(Trigger trigger) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
      }

      /** The time zone its cron times are read in; required. */
      public Builder zone(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
        return this;
      }

      /** Its misfire policy; required. */
      public Builder misfire(MisfirePolicy misfire) {
        this.misfire = Objects.requireNonNull(misfire, "misfire");
        return this;
      }

      /** Whether it is paused; false by default. */
      public Builder paused(boolean paused) {
        this.paused = paused;
        return this;
      }

      /** When it was added; required. */
      public Builder createdAt(Instant createdAt) {
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        return this;
      }

      /**
       * Builds the schedule.
       *
       * @throws IllegalStateException when a required value was not given
       */
      public StoredSchedule build() {
        return new StoredSchedule(this);
      }
    }
  }
}
