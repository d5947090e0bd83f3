package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets Failsafe wait through the injected {@link Scheduler} and read time from the injected {@link Clock}, so
 * retry back-offs run on virtual time in tests. Thread-safe.
 */
public final class FailsafeScheduler implements dev.failsafe.spi.Scheduler {
  private final Scheduler scheduler;
  private final Clock clock;

  public FailsafeScheduler(Scheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    Duration d = Duration.ofNanos(unit.toNanos(Math.max(0, delay)));
    Job job = new Job(callable, clock.instant().plus(d));
    job.timer = scheduler.schedule(job::run, d);
    return job;
  }

  private final class Job implements ScheduledFuture<Object> {
    private final Callable<?> callable;
    private final Instant due;
    private final CompletableFuture<Object> result = new CompletableFuture<>();
    volatile Scheduler.Cancellable timer = () -> {};

    Job(Callable<?> callable, Instant due) {
      this.callable = callable;
      this.due = due;
    }

    void run() {
      if (result.isDone()) {
        return;
      }
      try {
        result.complete(callable.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      timer.cancel();
      return result.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }
}
