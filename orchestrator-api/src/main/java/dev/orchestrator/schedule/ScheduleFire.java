package dev.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fire of a schedule, as kept in its history: exactly one exists per schedule and fire time, whatever the
 * number of scheduling services. Create one with {@link #started}, {@link #notRun} or {@link #builder()}; the
 * constructor is private, so callers keep compiling when details are added. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ScheduleFire {
  private final String scheduleId;
  private final Instant fireTime;
  private final Outcome outcome;
  private final @Nullable String runId;
  private final Instant recordedAt;
  private final String detail;

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

  private ScheduleFire(Builder b) {
    if (b.scheduleId == null || b.fireTime == null || b.outcome == null || b.recordedAt == null) {
      throw new IllegalStateException("a schedule fire needs its schedule, fire time, outcome and recording time: "
          + "call scheduleId(...), fireTime(...), outcome(...) and recordedAt(...) (was scheduleId=" + b.scheduleId
          + ", fireTime=" + b.fireTime + ", outcome=" + b.outcome + ", recordedAt=" + b.recordedAt + ")");
    }
    if (b.outcome == Outcome.STARTED && b.runId == null) {
      throw new IllegalStateException("a STARTED fire of schedule '" + b.scheduleId + "' at " + b.fireTime
          + " needs the id of the run it started: call runId(...)");
    }
    this.scheduleId = b.scheduleId;
    this.fireTime = b.fireTime;
    this.outcome = b.outcome;
    this.runId = b.runId;
    this.recordedAt = b.recordedAt;
    this.detail = b.detail;
  }

  /** A fire that started a run. */
  public static ScheduleFire started(String scheduleId, Instant fireTime, String runId, Instant recordedAt) {
    return builder().scheduleId(scheduleId).fireTime(fireTime).outcome(Outcome.STARTED)
        .runId(Objects.requireNonNull(runId, "runId")).recordedAt(recordedAt).build();
  }

  /** A fire that started no run, with the reason. */
  public static ScheduleFire notRun(String scheduleId, Instant fireTime, Outcome outcome, Instant recordedAt,
      String detail) {
    return builder().scheduleId(scheduleId).fireTime(fireTime).outcome(outcome).recordedAt(recordedAt)
        .detail(detail).build();
  }

  /**
   * Starts a fire: schedule, fire time, outcome and recording time are required, and a run id for
   * {@link Outcome#STARTED}; the detail is empty by default.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this fire's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The schedule. */
  public String scheduleId() {
    return scheduleId;
  }

  /** The time it was due, by its trigger. */
  public Instant fireTime() {
    return fireTime;
  }

  /** What became of it. */
  public Outcome outcome() {
    return outcome;
  }

  /** The run it started, or null when it started none. */
  public @Nullable String runId() {
    return runId;
  }

  /** When the outcome was recorded, by the service's clock (for a run, its submission instant). */
  public Instant recordedAt() {
    return recordedAt;
  }

  /** Why it was skipped or failed; empty otherwise. */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ScheduleFire f && scheduleId.equals(f.scheduleId) && fireTime.equals(f.fireTime)
        && outcome == f.outcome && Objects.equals(runId, f.runId) && recordedAt.equals(f.recordedAt)
        && detail.equals(f.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleId, fireTime, outcome, runId, recordedAt, detail);
  }

  @Override
  public String toString() {
    return "ScheduleFire[scheduleId=" + scheduleId + ", fireTime=" + fireTime + ", outcome=" + outcome + ", runId="
        + runId + ", recordedAt=" + recordedAt + ", detail=" + detail + "]";
  }

  /**
   * Builds a {@link ScheduleFire}. Each setter checks its value at once; {@link #build()} checks that a started
   * fire names its run. Mutable and not thread-safe; reusing a builder never changes a fire already built.
   */
  public static final class Builder {
    private @Nullable String scheduleId;
    private @Nullable Instant fireTime;
    private @Nullable Outcome outcome;
    private @Nullable String runId;
    private @Nullable Instant recordedAt;
    private String detail = "";

    private Builder() {}

    private Builder(ScheduleFire from) {
      this.scheduleId = from.scheduleId;
      this.fireTime = from.fireTime;
      this.outcome = from.outcome;
      this.runId = from.runId;
      this.recordedAt = from.recordedAt;
      this.detail = from.detail;
    }

    /** The schedule. Required. */
    public Builder scheduleId(String scheduleId) {
      this.scheduleId = Objects.requireNonNull(scheduleId, "scheduleId");
      return this;
    }

    /** The time it was due, by its trigger. Required. */
    public Builder fireTime(Instant fireTime) {
      this.fireTime = Objects.requireNonNull(fireTime, "fireTime");
      return this;
    }

    /** What became of it. Required. */
    public Builder outcome(Outcome outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /** The run it started; required for {@link Outcome#STARTED}, none by default, and null clears it. */
    public Builder runId(@Nullable String runId) {
      this.runId = runId;
      return this;
    }

    /** When the outcome was recorded, by the service's clock. Required. */
    public Builder recordedAt(Instant recordedAt) {
      this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
      return this;
    }

    /** Why it was skipped or failed; empty by default. */
    public Builder detail(String detail) {
      this.detail = Objects.requireNonNull(detail, "detail");
      return this;
    }

    /**
     * Builds the fire.
     *
     * @throws IllegalStateException when a required value is missing, or a started fire names no run
     */
    public ScheduleFire build() {
      return new ScheduleFire(this);
    }
  }
}
