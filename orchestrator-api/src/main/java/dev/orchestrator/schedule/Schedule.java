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
 * @param id its id, unique among all schedules (letters, digits, '_', '.', '-'); a random UUID when not given
 * @param project the project its runs go to
 * @param workflow what each fire runs
 * @param params the parameter values each run is submitted with
 * @param trigger when it fires
 * @param zone the time zone its cron times are read in, or null until added: the scheduling service then fills
 *     in the project's zone (the service clock's zone when the project does not exist yet)
 * @param misfire what to do with missed fires
 * @param paused whether it is paused: a paused schedule does not fire; on resume its misfire policy handles the
 *     fires it missed
 * @param createdAt when it was added, or null until added; fires are the trigger's times strictly after it
 * @since 0.1
 */
public record Schedule(String id, String project, Workflow workflow, Map<String, String> params, Trigger trigger,
    @Nullable ZoneId zone, MisfirePolicy misfire, boolean paused, @Nullable Instant createdAt) {
  /** What a schedule id may look like. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,99}");

  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(misfire, "misfire");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("schedule id must be 1 to 100 letters, digits, '_', '.' or '-', starting "
          + "with a letter or digit (was '" + id + "')");
    }
    if (!Project.NAME.matcher(project).matches()) {
      throw new IllegalArgumentException("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', "
          + "starting with a letter or digit (was '" + project + "')");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (k == null || k.isBlank()) {
        throw new IllegalArgumentException("parameter names of schedule '" + id + "' must not be blank");
      }
      if (v == null) {
        throw new IllegalArgumentException("parameter '" + k + "' of schedule '" + id
            + "' is null: pass a value or leave it out to use the workflow's default");
      }
      copy.put(k, v);
    });
    params = Collections.unmodifiableMap(copy);
  }

  /** Starts a schedule. */
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

  /** This schedule, paused or resumed. */
  public Schedule withPaused(boolean paused) {
    return new Schedule(id, project, workflow, params, trigger, zone, misfire, paused, createdAt);
  }

  /**
   * Builds a {@link Schedule}. Mutable and not thread-safe; {@link #build()} copies, so reusing a builder never
   * changes a schedule already built.
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

    Builder() {}

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

    /** The project its runs go to. Required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
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

    /** One parameter value. */
    public Builder param(String name, String value) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("parameter name must not be blank");
      }
      params.put(name, Objects.requireNonNull(value, () -> "value of parameter '" + name + "'"));
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
      if (project == null) {
        throw new IllegalStateException("a schedule needs a project: call project(...)");
      }
      if (workflow == null) {
        throw new IllegalStateException("a schedule needs a workflow: call workflow(...)");
      }
      if (trigger == null) {
        throw new IllegalStateException("a schedule needs a trigger: call trigger(Trigger.cron(\"0 9 * * *\")) "
            + "or trigger(Trigger.at(instant))");
      }
      return new Schedule(id != null ? id : UUID.randomUUID().toString(), project, workflow, params, trigger, zone,
          misfire, paused, createdAt);
    }
  }
}
