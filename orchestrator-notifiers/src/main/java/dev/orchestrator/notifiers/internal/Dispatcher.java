package dev.orchestrator.notifiers.internal;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.orchestrator.Priority;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.notifiers.DeliveryFailedEvent;
import dev.orchestrator.notifiers.NotifiedEvent;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into deliveries: rules, rendering, digests, rate limits, retries, failure reports.
 *
 * <p>Threading: {@link #accept}, digest flushes and all the state below run on one {@link SerialExecutor}, so no
 * field needs a lock; completions of deliveries (on HTTP or mail threads) touch only atomics and the failure
 * callback.
 *
 * <p>Digest: the first occurrence of a (project, channel, event) is sent at once and opens a window; later ones
 * within the window are only counted; when the window closes, one digest reports how many happened in it and a new
 * window opens, so a storm yields at most one message per channel per window.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_SAMPLES = 5;
  private static final int MAX_IN_FLIGHT = 64;

  private final Function<String, Optional<ProjectSettings>> settings;
  private final Map<ChannelSpec, Channel> channels;
  private final Clock clock;
  private final Scheduler scheduler;
  private final SerialExecutor serial;
  private final RetrySettings retry;
  private final FailsafeScheduler failsafeScheduler;
  private final Redactor redactor;
  private final Consumer<DeliveryFailedEvent> onFailure;
  private final Counters counters;
  private final EventMapper mapper = new EventMapper();
  private final Map<WindowKey, Window> windows = new HashMap<>();
  private volatile boolean closed;

  /**
   * Creates a dispatcher.
   *
   * @param notifiers one notifier per distinct channel configuration
   */
  public Dispatcher(Function<String, Optional<ProjectSettings>> settings, Map<ChannelSpec, Notifier> notifiers,
      Clock clock, Scheduler scheduler, SerialExecutor serial, RetrySettings retry, Redactor redactor,
      Consumer<DeliveryFailedEvent> onFailure, Counters counters) {
    this.settings = settings;
    this.channels = new HashMap<>();
    notifiers.forEach((spec, n) -> channels.put(spec, new Channel(spec, n, new TokenBucket(spec.rateLimit(),
        clock.instant()))));
    this.clock = clock;
    this.scheduler = scheduler;
    this.serial = serial;
    this.retry = retry;
    this.failsafeScheduler = new FailsafeScheduler(scheduler, clock);
    this.redactor = redactor;
    this.onFailure = onFailure;
    this.counters = counters;
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
    Occurrence o = mapped.get();
    Optional<ProjectSettings> s = settings.apply(o.project());
    if (s.isEmpty()) {
      return;
    }
    for (String name : s.get().route(o.event().ruleName(), o.priority())) {
      ChannelSpec spec = s.get().channels().get(name);
      Channel ch = spec == null ? null : channels.get(spec);
      if (ch == null) {
        continue;
      }
      counters.matched.incrementAndGet();
      offer(o, s.get(), ch);
    }
  }

  private void offer(Occurrence o, ProjectSettings s, Channel ch) {
    Duration w = s.digestWindow();
    if (w.isZero()) {
      deliver(ch, render(o, s), o.project());
      return;
    }
    WindowKey key = new WindowKey(o.project(), ch.spec.name(), o.event());
    Window window = windows.get(key);
    if (window == null) {
      window = new Window(s, ch);
      windows.put(key, window);
      window.count = 1;
      window.sample(o);
      schedule(key, window, w);
      deliver(ch, render(o, s), o.project());
    } else {
      window.count++;
      window.unreported++;
      window.sample(o);
      counters.merged.incrementAndGet();
    }
  }

  private void schedule(WindowKey key, Window window, Duration w) {
    window.timer = scheduler.schedule(() -> {
      if (!serial.execute(() -> flush(key, window))) {
        counters.dropped.incrementAndGet();
        windows.remove(key, window);
        log.warn("Digest dropped: the notification queue is full (project={}, channel={}, event={}, count={})",
            key.project, key.channel, key.event.ruleName(), window.count);
      }
    }, w);
  }

  private void flush(WindowKey key, Window window) {
    if (closed || windows.get(key) != window) {
      return;
    }
    if (window.unreported == 0) {
      windows.remove(key);
      return;
    }
    Notification n;
    if (window.count == 1 && window.last != null) {
      n = render(window.last, window.settings);
    } else {
      n = renderDigest(key, window);
    }
    deliver(window.channel, n, key.project);
    Window next = new Window(window.settings, window.channel);
    windows.put(key, next);
    schedule(key, next, window.settings.digestWindow());
  }

  private Notification render(Occurrence o, ProjectSettings s) {
    Locale l = s.locale();
    String unknown = Messages.format(l, "unknown");
    Object[] args = {o.project(), o.runId(), o.taskId() == null ? "" : o.taskId(),
        o.provider() == null ? unknown : o.provider(), detail(l, o, 0), detail(l, o, 1)};
    String key = o.event().ruleName();
    Notification.Builder b = Notification.builder().project(o.project()).event(key).priority(o.priority())
        .severity(o.event().severity()).subject(Messages.format(l, key + ".subject", args))
        .body(Messages.format(l, key + ".body", args)).locale(l).at(o.at()).link(link(s, o.linkPath()));
    o.ids().forEach(b::id);
    return b.build();
  }

  private static Object detail(Locale l, Occurrence o, int i) {
    if (o.details().size() <= i) {
      return "";
    }
    Object d = o.details().get(i);
    if (d instanceof RunStatus st) {
      return Messages.format(l, "status." + st.name());
    }
    String text = String.valueOf(d);
    return text.isBlank() ? Messages.format(l, "unknown") : text;
  }

  private Notification renderDigest(WindowKey key, Window w) {
    ProjectSettings s = w.settings;
    Locale l = s.locale();
    String span = Messages.window(l, s.digestWindow());
    String event = key.event.ruleName();
    String subject = Messages.format(l, event + ".digest.subject", key.project, w.count, span);
    StringBuilder body = new StringBuilder(Messages.format(l, event + ".digest.body", key.project, w.count, span));
    if (!w.samples.isEmpty()) {
      String list = String.join(", ", w.samples);
      int more = w.count - w.samples.size();
      if (more > 0) {
        list = Messages.format(l, "digest.more", list, more);
      }
      body.append('\n').append(Messages.format(l, "digest.samples", list));
    }
    Notification.Builder b = Notification.builder().project(key.project).event(event).priority(w.priority)
        .severity(key.event.severity()).subject(subject).body(body.toString()).locale(l).at(clock.instant())
        .count(w.count).link(link(s, "/projects/" + key.project));
    if (!w.samples.isEmpty()) {
      b.id(key.event == NotifiedEvent.RUN_COMPLETED ? "runs" : "tasks", String.join(",", w.samples));
    }
    return b.build();
  }

  private static @Nullable URI link(ProjectSettings s, String path) {
    URI base = s.dashboardUrl();
    if (base == null) {
      return null;
    }
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
  }

  private void deliver(Channel ch, Notification original, String project) {
    Instant now = clock.instant();
    if (!ch.bucket.tryAcquire(now)) {
      ch.suppressed++;
      counters.suppressed.incrementAndGet();
      log.debug("Notification held back by the rate limit (project={}, channel={}, event={}, limit={}/{})", project,
          ch.spec.name(), original.event(), ch.spec.rateLimit().messages(), ch.spec.rateLimit().per());
      return;
    }
    Notification n = original;
    if (ch.suppressed > 0) {
      n = original.toBuilder().body(original.body() + "\n\n"
          + Messages.format(original.locale(), "suppressed", ch.suppressed)).build();
      ch.suppressed = 0;
    }
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
        .handleIf((r, e) -> e != null && retryable(e))
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
        report(ch, toSend, attempts.get(), describe(unwrap(error)));
      }
    });
  }

  private Duration retryAfter(@Nullable Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof NotifierException ne && ne.retryAfter() != null) {
      Duration d = ne.retryAfter();
      return d.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : d;
    }
    return Duration.ofNanos(-1);
  }

  private static boolean retryable(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof NotifierException ne && ne.retryable();
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private String describe(@Nullable Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    if (e instanceof NotifierException) {
      return redactor.scrub(e.getMessage());
    }
    return e.getClass().getSimpleName() + ": " + redactor.scrub(e.getMessage());
  }

  private void report(Channel ch, Notification n, int attempts, String reason) {
    log.warn("Notification not delivered (project={}, channel={}, type={}, event={}, count={}, attempts={},"
        + " reason={})", n.project(), ch.spec.name(), ch.spec.type(), n.event(), n.count(), attempts, reason);
    try {
      onFailure.accept(new DeliveryFailedEvent(n.project(), ch.spec.name(), n.event(), n.count(), attempts, reason,
          clock.instant()));
    } catch (RuntimeException e) {
      log.warn("Delivery failure callback threw (error={})", redactor.scrub(e.toString()));
    }
  }

  /** Stops: cancels open digest windows and closes every notifier. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Window w : new ArrayList<>(windows.values())) {
      w.timer.cancel();
    }
    for (Channel ch : channels.values()) {
      try {
        ch.notifier.close();
      } catch (Exception e) {
        log.warn("Notifier did not close cleanly (channel={}, type={}, error={})", ch.spec.name(), ch.spec.type(),
            redactor.scrub(e.toString()));
      }
    }
  }

  private record WindowKey(String project, String channel, NotifiedEvent event) {}

  private static final class Window {
    final ProjectSettings settings;
    final Channel channel;
    int count;
    int unreported;
    Priority priority = Priority.LOW;
    final List<String> samples = new ArrayList<>();
    @Nullable Occurrence last;
    Scheduler.Cancellable timer = () -> {};

    Window(ProjectSettings settings, Channel channel) {
      this.settings = settings;
      this.channel = channel;
    }

    void sample(Occurrence o) {
      last = o;
      if (o.priority().ordinal() < priority.ordinal()) {
        priority = o.priority();
      }
      String id = o.taskId() != null ? o.taskId() : o.runId();
      if (samples.size() < MAX_SAMPLES && !samples.contains(id)) {
        samples.add(id);
      }
    }
  }

  private static final class Channel {
    final ChannelSpec spec;
    final Notifier notifier;
    final TokenBucket bucket;
    final AtomicInteger inFlight = new AtomicInteger();
    int suppressed;

    Channel(ChannelSpec spec, Notifier notifier, TokenBucket bucket) {
      this.spec = spec;
      this.notifier = notifier;
      this.bucket = bucket;
    }
  }

  /** A token bucket on the injected clock. Confined to the serial executor. */
  static final class TokenBucket {
    private final int capacity;
    private final double perNano;
    private double tokens;
    private Instant last;

    TokenBucket(RateLimit limit, Instant now) {
      this.capacity = limit.messages();
      this.perNano = limit.messages() / (double) limit.per().toNanos();
      this.tokens = capacity;
      this.last = now;
    }

    boolean tryAcquire(Instant now) {
      if (now.isAfter(last)) {
        tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() * perNano);
        last = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
