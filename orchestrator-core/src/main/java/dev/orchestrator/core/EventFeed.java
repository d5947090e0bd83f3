package dev.orchestrator.core;

import dev.orchestrator.Scheduler;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.spi.store.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to a store's event stream ({@link StoreView#eventsAfter}): the events of every project, appended by any
 * process that shares the store, delivered to one {@link EventSubscriber} in sequence order, each once. This is how a
 * front end follows work that other processes do ({@code orchestrator logs --follow}, a dashboard, notifications).
 *
 * <pre>{@code
 * try (EventFeed feed = EventFeed.builder(store)
 *     .from(0)                                  // everything the store still has; the default is "from now"
 *     .start(event -> System.out.println(event))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>It polls the store every {@link Builder#pollInterval(Duration) poll interval} (200 ms by default), and at once
 * again while the store has more than one batch ready. A read that fails (the database is down) is logged, and the
 * next is made after a backoff that doubles from the poll interval up to {@link Builder#maxBackoff(Duration)} (10
 * seconds by default); the feed keeps its position, so it goes on where it stopped and neither skips nor repeats an
 * event. A listener that throws is logged and skipped for that event, as {@link EventSubscriber} says.
 *
 * <p>Thread-safe. Polls run on the {@link Builder#scheduler(Scheduler) scheduler} given (tests give a manual one),
 * else on a daemon thread of the feed's own, named {@code orchestrator-event-feed}; store reads happen there, so a
 * shared scheduler whose work must stay short is a poor choice. The listener is called from one poll at a time, so
 * never concurrently. {@link #close()} is idempotent and may be called from the listener.
 */
public final class EventFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

  /** The poll interval unless {@link Builder#pollInterval(Duration)} sets another. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
  /** The longest wait between two reads after failures unless {@link Builder#maxBackoff(Duration)} sets another. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  /** How many events one read asks for unless {@link Builder#batchSize(int)} sets another. */
  public static final int DEFAULT_BATCH_SIZE = 500;
  /** How long {@link #close()} waits for a read in progress on the feed's own thread. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final StoreView store;
  private final EventSubscriber listener;
  private final Scheduler scheduler;
  private final @Nullable ScheduledThreadPoolExecutor ownThread;
  /** The thread of ownThread, once started: close() does not wait for itself. */
  private volatile @Nullable Thread feedThread;
  private final Duration pollInterval;
  private final Duration maxBackoff;
  private final int batchSize;
  private final Object lock = new Object();
  /** Guarded by lock: the next poll, cancelled by close. */
  private Scheduler.@Nullable Cancellable next;
  private volatile boolean closed;
  /** Written by polls only (one at a time): the sequence of the last event handed to the listener. */
  private volatile long position;
  /** Written by polls only: reads that failed in a row. */
  private int failures;

  private EventFeed(Builder b, EventSubscriber listener, long start) {
    this.store = b.store;
    this.listener = listener;
    this.pollInterval = b.pollInterval;
    this.maxBackoff = b.maxBackoff;
    this.batchSize = b.batchSize;
    this.position = start;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownThread = null;
    } else {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "orchestrator-event-feed");
        t.setDaemon(true);
        feedThread = t;
        return t;
      });
      executor.setRemoveOnCancelPolicy(true);
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      this.ownThread = executor;
      this.scheduler = Scheduler.of(executor); // shut down by close(), which waits for a poll under way
    }
  }

  /** Starts configuring a feed of {@code store}'s event stream. */
  public static Builder builder(StoreView store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /**
   * The sequence number of the last event handed to the listener (inside {@link EventSubscriber#onEvent}, the one being
   * delivered), or the number the feed started after. A new feed started from here misses nothing and repeats nothing.
   */
  public long position() {
    return position;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops polling; no event is delivered after the one in progress, if any. On the feed's own thread (no scheduler
   * given), it waits up to 5 seconds for a read in progress to end, so that once it returns
   * the listener is not called again and the store may be closed; called from the listener, it does not wait.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (next != null) {
        next.cancel();
        next = null;
      }
    }
    if (ownThread != null) {
      // Not shutdownNow: interrupting a thread inside a JDBC call can break the connection (H2 closes its file).
      ownThread.shutdown();
      if (Thread.currentThread() != feedThread) {
        try {
          if (!ownThread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
            log.warn("Event feed closed while a store read was still in progress (store={}, waited={}s)", store,
                CLOSE_WAIT_SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void schedule(Duration delay) {
    synchronized (lock) {
      if (!closed) {
        next = scheduler.schedule(this::poll, delay);
      }
    }
  }

  private void poll() {
    if (closed) {
      return;
    }
    List<StoredEvent> batch;
    try {
      batch = store.eventsAfter(position, batchSize);
    } catch (UnsupportedOperationException e) {
      log.error("Event feed stopped: the store keeps no event stream (store={})", store, e);
      close();
      return;
    } catch (RuntimeException e) {
      if (closed) {
        return; // closed while reading: the store may have been closed too
      }
      failures++;
      Duration backoff = backoff(failures);
      // The stack trace once per outage; the later failures of the same outage in one line each.
      log.warn("Event feed could not read the store; trying again (store={}, position={}, failures={}, retryIn={}, "
          + "error={})", store, position, failures, backoff, e.toString(), failures == 1 ? e : null);
      schedule(backoff);
      return;
    }
    if (failures > 0) {
      log.info("Event feed reads the store again (store={}, position={}, failures={})", store, position, failures);
      failures = 0;
    }
    for (StoredEvent e : batch) {
      if (closed) {
        return;
      }
      if (e.sequence() <= position) {
        continue; // a store that hands out an event twice must not make the listener see it twice
      }
      position = e.sequence();
      try {
        listener.onEvent(e.event());
      } catch (RuntimeException ex) {
        log.warn("Event listener failed; skipping the event (listener={}, sequence={}, type={})",
            listener.getClass().getName(), e.sequence(), e.event().getClass().getSimpleName(), ex);
      }
    }
    schedule(batch.size() >= batchSize ? Duration.ZERO : pollInterval);
  }

  private Duration backoff(int failures) {
    Duration d = pollInterval;
    for (int i = 0; i < failures && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /** Configures an {@link EventFeed}. Mutable and not thread-safe. */
  public static final class Builder {
    private final StoreView store;
    private @Nullable Long from;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private @Nullable Scheduler scheduler;

    private Builder(StoreView store) {
      this.store = store;
    }

    /**
     * Delivers the events after {@code sequence}: 0 for every event the store still has, a {@link #position()} saved
     * earlier to go on from there. The default is from now ({@link #fromNow()}).
     *
     * @throws IllegalArgumentException when sequence is negative
     */
    public Builder from(long sequence) {
      if (sequence < 0) {
        throw new IllegalArgumentException("sequence must be >= 0 (was " + sequence + "): 0 delivers every event "
            + "the store has");
      }
      this.from = sequence;
      return this;
    }

    /** Delivers only the events appended after {@link #start} (the store's {@link StoreView#lastEventSequence()}). */
    public Builder fromNow() {
      this.from = null;
      return this;
    }

    /**
     * How often to ask the store for new events (200 ms by default).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive (was " + interval + ")");
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * The longest wait between reads while the store keeps failing (10 seconds by default); the wait doubles from the
     * poll interval up to it.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxBackoff(Duration max) {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("maxBackoff must be positive (was " + max + ")");
      }
      this.maxBackoff = max;
      return this;
    }

    /**
     * How many events one read asks for (500 by default).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder batchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1 (was " + size + ")");
      }
      this.batchSize = size;
      return this;
    }

    /** Where polls run; by default a daemon thread of the feed's own, stopped by {@link EventFeed#close()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Starts delivering to {@code listener}; the first read is made at once on the scheduler.
     *
     * @throws dev.orchestrator.OrchestratorException when the feed starts from now and the store cannot say where now
     *     is (it cannot be read)
     * @throws UnsupportedOperationException when the feed starts from now and the store keeps no event stream (a feed
     *     started from a sequence on such a store logs that at its first read and closes)
     */
    public EventFeed start(EventSubscriber listener) {
      Objects.requireNonNull(listener, "listener");
      long start = from != null ? from : store.lastEventSequence();
      EventFeed feed = new EventFeed(this, listener, start);
      feed.schedule(Duration.ZERO);
      return feed;
    }
  }
}
