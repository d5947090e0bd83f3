package dev.orchestrator;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a piece of work after a delay. The engine sends every delay through one {@code Scheduler}
 * (task timeouts, retry waits, schedules), so tests can replace it with a manual scheduler that runs
 * what is due when the test advances a mutable clock: nothing ever sleeps.
 *
 * <p>Implementations must be thread-safe. The work runs on a thread of the scheduler's choosing and must
 * be quick; the engine only posts a message from it.
 *
 * <p>Three ready-made ones, for code that needs real time:
 * <ul>
 *   <li>{@link #daemon(String)}: one named daemon thread that the caller owns and closes. What the engine and the
 *       notification listener make for themselves when given no scheduler.
 *   <li>{@link #of(ScheduledExecutorService)}: an executor the caller already has, and keeps owning.
 *   <li>{@link #none()}: work never runs, for a component that must be given a scheduler but must never fire.
 * </ul>
 *
 * <pre>{@code
 * try (Scheduler.Owned timer = Scheduler.daemon("my-app-timer")) {
 *   Scheduler.Cancellable reminder = timer.schedule(() -> log.info("still waiting"), Duration.ofMinutes(1));
 *   ...
 *   reminder.cancel();
 * }
 * }</pre>
 *
 * @since 0.1
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

  /**
   * A scheduler on one named daemon thread, owned by the caller, who closes it. The thread starts with the first
   * work scheduled, and being a daemon it never keeps the JVM alive. Cancelled work is removed from the queue at
   * once, so a long timeout cancelled early holds no memory. A delay too long to count in nanoseconds (about 292
   * years) waits for ever; a negative delay runs the work as soon as possible.
   *
   * <p>{@link Owned#close()} drops the work not yet started, interrupts the work running (without waiting for it)
   * and ends the thread; work scheduled after that does nothing, and its handle does nothing either.
   *
   * @param threadName the thread's name, as thread dumps show it, such as {@code "orchestrator-timer"}
   * @return a thread-safe scheduler to close when its owner closes
   * @throws IllegalArgumentException when {@code threadName} is blank
   */
  static Owned daemon(String threadName) {
    return Schedulers.daemon(threadName);
  }

  /**
   * A scheduler that runs the work on {@code executor}, which the caller keeps owning: nothing here shuts it down.
   * Delays are read as for {@link #daemon(String)}. Once the caller shuts the executor down, work scheduled does
   * nothing, as after {@link Owned#close()}. Whether cancelled work leaves the executor's queue at once is the
   * executor's setting ({@code ScheduledThreadPoolExecutor.setRemoveOnCancelPolicy}).
   *
   * @param executor where the work runs
   * @return a thread-safe scheduler over {@code executor}
   */
  static Scheduler of(ScheduledExecutorService executor) {
    return Schedulers.of(executor);
  }

  /**
   * A scheduler whose work never runs: {@link #schedule} returns a handle that does nothing. For a component that
   * must be given a scheduler but must not fire anything: a service used only to read and change state (the command
   * line's {@code schedule add} keeps schedules without firing them), a plugin made only to be probed, a benchmark
   * whose tasks set no time limits. Never give it to an engine that runs work with timeouts, retries or schedules:
   * what waits for a delay would wait for ever.
   *
   * @return the shared scheduler that never runs work; thread-safe
   */
  static Scheduler none() {
    return Schedulers.NONE;
  }

  /** A handle on scheduled work. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the work if it has not run yet; does nothing otherwise. Idempotent. */
    void cancel();
  }

  /** A scheduler with threads of its own, which its owner closes. Thread-safe. */
  interface Owned extends Scheduler, AutoCloseable {
    /**
     * Drops the work not yet started and ends the scheduler's threads, without waiting for work running; work
     * scheduled later does nothing. Idempotent.
     */
    @Override
    void close();
  }
}
