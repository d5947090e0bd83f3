package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.store.Outbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due notifications: claims a batch under a lease, hands each to its channel's notifier, and
 * records the outcome when the send completes: delivered; another attempt after a back-off with jitter (the
 * channel said it may work later, and attempts are left); or failed, with the reason, reported to the log and the
 * listener's callback. Never waits for a send.
 *
 * <p>Back-off: the initial delay doubled for each attempt made, up to the longest, plus up to a fifth more at random
 * (so processes that failed together do not retry together), or what the service asked for ({@code Retry-After})
 * when that is longer; never more than the longest delay.
 *
 * <p>Thread-safe: {@link #deliverDue} runs on one thread at a time; outcomes are recorded on the threads that
 * complete the sends.
 */
public final class OutboxDeliverer {
  private static final Logger log = LoggerFactory.getLogger(OutboxDeliverer.class);

  private final Outbox outbox;
  private final String owner;
  private final Channels channels;
  private final RetrySettings retry;
  private final Duration lease;
  private final Failures failures;
  private final Counters counters;
  private final int maxInFlight;
  /** Claims whose send has not completed, by key. */
  private final Map<String, Outbox.Delivery> inFlight = new ConcurrentHashMap<>();
  /** Completed (and replaced) whenever a send completes: what a waiting close watches. */
  private final AtomicReference<CompletableFuture<Void>> change = new AtomicReference<>(new CompletableFuture<>());

  /**
   * @param owner this process, as its claims name it
   * @param maxInFlight how many sends may be under way at once
   */
  public OutboxDeliverer(Outbox outbox, String owner, Channels channels, RetrySettings retry, Duration lease,
      Failures failures, Counters counters, int maxInFlight) {
    this.outbox = outbox;
    this.owner = owner;
    this.channels = channels;
    this.retry = retry;
    this.lease = lease;
    this.failures = failures;
    this.counters = counters;
    this.maxInFlight = maxInFlight;
  }

  /** Claims what is due, as far as there is room in flight, and starts sending it; returns how many it claimed. */
  public int deliverDue() {
    int room = maxInFlight - inFlight.size();
    if (room <= 0) {
      return 0;
    }
    List<Outbox.Delivery> claimed = outbox.claim(OutboxRelay.NAME, owner, room, lease);
    for (Outbox.Delivery d : claimed) {
      start(d);
    }
    return claimed.size();
  }

  private void start(Outbox.Delivery d) {
    Notification n;
    try {
      n = NotificationCodec.read(d.payload());
    } catch (IllegalArgumentException e) {
      giveUp(d, null, d.destination(), "?", "the stored notification is unreadable (" + e.getMessage() + ")");
      return;
    }
    Optional<Channels.Resolved> channel = channels.resolve(d.project(), d.destination());
    if (channel.isEmpty()) {
      giveUp(d, n, d.destination(), "?", "channel '" + d.destination() + "' of project '" + d.project()
          + "' is not configured in this process: give every process the same notification configuration");
      return;
    }
    Channels.Resolved ch = channel.get();
    inFlight.put(d.key(), d);
    counters.sent.incrementAndGet();
    CompletableFuture<Void> send;
    try {
      send = ch.notifier().send(n);
    } catch (RuntimeException e) {
      send = CompletableFuture.failedFuture(e);
    }
    // Recorded on the thread that completes the send (an HTTP client's, the mail sender's): short store writes, and
    // never behind this process's own queue, so a closing process sees its sends finish.
    send.whenComplete((ok, error) -> finish(d, n, ch, error));
  }

  private void finish(Outbox.Delivery d, Notification n, Channels.Resolved ch, @Nullable Throwable error) {
    try {
      if (error == null) {
        outbox.delivered(d);
        counters.delivered.incrementAndGet();
        log.debug("Notification delivered (project={}, channel={}, event={}, key={}, attempt={})", d.project(),
            d.destination(), n.event(), d.key(), d.attempts());
      } else if (Failures.retryable(error) && d.attempts() < retry.maxAttempts()) {
        Duration delay = backoff(d.attempts(), Failures.retryAfter(error));
        String reason = failures.describe(error);
        if (outbox.retry(d, delay, reason)) {
          log.debug("Notification retry scheduled (project={}, channel={}, event={}, key={}, attempt={}, delay={},"
              + " reason={})", d.project(), d.destination(), n.event(), d.key(), d.attempts() + 1, delay, reason);
        }
      } else {
        giveUp(d, n, ch.spec().name(), ch.spec().type(), failures.describe(error));
      }
    } catch (RuntimeException e) {
      // The store is unreachable: the claim's lease runs out and the delivery is tried again.
      log.warn("Notification outcome not recorded; it will be tried again after its lease (key={}, error={})",
          d.key(), failures.scrub(e.toString()));
    } finally {
      inFlight.remove(d.key());
      change.getAndSet(new CompletableFuture<>()).complete(null);
    }
  }

  private void giveUp(Outbox.Delivery d, @Nullable Notification n, String channel, String type, String reason) {
    if (!outbox.failed(d, reason)) {
      return; // another process holds it now
    }
    counters.failed.incrementAndGet();
    if (n != null) {
      failures.report(channel, type, n, d.attempts(), reason);
    } else {
      log.warn("Notification not delivered (project={}, channel={}, key={}, attempts={}, reason={})", d.project(),
          channel, d.key(), d.attempts(), reason);
    }
  }

  /** The wait before attempt {@code attempts + 1}. */
  Duration backoff(int attempts, @Nullable Duration retryAfter) {
    Duration d = retry.initialDelay();
    for (int i = 1; i < attempts && d.compareTo(retry.maxDelay()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    long jitter = (long) (d.toNanos() * 0.2 * ThreadLocalRandom.current().nextDouble());
    d = d.plusNanos(jitter);
    if (retryAfter != null && retryAfter.compareTo(d) > 0) {
      d = retryAfter;
    }
    return d.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : d;
  }

  /** How many sends are under way. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Completes when a send under way now completes (at once when none is). */
  public CompletableFuture<Void> nextCompletion() {
    CompletableFuture<Void> f = change.get();
    return inFlight.isEmpty() ? CompletableFuture.completedFuture(null) : f;
  }

  /** Gives back the claims whose send has not completed, for another process to make (the process closes). */
  public int releaseInFlight() {
    int n = 0;
    for (Outbox.Delivery d : List.copyOf(inFlight.values())) {
      try {
        if (outbox.release(d)) {
          n++;
        }
      } catch (RuntimeException e) {
        log.warn("Notification claim not given back; it returns after its lease (key={}, error={})", d.key(),
            failures.scrub(e.toString()));
      }
    }
    return n;
  }
}
