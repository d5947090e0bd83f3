package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable way to deliver notifications: while the process lives, a pass every poll interval (and soon after each
 * event this process produces) relays the store's new events into the outbox and sends what is due, whoever's it is;
 * when the process closes, it waits a bounded time for the deliveries of its own events, sending them itself, and
 * leaves the rest in the store for the next process.
 *
 * <p>Thread-safe: passes run on the executor given, one at a time (a lock also keeps the closing thread's passes
 * apart from them).
 */
public final class OutboxLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxLoop.class);
  /** Relay steps in one pass, so one pass never runs for long behind a large backlog. */
  private static final int MAX_STEPS = 20;
  private static final int SCAN_BATCH = 500;
  /** How far back the closing process looks for its own events it has not matched yet. */
  private static final int TAIL = 2_000;
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  /** Delivered and failed notifications are kept this long (for {@code orchestrator notifications}). */
  private static final Duration KEEP = Duration.ofDays(7);
  private static final long POLL_WHILE_CLOSING_MS = 50;

  /**
   * What closing did.
   *
   * @param delivered notifications this process delivered while it waited
   * @param left deliveries of this process's events still pending when it stopped waiting (in the store, for the
   *     next process), plus its events not yet relayed
   * @param released claims whose send had not completed, given back
   */
  public record Drain(long delivered, int left, int released) {}

  private final Store store;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final OutboxDeliverer deliverer;
  private final OwnEvents own;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Clock clock;
  private final Duration poll;
  private final Counters counters;
  private final ReentrantLock work = new ReentrantLock();
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Scheduler.Cancellable timer = () -> {};
  /** Guarded by {@link #work}. */
  private Instant lastPrune = Instant.MIN;
  /** Guarded by {@link #work}. */
  private int passes;

  public OutboxLoop(Store store, Outbox outbox, OutboxRelay relay, OutboxDeliverer deliverer, OwnEvents own,
      Scheduler scheduler, Executor executor, Clock clock, Duration poll, Counters counters) {
    this.store = store;
    this.outbox = outbox;
    this.relay = relay;
    this.deliverer = deliverer;
    this.own = own;
    this.scheduler = scheduler;
    this.executor = executor;
    this.clock = clock;
    this.poll = poll;
    this.counters = counters;
  }

  /** Starts passing: one now (what earlier processes left is sent at once), then one every poll interval. */
  public void start() {
    tick();
  }

  private void tick() {
    if (closed) {
      return;
    }
    nudge();
    timer = scheduler.schedule(this::tick, poll);
  }

  /** Asks for a pass soon (an event was produced); several requests before it runs make one pass. */
  public void nudge() {
    if (closed || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(() -> {
        queued.set(false);
        pass();
      });
    } catch (RejectedExecutionException e) {
      queued.set(false);
    }
  }

  private void pass() {
    work.lock();
    try {
      if (closed) {
        return;
      }
      relayAll(Long.MAX_VALUE);
      deliverer.deliverDue();
      if (++passes % 60 == 0) {
        forgetDone();
      }
      prune();
    } catch (RuntimeException e) {
      // The store may be down for a while: the next pass tries again, and nothing is lost meanwhile.
      log.warn("Notification pass failed; trying again in {} (error={})", poll, e.toString());
    } finally {
      work.unlock();
    }
  }

  /** Relays until caught up (or past {@code until}), a bounded number of steps; returns the position reached. */
  private long relayAll(long until) {
    long position = -1;
    for (int i = 0; i < MAX_STEPS; i++) {
      OutboxRelay.Step s = relay.step();
      if (s == OutboxRelay.Step.IDLE) {
        break;
      }
      position = relay.position();
      if (position >= until) {
        break;
      }
    }
    if (position < 0) {
      position = relay.position();
    }
    matchOwn(position);
    return position;
  }

  /** Finds this process's events up to {@code position} in the stream, reading what the relay did not. */
  private void matchOwn(long position) {
    if (!own.hasUnresolved()) {
      own.skipTo(position);
      return;
    }
    while (own.scannedUpTo() < position && own.hasUnresolved()) {
      List<StoredEvent> events = store.eventsAfter(own.scannedUpTo(), SCAN_BATCH);
      if (events.isEmpty()) {
        break;
      }
      own.scanned(events);
    }
  }

  /** Forgets own events whose deliveries are all done, so a long-lived process does not grow. */
  private void forgetDone() {
    Set<Long> mine = own.sequences();
    if (mine.isEmpty()) {
      return;
    }
    Set<Long> open = new HashSet<>();
    for (Outbox.Delivery d : outbox.pending(OutboxRelay.NAME, mine)) {
      open.add(d.eventSequence());
    }
    long reached = relay.position();
    Set<Long> done = new HashSet<>();
    for (Long s : mine) {
      if (s <= reached && !open.contains(s)) {
        done.add(s);
      }
    }
    own.forget(done);
  }

  private void prune() {
    Instant now = clock.instant();
    if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
      return;
    }
    lastPrune = now;
    int n = outbox.prune(OutboxRelay.NAME, KEEP);
    if (n > 0) {
      log.debug("Old notification deliveries deleted (count={}, olderThan={})", n, KEEP);
    }
  }

  /**
   * Stops passing, then waits up to {@code wait} for the deliveries of this process's events, relaying and sending
   * them itself; what is left stays in the store. Gives back the claims whose send has not completed. Call once.
   */
  public Drain drain(Duration wait) {
    closed = true;
    timer.cancel();
    if (wait.isZero()) {
      work.lock(); // a pass under way finishes first
      try {
        int released = deliverer.releaseInFlight();
        int left = own.unresolvedCount();
        try {
          left += outbox.pending(OutboxRelay.NAME, own.sequences()).size();
        } catch (RuntimeException e) {
          log.debug("Pending notifications not counted (error={})", e.toString());
        }
        return new Drain(0, left, released);
      } finally {
        work.unlock();
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long deliveredBefore = counters.delivered.get();
    int left = 0;
    boolean tailScanned = false;
    try {
      long last = store.lastEventSequence();
      while (true) {
        long reached;
        List<Outbox.Delivery> pending;
        work.lock();
        try {
          reached = relayAll(last);
          if (own.hasUnresolved() && !tailScanned && reached >= last) {
            // Events this process produced whose listener call came after the stream was read past them.
            tailScanned = true;
            scanTail(last);
          }
          deliverer.deliverDue();
          pending = outbox.pending(OutboxRelay.NAME, own.sequences());
        } finally {
          work.unlock();
        }
        boolean mineDone = pending.isEmpty() && reached >= last;
        left = pending.size() + (reached >= last ? 0 : own.unresolvedCount());
        if (mineDone && deliverer.inFlight() == 0) {
          left = 0;
          break;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        if (!await(deliverer.nextCompletion(),
            Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_WHILE_CLOSING_MS)))) {
          break;
        }
      }
    } catch (RuntimeException e) {
      log.warn("Notifications could not be finished before exit; they stay in the store for the next process"
          + " (error={})", e.toString());
    }
    int released;
    work.lock();
    try {
      released = deliverer.releaseInFlight();
    } finally {
      work.unlock();
    }
    long delivered = counters.delivered.get() - deliveredBefore;
    if (left > 0 || released > 0) {
      log.info("Notifications left for the next process (pending={}, released={}, waited={})", left, released,
          wait);
    }
    return new Drain(delivered, left, released);
  }

  private void scanTail(long last) {
    long from = Math.max(0, last - TAIL);
    while (from < last && own.hasUnresolved()) {
      List<StoredEvent> events = store.eventsAfter(from, SCAN_BATCH);
      if (events.isEmpty()) {
        return;
      }
      own.rescan(events);
      from = events.get(events.size() - 1).sequence();
    }
  }

  /** Waits for a send to complete, or a short while; false when interrupted (stop waiting). */
  private static boolean await(CompletableFuture<Void> f, long nanos) {
    // A send completing wakes the wait early; otherwise this polls the store again after a short while.
    CompletableFuture<Void> waitOn = f.isDone() ? new CompletableFuture<>() : f;
    try {
      waitOn.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // time to look again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** Stops passing at once, waiting for nothing. */
  @Override
  public void close() {
    if (!closed) {
      drain(Duration.ZERO);
    }
  }
}
