package dev.orchestrator.testkit;

import dev.orchestrator.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on virtual time: work runs only when a test calls {@link #advance} (or {@link #runDue}), on
 * the test's thread, in order of due time (ties in order of scheduling), with the clock set to each work's due time
 * as it runs. Thread-safe.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.create();
 * ManualScheduler scheduler = new ManualScheduler(clock);
 * scheduler.schedule(() -> fired.set(true), Duration.ofMinutes(5));
 * scheduler.advance(Duration.ofMinutes(5)); // runs it
 * }</pre>
 */
public final class ManualScheduler implements Scheduler {
  private final MutableClock clock;
  private final Object lock = new Object();
  /** Work, by due time. Guarded by {@link #lock}. */
  private final PriorityQueue<Job> queue = new PriorityQueue<>();
  /** Upkeep ({@link #scheduleUpkeep}), by due time. Guarded by {@link #lock}. */
  private final PriorityQueue<Job> upkeep = new PriorityQueue<>();
  /** Guarded by {@link #lock}. */
  private long sequence;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** The clock this scheduler moves. */
  public MutableClock clock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Runnable work, Duration delay) {
    return add(queue, work, delay);
  }

  /**
   * Upkeep runs where time stops (see {@link #advanceTo}); {@link #runUntilIdle}, {@link #pending} and
   * {@link #dueTimes} ignore it.
   */
  @Override
  public Cancellable scheduleUpkeep(Runnable work, Duration delay) {
    return add(upkeep, work, delay);
  }

  private Cancellable add(PriorityQueue<Job> into, Runnable work, Duration delay) {
    Instant due = clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay);
    Job job;
    synchronized (lock) {
      job = new Job(due, sequence++, work);
      into.add(job);
    }
    return () -> {
      synchronized (lock) {
        into.remove(job);
      }
    };
  }

  /** Runs everything due now, including work that it schedules for now. */
  public void runDue() {
    advanceTo(clock.instant());
  }

  /** Moves time forward by {@code by}, running each piece of work as its due time is reached. */
  public void advance(Duration by) {
    advanceTo(clock.instant().plus(by));
  }

  /**
   * Moves time forward to {@code target}, running each piece of work as its due time is reached. Upkeep
   * ({@link #scheduleUpkeep}) runs where time stops: before each piece of work (with the clock at its due time) and at
   * {@code target}, once for all the periods that fell due meanwhile, as on a machine busy elsewhere. So a test that
   * needs upkeep every second steps time a second at a time, and one that jumps days does not run it every second.
   */
  public void advanceTo(Instant target) {
    while (true) {
      Job next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          break;
        }
        queue.poll();
      }
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
      runUpkeep(next.due);
      next.work.run();
    }
    if (target.isAfter(clock.instant())) {
      clock.set(target);
    }
    runUpkeep(clock.instant());
  }

  /** Runs, once each, the upkeep due by {@code now}; upkeep that it schedules anew waits for a later stop. */
  private void runUpkeep(Instant now) {
    List<Job> due = new ArrayList<>();
    synchronized (lock) {
      while (!upkeep.isEmpty() && !upkeep.peek().due.isAfter(now)) {
        due.add(upkeep.poll());
      }
    }
    for (Job j : due) {
      j.work.run();
    }
  }

  /**
   * Runs scheduled work in order until none is left but upkeep, moving time as needed, but never past {@code limit}
   * from now. Returns how far time moved.
   */
  public Duration runUntilIdle(Duration limit) {
    Instant start = clock.instant();
    Instant end = start.plus(limit);
    while (true) {
      Instant due;
      synchronized (lock) {
        Job next = queue.peek();
        if (next == null || next.due.isAfter(end)) {
          break;
        }
        due = next.due;
      }
      advanceTo(due);
    }
    return Duration.between(start, clock.instant());
  }

  /** How many pieces of work wait, upkeep aside. */
  public int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** The due times of the waiting work, upkeep aside, soonest first. */
  public List<Instant> dueTimes() {
    synchronized (lock) {
      List<Job> jobs = new ArrayList<>(queue);
      jobs.sort(null);
      List<Instant> out = new ArrayList<>(jobs.size());
      for (Job j : jobs) {
        out.add(j.due);
      }
      return out;
    }
  }

  private record Job(Instant due, long seq, Runnable work) implements Comparable<Job> {
    @Override
    public int compareTo(Job o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
