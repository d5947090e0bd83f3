package dev.orchestrator.notifiers.internal;

import dev.orchestrator.event.Event;
import java.time.Duration;

/**
 * The way a listener's events become notifications: in this process only ({@link InProcessPipeline}), or through a
 * store's outbox ({@link OutboxPipeline}). Thread-safe.
 */
public interface Pipeline {
  /** Takes an event that may notify; returns at once and never throws. */
  void accept(Event event);

  /**
   * Stops: waits up to {@code wait} for this process's notifications where that means something, then closes the
   * notifiers.
   *
   * @return how many of this process's notifications were left unsent (in the store, for the next process)
   */
  int close(Duration wait);
}
