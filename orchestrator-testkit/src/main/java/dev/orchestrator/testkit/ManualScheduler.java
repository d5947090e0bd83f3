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
  /** Guarded by {@link #lock}. */
  private final PriorityQueue<Job> queue = new PriorityQueue<>();
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
    Instant due = clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay);
    Job job;
    synchronized (lock) {
      job = new Job(due, sequence++, work);
      queue.add(job);
    }
    return () -> {
      synchronized (lock) {
        queue.remove(job);
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

  /** Moves time forward to {@code target}, running each piece of work as its due time is reached. */
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
      next.work.run();
    }
    if (target.isAfter(clock.instant())) {
      clock.set(target);
    }
  }

  /**
   * Runs scheduled work in order until none is left, moving time as needed, but never past {@code limit} from
   * now. Returns how far time moved.
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

  /** How many pieces of work wait. */
  public int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** The due times of the waiting work, soonest first. */
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
