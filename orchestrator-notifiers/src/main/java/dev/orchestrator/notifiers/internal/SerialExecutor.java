package dev.orchestrator.notifiers.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted work one piece at a time, in order, on a delegate executor, with a bounded queue. Everything the
 * dispatcher owns is confined to it, so the dispatcher needs no locks. Work submitted while work runs (also from
 * the work itself, with a direct delegate) is queued, never run re-entrantly. Thread-safe.
 */
public final class SerialExecutor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final int capacity;
  /** Guarded by {@code this}. */
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  /** Guarded by {@code this}. */
  private boolean draining;

  public SerialExecutor(Executor delegate, int capacity) {
    this.delegate = delegate;
    this.capacity = capacity;
  }

  /**
   * Queues work.
   *
   * @return false when the queue is full (the work is not queued) or the delegate rejected it
   */
  public boolean execute(Runnable work) {
    synchronized (this) {
      if (queue.size() >= capacity) {
        return false;
      }
      queue.add(work);
      if (draining) {
        return true;
      }
      draining = true;
    }
    try {
      delegate.execute(this::drain);
      return true;
    } catch (RuntimeException e) {
      synchronized (this) {
        queue.clear();
        draining = false;
      }
      return false;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        log.warn("Notification work failed (error={})", e.toString());
      }
    }
  }

  /** How much work waits. */
  public synchronized int pending() {
    return queue.size();
  }
}
