package dev.orchestrator.dashboard;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition that other threads or processes make true, every few milliseconds, up to a deadline. */
public final class Await {
  /** How long a test waits for something that takes a second or two at most. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private Await() {}

  /** Waits until the condition holds, at most {@link #DEFAULT}; fails naming what did not happen. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  public static void until(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " did not happen within " + within);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Waits until the supplier gives a value other than null, and returns it. */
  public static <T> T value(String what, Supplier<T> value) {
    Object[] holder = new Object[1];
    until(what, () -> (holder[0] = value.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) holder[0];
    return t;
  }
}
