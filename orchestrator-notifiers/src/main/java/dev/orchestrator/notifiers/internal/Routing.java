package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.notifier.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns occurrences into notifications to send: the project's rules pick the channels, digests merge storms, each
 * channel's rate limit holds messages back. Works on a {@link RoutingState} and the times it is given, so the same
 * code serves the in-process dispatcher (the clock's time, timers for windows) and the outbox relay (each event's
 * time, the state kept with the relay's cursor).
 *
 * <p>Digest: the first occurrence of a (project, channel, event) is sent at once and opens a window; later ones
 * within the window are only counted; when the window closes, one digest reports how many happened in it and a new
 * window opens, so a storm yields at most one message per channel per window.
 *
 * <p>Each notification carries an idempotency key: {@code <prefix><sequence>-<event>-<channel>} for one occurrence
 * (the sequence of its event), with {@code -digest} added for a digest (the sequence of its last occurrence).
 *
 * <p>Not thread-safe: one routing per state, used by one thread at a time.
 */
public final class Routing {
  private static final int MAX_SAMPLES = 5;
  private static final int MAX_KEY = 200;

  /**
   * A notification to send.
   *
   * @param project the project it is about
   * @param channel the channel's name in the project's settings
   * @param spec the channel's configuration
   * @param sequence the event it was made for (a digest: its last occurrence's)
   * @param notification what to send, with its idempotency key
   */
  public record Outgoing(String project, String channel, ChannelSpec spec, long sequence, Notification notification) {}

  private final Function<String, Optional<ProjectSettings>> settings;
  private final RoutingState state;
  private final Counters counters;
  private final String keyPrefix;

  /**
   * @param counters where matched, merged and held-back occurrences are counted
   * @param keyPrefix put before every idempotency key: empty for store sequences, which are unique already
   */
  public Routing(Function<String, Optional<ProjectSettings>> settings, RoutingState state, Counters counters,
      String keyPrefix) {
    this.settings = settings;
    this.state = state;
    this.counters = counters;
    this.keyPrefix = keyPrefix;
  }

  /**
   * Routes one occurrence at {@code now}; windows that closed by then are flushed first, so a late event never
   * lands in a window that is over.
   */
  public List<Outgoing> accept(Occurrence o, long sequence, Instant now) {
    List<Outgoing> out = flushDue(now);
    Optional<ProjectSettings> found = settings.apply(o.project());
    if (found.isEmpty()) {
      return out;
    }
    ProjectSettings s = found.get();
    for (String name : new LinkedHashSet<>(s.route(o.event().ruleName(), o.priority()))) {
      ChannelSpec spec = s.channels().get(name);
      if (spec == null) {
        continue;
      }
      counters.matched.incrementAndGet();
      offer(o, sequence, s, name, spec, now, out);
    }
    return out;
  }

  private void offer(Occurrence o, long sequence, ProjectSettings s, String channel, ChannelSpec spec, Instant now,
      List<Outgoing> out) {
    Duration w = s.digestWindow();
    if (w.isZero()) {
      send(o.project(), channel, spec, sequence, single(o, s, sequence, channel), now, out);
      return;
    }
    RoutingState.WindowKey key = new RoutingState.WindowKey(o.project(), channel, o.event());
    RoutingState.Window window = state.windows.get(key);
    if (window == null) {
      window = new RoutingState.Window(now.plus(w));
      state.windows.put(key, window);
      window.count = 1;
      sample(window, o);
      send(o.project(), channel, spec, sequence, single(o, s, sequence, channel), now, out);
    } else {
      window.count++;
      window.unreported++;
      sample(window, o);
      window.last = Renderer.single(o, s);
      window.lastSequence = sequence;
      counters.merged.incrementAndGet();
    }
  }

  private static void sample(RoutingState.Window w, Occurrence o) {
    if (o.priority().ordinal() < w.priority.ordinal()) {
      w.priority = o.priority();
    }
    String id = o.taskId() != null ? o.taskId() : o.runId();
    if (w.samples.size() < MAX_SAMPLES && !w.samples.contains(id)) {
      w.samples.add(id);
    }
  }

  /** Closes every window whose time is over by {@code now}, oldest first, and returns what they send. */
  public List<Outgoing> flushDue(Instant now) {
    List<Outgoing> out = new ArrayList<>();
    while (true) {
      Map.Entry<RoutingState.WindowKey, RoutingState.Window> due = null;
      for (Map.Entry<RoutingState.WindowKey, RoutingState.Window> e : state.windows.entrySet()) {
        if (!e.getValue().closesAt.isAfter(now) && (due == null
            || e.getValue().closesAt.isBefore(due.getValue().closesAt))) {
          due = e;
        }
      }
      if (due == null) {
        return out;
      }
      flush(due.getKey(), due.getValue(), out);
    }
  }

  /** When the next window closes, if one is open. */
  public Optional<Instant> nextClose() {
    return state.windows.values().stream().map(w -> w.closesAt).min(Instant::compareTo);
  }

  private void flush(RoutingState.WindowKey key, RoutingState.Window window, List<Outgoing> out) {
    state.windows.remove(key);
    if (window.unreported == 0) {
      return;
    }
    Optional<ProjectSettings> found = settings.apply(key.project());
    ChannelSpec spec = found.map(s -> s.channels().get(key.channel())).orElse(null);
    if (found.isEmpty() || spec == null || found.get().digestWindow().isZero()) {
      return; // the project or channel is no longer configured for digests: nothing to report to
    }
    ProjectSettings s = found.get();
    Notification n;
    if (window.count == 1 && window.last != null) {
      n = window.last.toBuilder().idempotencyKey(key(window.lastSequence, key.event().ruleName(), key.channel(),
          false)).build();
    } else {
      n = Renderer.digest(key.project(), key.event(), s, window.count, window.priority, window.samples,
          window.closesAt).toBuilder()
          .idempotencyKey(key(window.lastSequence, key.event().ruleName(), key.channel(), true)).build();
    }
    send(key.project(), key.channel(), spec, window.lastSequence, n, window.closesAt, out);
    state.windows.put(key, new RoutingState.Window(window.closesAt.plus(s.digestWindow())));
  }

  private Notification single(Occurrence o, ProjectSettings s, long sequence, String channel) {
    return Renderer.single(o, s).toBuilder().idempotencyKey(key(sequence, o.event().ruleName(), channel, false))
        .build();
  }

  private void send(String project, String channel, ChannelSpec spec, long sequence, Notification n, Instant now,
      List<Outgoing> out) {
    String ck = RoutingState.channelKey(spec);
    RoutingState.Bucket bucket = state.buckets.computeIfAbsent(ck,
        k -> new RoutingState.Bucket(spec.rateLimit().messages(), now));
    if (!bucket.tryAcquire(spec.rateLimit(), now)) {
      state.suppressed.merge(ck, 1, Integer::sum);
      counters.suppressed.incrementAndGet();
      return;
    }
    Integer held = state.suppressed.remove(ck);
    out.add(new Outgoing(project, channel, spec, sequence, held == null ? n : Renderer.withHeldBack(n, held)));
  }

  private String key(long sequence, String event, String channel, boolean digest) {
    String k = keyPrefix + sequence + "-" + event + "-" + channel + (digest ? "-digest" : "");
    if (k.length() > MAX_KEY || !k.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // A channel name too long or not plain ASCII for a key: a digest of it keeps the key short and unique.
      k = keyPrefix + sequence + "-" + event + "-c" + Integer.toHexString(channel.hashCode())
          + (digest ? "-digest" : "");
    }
    return k;
  }
}
