package dev.orchestrator.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * What a schedule does with fires it missed, because no scheduling service was running at their time or because
 * the schedule was paused. A fire handled later than the service's misfire threshold (one minute by default)
 * counts as missed too. Every missed fire that does not run is recorded as skipped and reported with a
 * {@link dev.orchestrator.event.ScheduleMisfiredEvent}. Create one with {@link #skip()}, {@link #runOnce()} or
 * {@link #runAll(Duration)}. Immutable and thread-safe.
 *
 * <p>A record: its shape is final. A policy is a kind and, for {@link Kind#RUN_ALL}, a window; a new way of handling
 * missed fires is a new {@link Kind} with its own factory. Stores keep it as its JSON form ({@code kind} and
 * {@code window}).
 *
 * @param kind what to do
 * @param window for {@link Kind#RUN_ALL}, how far back missed fires still run (older ones are skipped); zero for
 *     the other kinds
 *
 * @since 0.1
 */
public record MisfirePolicy(Kind kind, Duration window) {
  /** What to do with missed fires. */
  public enum Kind {
    /** Run none of them: each is skipped with an event. */
    SKIP,
    /** Run the most recent one, once, at once; the others are skipped with an event. */
    RUN_ONCE,
    /** Run each one within the window, oldest first, at once; older ones are skipped with an event. */
    RUN_ALL
  }

  public MisfirePolicy {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(window, "window");
    if (kind == Kind.RUN_ALL && (window.isNegative() || window.isZero())) {
      throw new IllegalArgumentException("the RUN_ALL window must be positive (was " + window
          + "): give how far back missed fires still run, such as Duration.ofHours(6)");
    }
    if (kind != Kind.RUN_ALL && !window.isZero()) {
      throw new IllegalArgumentException("only RUN_ALL has a window (was " + kind + " with " + window
          + "): use MisfirePolicy.runAll(window) or drop the window");
    }
  }

  /** Skips every missed fire (each with an event). */
  public static MisfirePolicy skip() {
    return new MisfirePolicy(Kind.SKIP, Duration.ZERO);
  }

  /**
   * Catches up with one run, as Quartz's fire-once-now: when fires were missed, the latest fire due (missed, or on
   * time just after them) runs and every earlier one is skipped; the default.
   */
  public static MisfirePolicy runOnce() {
    return new MisfirePolicy(Kind.RUN_ONCE, Duration.ZERO);
  }

  /**
   * Runs every missed fire no older than {@code window}, oldest first, and skips older ones.
   *
   * @throws IllegalArgumentException when the window is not positive
   */
  public static MisfirePolicy runAll(Duration window) {
    return new MisfirePolicy(Kind.RUN_ALL, window);
  }
}
