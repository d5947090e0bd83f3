package dev.orchestrator.schedule;

import dev.orchestrator.project.Project;
import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs of a workflow, with parameter values, in a project, at the times of a {@link Trigger}, read in a time zone.
 * Create one with {@link #builder()}; the constructor is private, so callers keep compiling when settings are added.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Schedule daily = Schedule.builder()
 *     .id("daily-report")
 *     .project("blog")
 *     .workflow(reportWorkflow)
 *     .params(Map.of("topic", "tides"))
 *     .trigger(Trigger.cron("0 9 * * *"))       // 9:00 every day ...
 *     .zone(ZoneId.of("Europe/Paris"))          // ... in Paris; the project's zone when left out
 *     .misfire(MisfirePolicy.runOnce())         // the default
 *     .build();
 * scheduling.add(daily);
 * }</pre>
 *
 * @since 0.1
 */
public final class Schedule {
  /** What a schedule id may look like. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,99}");

  private final String id;
  private final String project;
  private final Workflow workflow;
  private final Map<String, String> params;
  private final Trigger trigger;
  private final @Nullable ZoneId zone;
  private final MisfirePolicy misfire;
  private final boolean paused;
  private final @Nullable Instant createdAt;

  private Schedule(Builder b) {
    if (b.project == null) {
      throw new IllegalStateException("a schedule needs a project: call project(...)");
    }
    if (b.workflow == null) {
      throw new IllegalStateException("a schedule needs a workflow: call workflow(...)");
    }
    if (b.trigger == null) {
      throw new IllegalStateException("a schedule needs a trigger: call trigger(Trigger.cron(\"0 9 * * *\")) "
          + "or trigger(Trigger.at(instant))");
    }
    this.id = b.id != null ? b.id : UUID.randomUUID().toString();
    this.project = b.project;
    this.workflow = b.workflow;
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
    this.trigger = b.trigger;
    this.zone = b.zone;
    this.misfire = b.misfire;
    this.paused = b.paused;
    this.createdAt = b.createdAt;
  }

  /** Starts a schedule: project, workflow and trigger are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this schedule's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.project = project;
    b.workflow = workflow;
    b.params.putAll(params);
    b.trigger = trigger;
    b.zone = zone;
    b.misfire = misfire;
    b.paused = paused;
    b.createdAt = createdAt;
    return b;
  }

  /** Its id, unique among all schedules (letters, digits, '_', '.', '-'); a random UUID when not given. */
  public String id() {
    return id;
  }

  /** The project its runs go to. */
  public String project() {
    return project;
  }

  /** What each fire runs. */
  public Workflow workflow() {
    return workflow;
  }

  /** The parameter values each run is submitted with, in the order given; unmodifiable. */
  public Map<String, String> params() {
    return params;
  }

  /** When it fires. */
  public Trigger trigger() {
    return trigger;
  }

  /**
   * The time zone its cron times are read in, or null until added: the scheduling service then fills in the
   * project's zone (the service clock's zone when the project does not exist yet).
   */
  public @Nullable ZoneId zone() {
    return zone;
  }

  /** What to do with missed fires. */
  public MisfirePolicy misfire() {
    return misfire;
  }

  /**
   * Whether it is paused: a paused schedule does not fire; on resume its misfire policy handles the fires it missed.
   */
  public boolean paused() {
    return paused;
  }

  /** When it was added, or null until added; fires are the trigger's times strictly after it. */
  public @Nullable Instant createdAt() {
    return createdAt;
  }

  /** This schedule, paused or resumed. */
  public Schedule withPaused(boolean paused) {
    return toBuilder().paused(paused).build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Schedule s && id.equals(s.id) && project.equals(s.project) && workflow.equals(s.workflow)
        && params.equals(s.params) && trigger.equals(s.trigger) && Objects.equals(zone, s.zone)
        && misfire.equals(s.misfire) && paused == s.paused && Objects.equals(createdAt, s.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, project, workflow, params, trigger, zone, misfire, paused, createdAt);
  }

  @Override
  public String toString() {
    return "Schedule[id=" + id + ", project=" + project + ", workflow=" + workflow + ", params=" + params
        + ", trigger=" + trigger + ", zone=" + zone + ", misfire=" + misfire + ", paused=" + paused + ", createdAt="
        + createdAt + "]";
  }

  /**
   * Builds a {@link Schedule}. Each setter checks its value at once. Mutable and not thread-safe; {@link #build()}
   * copies, so reusing a builder never changes a schedule already built.
   */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String project;
    private @Nullable Workflow workflow;
    private final Map<String, String> params = new LinkedHashMap<>();
    private @Nullable Trigger trigger;
    private @Nullable ZoneId zone;
    private MisfirePolicy misfire = MisfirePolicy.runOnce();
    private boolean paused;
    private @Nullable Instant createdAt;

    private Builder() {}

    /**
     * Its id; a random UUID when not given.
     *
     * @throws IllegalArgumentException when it is not 1 to 100 letters, digits, '_', '.' or '-'
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("schedule id must be 1 to 100 letters, digits, '_', '.' or '-', "
            + "starting with a letter or digit (was '" + id + "')");
      }
      this.id = id;
      return this;
    }

    /**
     * The project its runs go to. Required.
     *
     * @throws IllegalArgumentException when it is not a project name ({@link Project#NAME})
     */
    public Builder project(String project) {
      Objects.requireNonNull(project, "project");
      if (!Project.NAME.matcher(project).matches()) {
        throw new IllegalArgumentException("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', "
            + "starting with a letter or digit (was '" + project + "')");
      }
      this.project = project;
      return this;
    }

    /** What each fire runs. Required. */
    public Builder workflow(Workflow workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /** Parameter values, added to those given before; collections should be joined by the caller. */
    public Builder params(Map<String, String> params) {
      Objects.requireNonNull(params, "params");
      params.forEach(this::param);
      return this;
    }

    /**
     * One parameter value.
     *
     * @throws IllegalArgumentException when the name is blank or the value null
     */
    public Builder param(String name, String value) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("schedule parameter names must not be blank (was '" + name
            + "'): name the workflow parameter the value is for");
      }
      if (value == null) {
        throw new IllegalArgumentException("parameter '" + name
            + "' of a schedule is null: pass a value or leave it out to use the workflow's default");
      }
      params.put(name, value);
      return this;
    }

    /** When it fires. Required. */
    public Builder trigger(Trigger trigger) {
      this.trigger = Objects.requireNonNull(trigger, "trigger");
      return this;
    }

    /** The time zone its cron times are read in; the project's zone by default. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** What to do with missed fires; {@link MisfirePolicy#runOnce()} by default. */
    public Builder misfire(MisfirePolicy misfire) {
      this.misfire = Objects.requireNonNull(misfire, "misfire");
      return this;
    }

    /** Whether it starts paused; false by default. */
    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    /** When it was added; set by the scheduling service (and by stores reading it back). */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /**
     * Builds the schedule.
     *
     * @throws IllegalStateException when the project, workflow or trigger is missing
     */
    public Schedule build() {
      return new Schedule(this);
    }
  }
}
