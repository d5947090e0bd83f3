package dev.orchestrator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The schedulers behind {@link Scheduler}'s factories. All thread-safe. */
final class Schedulers {
  private static final Scheduler.Cancellable NOTHING = () -> { };

  static final Scheduler NONE = new Scheduler() {
    @Override
    public Cancellable schedule(Runnable work, Duration delay) {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(delay, "delay");
      return NOTHING;
    }

    @Override
    public String toString() {
      return "Scheduler.none()";
    }
  };

  private Schedulers() {}

  static Scheduler.Owned daemon(String threadName) {
    Objects.requireNonNull(threadName, "threadName");
    if (threadName.isBlank()) {
      throw new IllegalArgumentException("threadName must not be blank: name the thread after its owner, such as "
          + "\"orchestrator-timer\"");
    }
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new Daemon(executor, threadName);
  }

  static Scheduler of(ScheduledExecutorService executor) {
    return new OnExecutor(Objects.requireNonNull(executor, "executor"));
  }

  /** {@code delay} in nanoseconds: 0 when negative, the longest wait when too long to count. */
  static long nanos(Duration delay) {
    if (delay.isNegative()) {
      return 0;
    }
    try {
      return delay.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** Work on an executor someone else shuts down. */
  static class OnExecutor implements Scheduler {
    final ScheduledExecutorService executor;

    OnExecutor(ScheduledExecutorService executor) {
      this.executor = executor;
    }

    @Override
    public Cancellable schedule(Runnable work, Duration delay) {
      Objects.requireNonNull(work, "work");
      long nanos = nanos(Objects.requireNonNull(delay, "delay"));
      if (executor.isShutdown()) {
        return NOTHING;
      }
      ScheduledFuture<?> f;
      try {
        f = executor.schedule(work, nanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        if (executor.isShutdown()) {
          return NOTHING; // shut down between the check and the call
        }
        throw e;
      }
      return () -> f.cancel(false);
    }

    @Override
    public String toString() {
      return "Scheduler.of(" + executor + ")";
    }
  }

  /** Work on a daemon thread of its own. */
  static final class Daemon extends OnExecutor implements Scheduler.Owned {
    private final String threadName;

    Daemon(ScheduledThreadPoolExecutor executor, String threadName) {
      super(executor);
      this.threadName = threadName;
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }

    /** How much work waits in the queue, cancelled work included if it were kept: for tests. */
    int queued() {
      return ((ScheduledThreadPoolExecutor) executor).getQueue().size();
    }

    @Override
    public String toString() {
      return "Scheduler.daemon(" + threadName + ")";
    }
  }
}
