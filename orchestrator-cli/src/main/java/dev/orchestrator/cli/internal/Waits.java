package dev.orchestrator.cli.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting for another process to act on the shared store: polls on a timer, never sleeps. */
final class Waits {
  private Waits() {}

  /** Checks {@code done} every {@code every} until it holds (true) or {@code timeout} passes (false). */
  static boolean until(BooleanSupplier done, Duration every, Duration timeout) {
    if (done.getAsBoolean()) {
      return true;
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-wait");
      t.setDaemon(true);
      return t;
    });
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (done.getAsBoolean()) {
          result.complete(true);
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      timer.shutdownNow();
    }
  }
}
