package dev.orchestrator.run;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run at one moment: immutable, so it can be handed to any thread. A run just submitted is made by
 * {@link #submitted}; any other by {@link #builder()}. The constructor is private, so stores keep compiling when
 * fields are added.
 *
 * <pre>{@code
 * RunRecord run = RunRecord.builder()
 *     .project("default").id(runId).workflow("Blog Post Pipeline").params(Map.of("topic", "Tides"))
 *     .submittedAt(now)
 *     .build();
 * }</pre>
 *
 * <p>Two runs are equal when every value is equal.
 *
 * @since 0.1
 */
public final class RunRecord {
  private final String project;
  private final String id;
  private final String workflow;
  private final RunStatus status;
  private final Map<String, String> params;
  private final Instant submittedAt;
  private final @Nullable Instant finishedAt;
  private final @Nullable Cancellation cancellation;

  private RunRecord(Builder b) {
    this.project = required(b.project, "project");
    this.id = required(b.id, "id");
    this.workflow = required(b.workflow, "workflow");
    this.status = b.status;
    this.params = b.params;
    this.submittedAt = required(b.submittedAt, "submittedAt");
    this.finishedAt = b.finishedAt;
    this.cancellation = b.cancellation;
  }

  /**
   * A run just submitted: {@link RunStatus#RUNNING}, not finished, not cancelled.
   *
   * @param project the project it runs in
   * @param id the run's id
   * @param workflow the workflow's name
   * @param params the parameter values it was submitted with (defaults filled in); copied
   * @param at when it was submitted
   * @throws NullPointerException when a value is null, or {@code params} holds a null key or value
   */
  public static RunRecord submitted(String project, String id, String workflow, Map<String, String> params,
      Instant at) {
    return builder().project(project).id(id).workflow(workflow).params(params).submittedAt(at).build();
  }

  /**
   * Starts a run record: {@link RunStatus#RUNNING}, no parameters, not finished, not cancelled. Project, id,
   * workflow and {@code submittedAt} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this run's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The project it runs in. */
  public String project() {
    return project;
  }

  /** The run's id. */
  public String id() {
    return id;
  }

  /** The workflow's name. */
  public String workflow() {
    return workflow;
  }

  /** Where it stands. */
  public RunStatus status() {
    return status;
  }

  /** The parameter values it was submitted with (defaults filled in); an unmodifiable map. */
  public Map<String, String> params() {
    return params;
  }

  /** When it was submitted. */
  public Instant submittedAt() {
    return submittedAt;
  }

  /** When it last finished, or null while running. */
  public @Nullable Instant finishedAt() {
    return finishedAt;
  }

  /** Who cancelled the run and why, or null. */
  public @Nullable Cancellation cancellation() {
    return cancellation;
  }

  /** This run with another status. */
  public RunRecord withStatus(RunStatus status, @Nullable Instant finishedAt) {
    return toBuilder().status(status).finishedAt(finishedAt).build();
  }

  /** This run, cancelled. */
  public RunRecord withCancellation(@Nullable Cancellation cancellation) {
    return toBuilder().cancellation(cancellation).build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RunRecord r && project.equals(r.project) && id.equals(r.id) && workflow.equals(r.workflow)
        && status == r.status && params.equals(r.params) && submittedAt.equals(r.submittedAt)
        && Objects.equals(finishedAt, r.finishedAt) && Objects.equals(cancellation, r.cancellation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, id, workflow, status, params, submittedAt, finishedAt, cancellation);
  }

  @Override
  public String toString() {
    return "RunRecord[project=" + project + ", id=" + id + ", workflow=" + workflow + ", status=" + status
        + ", params=" + params + ", submittedAt=" + submittedAt + ", finishedAt=" + finishedAt + ", cancellation="
        + cancellation + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link RunRecord}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, and a refused value is never kept. Mutable and not thread-safe;
   * reusing a builder never changes a record already built.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String id;
    private @Nullable String workflow;
    private RunStatus status = RunStatus.RUNNING;
    private Map<String, String> params = Map.of();
    private @Nullable Instant submittedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Cancellation cancellation;

    private Builder() {}

    private Builder(RunRecord from) {
      this.project = from.project;
      this.id = from.id;
      this.workflow = from.workflow;
      this.status = from.status;
      this.params = from.params;
      this.submittedAt = from.submittedAt;
      this.finishedAt = from.finishedAt;
      this.cancellation = from.cancellation;
    }

    /** The project it runs in; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The run's id; required. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The workflow's name; required. */
    public Builder workflow(String workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /** Where it stands; {@link RunStatus#RUNNING} by default. */
    public Builder status(RunStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /**
     * The parameter values it was submitted with (defaults filled in); none by default. The map is copied.
     *
     * @throws NullPointerException when the map, or one of its keys or values, is null
     */
    public Builder params(Map<String, String> params) {
      this.params = Map.copyOf(Objects.requireNonNull(params, "params"));
      return this;
    }

    /** When it was submitted; required. */
    public Builder submittedAt(Instant submittedAt) {
      this.submittedAt = Objects.requireNonNull(submittedAt, "submittedAt");
      return this;
    }

    /** When it last finished; none by default (running), and null clears it. */
    public Builder finishedAt(@Nullable Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    /** Who cancelled the run and why; none by default, and null clears it. */
    public Builder cancellation(@Nullable Cancellation cancellation) {
      this.cancellation = cancellation;
      return this;
    }

    /**
     * Builds the record.
     *
     * @throws IllegalStateException when project, id, workflow or {@code submittedAt} was not given
     */
    public RunRecord build() {
      return new RunRecord(this);
    }
  }
}
