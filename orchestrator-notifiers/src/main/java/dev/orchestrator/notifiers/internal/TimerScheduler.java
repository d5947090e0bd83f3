package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The listener's own {@link Scheduler} when none is given: one named daemon thread. Thread-safe. */
public final class TimerScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;

  public TimerScheduler(String threadName) {
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
    long nanos;
    try {
      nanos = delay.isNegative() ? 0 : delay.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    if (executor.isShutdown()) {
      return () -> {};
    }
    ScheduledFuture<?> f = executor.schedule(work, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
