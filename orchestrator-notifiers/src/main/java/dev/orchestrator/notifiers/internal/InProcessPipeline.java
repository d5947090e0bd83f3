package dev.orchestrator.notifiers.internal;

import dev.orchestrator.event.Event;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications in this process only: events wait in a bounded queue for the {@link Dispatcher}'s thread (beyond it
 * they are dropped and counted), and what is not sent when the process ends is lost. Thread-safe.
 */
public final class InProcessPipeline implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(InProcessPipeline.class);

  private final SerialExecutor serial;
  private final Dispatcher dispatcher;
  private final Counters counters;

  public InProcessPipeline(SerialExecutor serial, Dispatcher dispatcher, Counters counters) {
    this.serial = serial;
    this.dispatcher = dispatcher;
    this.counters = counters;
  }

  @Override
  public void accept(Event event) {
    try {
      if (!serial.execute(() -> dispatcher.accept(event))) {
        long n = counters.dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
          log.warn("Notification queue full: event dropped (project={}, event={}, dropped={})", event.project(),
              event.getClass().getSimpleName(), n);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Notification listener could not queue an event (project={}, error={})", event.project(),
          e.getClass().getName());
    }
  }

  /** Drops pending digests and closes the notifiers; waits for nothing (nothing would survive the process). */
  @Override
  public int close(Duration wait) {
    dispatcher.close();
    return 0;
  }
}
