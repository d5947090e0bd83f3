package dev.orchestrator.spi.store;

import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task claimed by one worker for one attempt, until its lease runs out. The fencing token grows with every claim
 * of the task, so a worker that lost its lease (and so its token) cannot record a late result.
 *
 * <p>Stores make claims with {@link #builder()}; the constructor is private, so stores keep compiling when fields are
 * added. Immutable and thread-safe; two claims are equal when every value is equal.
 *
 * <pre>{@code
 * Claim claim = Claim.builder()
 *     .project("default").runId(runId).taskId("draft").fence(7).attempt(2).leaseUntil(now.plusSeconds(30))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Claim {
  private final String project;
  private final String runId;
  private final String taskId;
  private final long fence;
  private final int attempt;
  private final Instant leaseUntil;

  private Claim(Builder b) {
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    this.fence = required(b.fence, "fence");
    if (b.attempt == 0) {
      throw new IllegalStateException("attempt is required: call attempt(n), 1 for the first attempt");
    }
    this.attempt = b.attempt;
    this.leaseUntil = required(b.leaseUntil, "leaseUntil");
  }

  /** Starts a claim; every value is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this claim's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The project. */
  public String project() {
    return project;
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The task. */
  public String taskId() {
    return taskId;
  }

  /** The fencing token of this claim. */
  public long fence() {
    return fence;
  }

  /** The attempt number this claim makes (1 for the first). */
  public int attempt() {
    return attempt;
  }

  /** When the lease expires, by the store's clock. */
  public Instant leaseUntil() {
    return leaseUntil;
  }

  /**
   * Checks that {@code record} may end this claim, as {@link ClaimStore#finish} requires: a final or waiting state,
   * a {@code retryAt} for RETRY_WAIT, and the claimed task's ids. Stores call it before they change anything.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void checkFinish(TaskRecord record, @Nullable Instant retryAt) {
    Objects.requireNonNull(record, "record");
    TaskState to = record.state();
    if (to != TaskState.SUCCEEDED && to != TaskState.FAILED && to != TaskState.CANCELLED
        && to != TaskState.RETRY_WAIT && to != TaskState.AWAITING_INPUT) {
      throw new IllegalArgumentException("a claim finishes as SUCCEEDED, FAILED, CANCELLED, RETRY_WAIT or "
          + "AWAITING_INPUT (was " + to + " for task '" + record.taskId() + "')");
    }
    if (to == TaskState.RETRY_WAIT && retryAt == null) {
      throw new IllegalArgumentException("a task in RETRY_WAIT needs retryAt (was null for task '" + record.taskId()
          + "'): pass when it may run again");
    }
    if (!record.project().equals(project) || !record.runId().equals(runId)
        || !record.taskId().equals(taskId)) {
      throw new IllegalArgumentException("record of " + record.project() + "/" + record.runId() + "/"
          + record.taskId() + " does not belong to the claim on " + project + "/" + runId + "/"
          + taskId);
    }
  }
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Claim c && project.equals(c.project) && runId.equals(c.runId) && taskId.equals(c.taskId)
        && fence == c.fence && attempt == c.attempt && leaseUntil.equals(c.leaseUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, runId, taskId, fence, attempt, leaseUntil);
  }

  @Override
  public String toString() {
    return "Claim[project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", fence=" + fence
        + ", attempt=" + attempt + ", leaseUntil=" + leaseUntil + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link Claim}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes a
   * claim already built.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private @Nullable Long fence;
    private int attempt;
    private @Nullable Instant leaseUntil;

    private Builder() {}

    private Builder(Claim from) {
      this.project = from.project;
      this.runId = from.runId;
      this.taskId = from.taskId;
      this.fence = from.fence;
      this.attempt = from.attempt;
      this.leaseUntil = from.leaseUntil;
    }

    /** The project; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The run; required. */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** The task; required. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /** The fencing token of this claim, as the store counts it; required. */
    public Builder fence(long fence) {
      this.fence = fence;
      return this;
    }

    /**
     * The attempt number this claim makes; required.
     *
     * @throws IllegalArgumentException when {@code attempt} is below 1
     */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1 (was " + attempt
            + "): attempts count from 1, the first call made for the task");
      }
      this.attempt = attempt;
      return this;
    }

    /** When the lease expires, by the store's clock; required. */
    public Builder leaseUntil(Instant leaseUntil) {
      this.leaseUntil = Objects.requireNonNull(leaseUntil, "leaseUntil");
      return this;
    }

    /**
     * Builds the claim.
     *
     * @throws IllegalStateException when a value was not given
     */
    public Claim build() {
      return new Claim(this);
    }
  }
}
