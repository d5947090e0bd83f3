package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default {@link Scheduler}: one named daemon thread, cancelled work removed at once. Thread-safe. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;

  public ExecutorScheduler(String threadName) {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Runnable work, Duration delay) {
    long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
    ScheduledFuture<?> f = executor.schedule(work, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
