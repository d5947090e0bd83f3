package dev.orchestrator.notifiers.internal;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.notifiers.DeliveryFailedEvent;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications within this process, without a store: {@link Routing} decides what to send (rules,
 * digests, rate limits) on the clock's time, a timer closes digest windows, and sends are retried with back-off
 * through Failsafe on the injected scheduler. What is not sent when the process ends is lost: the outbox
 * ({@link OutboxLoop}) is the durable way.
 *
 * <p>Threading: {@link #accept}, digest flushes and the routing state run on one {@link SerialExecutor}, so no
 * field needs a lock; completions of deliveries (on HTTP or mail threads) touch only atomics and the failure
 * callback.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_IN_FLIGHT = 64;

  private final Map<ChannelSpec, Channel> channels;
  private final Clock clock;
  private final Scheduler scheduler;
  private final SerialExecutor serial;
  private final RetrySettings retry;
  private final FailsafeScheduler failsafeScheduler;
  private final Failures failures;
  private final Counters counters;
  private final EventMapper mapper = new EventMapper();
  private final Routing routing;
  /** Numbers this listener's events, for idempotency keys (with a prefix of this listener's own). */
  private long sequence;
  private Scheduler.Cancellable timer = () -> {};
  private @Nullable Instant timerAt;
  private volatile boolean closed;

  /**
   * Creates a dispatcher.
   *
   * @param notifiers one notifier per distinct channel configuration
   */
  public Dispatcher(Function<String, Optional<ProjectSettings>> settings, Map<ChannelSpec, Notifier> notifiers,
      Clock clock, Scheduler scheduler, SerialExecutor serial, RetrySettings retry, Redactor redactor,
      Consumer<DeliveryFailedEvent> onFailure, Counters counters) {
    this.channels = new HashMap<>();
    notifiers.forEach((spec, n) -> channels.put(spec, new Channel(spec, n)));
    this.clock = clock;
    this.scheduler = scheduler;
    this.serial = serial;
    this.retry = retry;
    this.failsafeScheduler = new FailsafeScheduler(scheduler, clock);
    this.failures = new Failures(redactor, onFailure, clock);
    this.counters = counters;
    this.routing = new Routing(settings, RoutingState.empty(), counters,
        "m" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16) + ".");
  }

  /** Handles one engine event. Runs on the serial executor. */
  public void accept(Event event) {
    if (closed) {
      return;
    }
    Optional<Occurrence> mapped = mapper.map(event);
    if (mapped.isEmpty()) {
      return;
    }
    for (Routing.Outgoing out : routing.accept(mapped.get(), ++sequence, clock.instant())) {
      deliver(out);
    }
    armTimer();
  }

  /** Keeps one timer, set for the next window to close. Runs on the serial executor. */
  private void armTimer() {
    Optional<Instant> next = routing.nextClose();
    if (next.isEmpty() || (timerAt != null && !timerAt.isAfter(next.get()))) {
      return;
    }
    timer.cancel();
    Instant at = next.get();
    timerAt = at;
    timer = scheduler.schedule(() -> {
      if (!serial.execute(this::flushDue)) {
        // The window stays open: the next event flushes it (accept closes due windows first).
        timerAt = null;
        log.warn("Digest delayed: the notification queue is full (window closed at {})", at);
      }
    }, Duration.between(clock.instant(), at));
  }

  private void flushDue() {
    timerAt = null;
    if (closed) {
      return;
    }
    for (Routing.Outgoing out : routing.flushDue(clock.instant())) {
      deliver(out);
    }
    armTimer();
  }

  private void deliver(Routing.Outgoing out) {
    Channel ch = channels.get(out.spec());
    if (ch == null) {
      return;
    }
    Notification n = out.notification();
    String project = out.project();
    if (ch.inFlight.get() >= MAX_IN_FLIGHT) {
      counters.dropped.incrementAndGet();
      report(ch, n, 0, "too many deliveries in flight on this channel (" + MAX_IN_FLIGHT + "): it is too slow");
      return;
    }
    ch.inFlight.incrementAndGet();
    counters.sent.incrementAndGet();
    AtomicInteger attempts = new AtomicInteger();
    Notification toSend = n;
    RetryPolicy<Void> policy = RetryPolicy.<Void>builder()
        .handleIf((r, e) -> e != null && Failures.retryable(e))
        .withMaxAttempts(retry.maxAttempts())
        .withBackoff(retry.initialDelay(), retry.maxDelay())
        .withDelayFnOn(ctx -> retryAfter(ctx.getLastException()), Throwable.class)
        .onRetryScheduled(e -> log.debug("Notification retry scheduled (project={}, channel={}, event={}, attempt={},"
            + " delay={})", project, ch.spec.name(), toSend.event(), e.getAttemptCount() + 1, e.getDelay()))
        .build();
    Failsafe.with(policy).with(failsafeScheduler).getStageAsync(() -> {
      attempts.incrementAndGet();
      return ch.notifier.send(toSend);
    }).whenComplete((ok, error) -> {
      ch.inFlight.decrementAndGet();
      if (error == null) {
        counters.delivered.incrementAndGet();
        log.debug("Notification delivered (project={}, channel={}, event={}, count={}, attempts={})", project,
            ch.spec.name(), toSend.event(), toSend.count(), attempts.get());
      } else {
        counters.failed.incrementAndGet();
        report(ch, toSend, attempts.get(), failures.describe(error));
      }
    });
  }

  private Duration retryAfter(@Nullable Throwable error) {
    Duration d = Failures.retryAfter(error);
    if (d == null) {
      return Duration.ofNanos(-1);
    }
    return d.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : d;
  }

  private void report(Channel ch, Notification n, int attempts, String reason) {
    failures.report(ch.spec.name(), ch.spec.type(), n, attempts, reason);
  }

  /** Stops: cancels open digest windows and closes every notifier. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.cancel();
    for (Channel ch : channels.values()) {
      try {
        ch.notifier.close();
      } catch (Exception e) {
        log.warn("Notifier did not close cleanly (channel={}, type={}, error={})", ch.spec.name(), ch.spec.type(),
            failures.scrub(e.toString()));
      }
    }
  }

  private static final class Channel {
    final ChannelSpec spec;
    final Notifier notifier;
    final AtomicInteger inFlight = new AtomicInteger();

    Channel(ChannelSpec spec, Notifier notifier) {
      this.spec = spec;
      this.notifier = notifier;
    }
  }

}
