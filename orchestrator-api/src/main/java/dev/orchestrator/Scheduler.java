package dev.orchestrator;

import java.time.Duration;

/**
 * Runs a piece of work after a delay. The engine sends every delay through one {@code Scheduler}
 * (task timeouts, retry waits, schedules), so tests can replace it with a manual scheduler that runs
 * what is due when the test advances a mutable clock: nothing ever sleeps.
 *
 * <p>Implementations must be thread-safe. The work runs on a thread of the scheduler's choosing and must
 * be quick; the engine only posts a message from it.
 */
@FunctionalInterface
public interface Scheduler {
  /**
   * Runs {@code work} once, no earlier than {@code delay} from now.
   *
   * @param work what to run
   * @param delay how long to wait; zero or negative runs it as soon as possible
   * @return a handle that cancels the work if it has not started
   */
  Cancellable schedule(Runnable work, Duration delay);

  /**
   * Runs {@code work} once, no earlier than {@code delay} from now, as upkeep: work that keeps a component in step
   * with the outside world (reading a shared store every second) and that reschedules itself for as long as the
   * component lives. It never makes a system busy by itself, so a test scheduler that runs work "until idle" ignores
   * it when deciding it is idle (it still runs it when its time comes). Same as {@link #schedule} by default.
   */
  default Cancellable scheduleUpkeep(Runnable work, Duration delay) {
    return schedule(work, delay);
  }

  /** A handle on scheduled work. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the work if it has not run yet; does nothing otherwise. Idempotent. */
    void cancel();
  }
}
