package dev.orchestrator.cli.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.run.Run;
import dev.orchestrator.spi.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of a run that another engine executes (in another process, or a cluster worker), read from the store
 * as that engine appends them: polls the run's event log and hands each new event to a listener, oldest first, on
 * its own thread. The first poll delivers the events so far, as a subscription to a local run replays them.
 */
final class StoreEventFeed implements Run.Subscription {
  private static final Logger log = LoggerFactory.getLogger(StoreEventFeed.class);

  private final Store store;
  private final String project;
  private final String runId;
  private final EventSubscriber listener;
  private final ScheduledExecutorService timer;
  /** How many of the run's events were delivered; guarded by this. */
  private int delivered;

  private StoreEventFeed(Store store, String project, String runId, EventSubscriber listener) {
    this.store = store;
    this.project = project;
    this.runId = runId;
    this.listener = listener;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-events");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts delivering the run's events, every {@code every}, until closed. */
  static StoreEventFeed start(Store store, String project, String runId, EventSubscriber listener, Duration every) {
    StoreEventFeed feed = new StoreEventFeed(store, project, runId, listener);
    feed.timer.scheduleWithFixedDelay(feed::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return feed;
  }

  /** Delivers, on the calling thread, the events not delivered yet. */
  void flush() {
    poll();
  }

  private synchronized void poll() {
    try {
      // A run's event log only grows (every bundled store keeps all of it), so the new ones are those past the count.
      List<Event> events = store.events(project, runId);
      for (int i = delivered; i < events.size(); i++) {
        Event e = events.get(i);
        delivered = i + 1;
        listener.onEvent(e);
      }
    } catch (RuntimeException e) {
      log.warn("Events of run {} not read this time; trying again (project={}): {}", runId, project, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
