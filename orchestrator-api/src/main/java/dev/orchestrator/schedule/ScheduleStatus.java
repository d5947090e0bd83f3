package dev.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A schedule with where it stands: what the scheduling service lists. Create one with {@link #of} or
 * {@link #builder()}; the constructor is private, so callers keep compiling when details are added. Immutable and
 * thread-safe.
 *
 * @since 0.1
 */
public final class ScheduleStatus {
  private final Schedule schedule;
  private final @Nullable Instant nextFire;
  private final @Nullable ScheduleFire lastFire;
  private final @Nullable String problem;

  private ScheduleStatus(Builder b) {
    if (b.schedule == null) {
      throw new IllegalStateException("a schedule status needs its schedule: call schedule(...)");
    }
    this.schedule = b.schedule;
    this.nextFire = b.nextFire;
    this.lastFire = b.lastFire;
    this.problem = b.problem;
  }

  /** A schedule whose fire times can be computed. */
  public static ScheduleStatus of(Schedule schedule, @Nullable Instant nextFire, @Nullable ScheduleFire lastFire) {
    return builder().schedule(schedule).nextFire(nextFire).lastFire(lastFire).build();
  }

  /** Starts a status: the schedule is required; no next fire, no last fire, no problem. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this status's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The schedule. */
  public Schedule schedule() {
    return schedule;
  }

  /**
   * When it fires next, or null when it is paused, will never fire again (a one-time trigger that has fired), or has
   * a problem.
   */
  public @Nullable Instant nextFire() {
    return nextFire;
  }

  /** Its most recent fire, or null when it has none. */
  public @Nullable ScheduleFire lastFire() {
    return lastFire;
  }

  /**
   * Why its fire times cannot be computed (a stored expression that is not valid, such as one saved by an older
   * version) and the fix, or null when they can; such a schedule never fires, and never stops the others.
   */
  public @Nullable String problem() {
    return problem;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ScheduleStatus s && schedule.equals(s.schedule) && Objects.equals(nextFire, s.nextFire)
        && Objects.equals(lastFire, s.lastFire) && Objects.equals(problem, s.problem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schedule, nextFire, lastFire, problem);
  }

  @Override
  public String toString() {
    return "ScheduleStatus[schedule=" + schedule + ", nextFire=" + nextFire + ", lastFire=" + lastFire + ", problem="
        + problem + "]";
  }

  /**
   * Builds a {@link ScheduleStatus}. Mutable and not thread-safe; reusing a builder never changes a status already
   * built.
   */
  public static final class Builder {
    private @Nullable Schedule schedule;
    private @Nullable Instant nextFire;
    private @Nullable ScheduleFire lastFire;
    private @Nullable String problem;

    private Builder() {}

    private Builder(ScheduleStatus from) {
      this.schedule = from.schedule;
      this.nextFire = from.nextFire;
      this.lastFire = from.lastFire;
      this.problem = from.problem;
    }

    /** The schedule. Required. */
    public Builder schedule(Schedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** When it fires next; none by default, and null clears it. */
    public Builder nextFire(@Nullable Instant nextFire) {
      this.nextFire = nextFire;
      return this;
    }

    /** Its most recent fire; none by default, and null clears it. */
    public Builder lastFire(@Nullable ScheduleFire lastFire) {
      this.lastFire = lastFire;
      return this;
    }

    /**
     * Why its fire times cannot be computed, with the fix; none by default, and null clears it.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder problem(@Nullable String problem) {
      if (problem != null && problem.isBlank()) {
        throw new IllegalArgumentException("problem must not be blank (was '" + problem
            + "'): say why the fire times cannot be computed, or pass null when they can");
      }
      this.problem = problem;
      return this;
    }

    /**
     * Builds the status.
     *
     * @throws IllegalStateException when the schedule is missing
     */
    public ScheduleStatus build() {
      return new ScheduleStatus(this);
    }
  }
}
