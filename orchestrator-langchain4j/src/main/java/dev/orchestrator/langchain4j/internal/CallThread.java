package dev.orchestrator.langchain4j.internal;

import org.jspecify.annotations.Nullable;

/**
 * The thread running one call, so a cancellation interrupts it and nothing else: the interrupt and the release
 * after the call take the same lock, and the release clears any interrupt that came late.
 */
public final class CallThread {
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private @Nullable Thread thread;
  /** Guarded by {@link #lock}. */
  private boolean interrupted;

  /** Runs the call on this thread; false when the call was given up before it started. */
  public boolean run(Runnable call) {
    synchronized (lock) {
      if (interrupted) {
        return false;
      }
      thread = Thread.currentThread();
    }
    try {
      call.run();
      return true;
    } finally {
      synchronized (lock) {
        thread = null;
        Thread.interrupted(); // a late interrupt must not reach the pool's next task
      }
    }
  }

  /** Gives the call up: interrupts its thread if it runs, or keeps it from starting. */
  public void interrupt() {
    synchronized (lock) {
      interrupted = true;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
