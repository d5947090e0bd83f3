package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.Priority;
import dev.orchestrator.notifiers.NotifiedEvent;
import dev.orchestrator.spi.notifier.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Routing} remembers between events: open digest windows, each channel's rate-limit bucket and the
 * messages it held back. Plain data, written as JSON with sorted keys so that an unchanged state writes the same
 * text: the outbox relay keeps it with its cursor, so digests and rate limits survive the process. Not thread-safe.
 */
public final class RoutingState {
  private static final int VERSION = 1;

  /** Open windows, by project, channel and event. */
  final TreeMap<WindowKey, Window> windows = new TreeMap<>();
  /** Rate-limit buckets, by channel key ({@link #channelKey}). */
  final TreeMap<String, Bucket> buckets = new TreeMap<>();
  /** Messages held back by each channel's rate limit since its last message, by channel key. */
  final TreeMap<String, Integer> suppressed = new TreeMap<>();

  /** A state with nothing open. */
  public static RoutingState empty() {
    return new RoutingState();
  }

  /** Whether nothing is open, held back or metered. */
  public boolean isEmpty() {
    return windows.isEmpty() && buckets.isEmpty() && suppressed.isEmpty();
  }

  /**
   * The key of a channel's bucket and held-back count: its name and a digest of its configuration (secret values
   * left out), so two projects that share a channel configuration share its limit, as one notifier serves them.
   */
  public static String channelKey(ChannelSpec spec) {
    // Secret values stay out: the state is stored, and a digest of a secret is not for the store to keep.
    TreeMap<String, String> sorted = new TreeMap<>();
    spec.properties().forEach((k, v) -> sorted.put(k, dev.orchestrator.spi.PluginConfig.isSecret(k) ? "" : v));
    String canonical = spec.type() + '\u0000' + sorted + '\u0000' + spec.rateLimit();
    return spec.name() + "@" + Integer.toHexString(canonical.hashCode());
  }

  /** A window's identity. */
  record WindowKey(String project, String channel, NotifiedEvent event) implements Comparable<WindowKey> {
    private static final Comparator<WindowKey> ORDER = Comparator.comparing(WindowKey::project)
        .thenComparing(WindowKey::channel).thenComparing(WindowKey::event);

    @Override
    public int compareTo(WindowKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** An open digest window. */
  static final class Window {
    Instant closesAt;
    /** Occurrences in it, including the first when it was sent at once. */
    int count;
    /** Occurrences not sent yet: what its digest reports. */
    int unreported;
    Priority priority = Priority.LOW;
    final List<String> samples = new ArrayList<>();
    /** The last occurrence merged, rendered: sent alone when it is the window's only one. */
    @Nullable Notification last;
    /** The event sequence of the last occurrence merged. */
    long lastSequence;

    Window(Instant closesAt) {
      this.closesAt = closesAt;
    }
  }

  /** A token bucket: full at first, refilled at the channel's rate by the time passed between uses. */
  static final class Bucket {
    double tokens;
    Instant last;

    Bucket(double tokens, Instant last) {
      this.tokens = tokens;
      this.last = last;
    }

    boolean tryAcquire(RateLimit limit, Instant now) {
      double capacity = limit.messages();
      if (now.isAfter(last)) {
        double perNano = limit.messages() / (double) limit.per().toNanos();
        tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() * perNano);
        last = now;
      }
      tokens = Math.min(tokens, capacity);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ JSON

  /** The state as JSON text; the same state always writes the same text. */
  public String write() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("v", VERSION);
    ArrayNode ws = root.putArray("windows");
    windows.forEach((k, w) -> {
      ObjectNode o = ws.addObject();
      o.put("project", k.project());
      o.put("channel", k.channel());
      o.put("event", k.event().name());
      o.put("closesAt", w.closesAt.toString());
      o.put("count", w.count);
      o.put("unreported", w.unreported);
      o.put("priority", w.priority.name());
      ArrayNode samples = o.putArray("samples");
      w.samples.forEach(samples::add);
      o.put("lastSequence", w.lastSequence);
      if (w.last != null) {
        o.set("last", NotificationCodec.toJson(w.last));
      }
    });
    ObjectNode bs = root.putObject("buckets");
    buckets.forEach((k, b) -> bs.putObject(k).put("tokens", b.tokens).put("last", b.last.toString()));
    ObjectNode ss = root.putObject("suppressed");
    suppressed.forEach(ss::put);
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("routing state could not be written: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads what {@link #write} wrote; empty text is the empty state.
   *
   * @throws IllegalArgumentException when the text is not a routing state of a known version
   */
  public static RoutingState read(String json) {
    RoutingState s = new RoutingState();
    if (json.isBlank()) {
      return s;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root.path("v").asInt() != VERSION) {
        throw new IllegalArgumentException("routing state of version " + root.path("v") + ", expected " + VERSION);
      }
      for (JsonNode o : root.path("windows")) {
        Window w = new Window(Instant.parse(o.get("closesAt").asText()));
        w.count = o.get("count").asInt();
        w.unreported = o.get("unreported").asInt();
        w.priority = Priority.valueOf(o.get("priority").asText());
        o.path("samples").forEach(x -> w.samples.add(x.asText()));
        w.lastSequence = o.path("lastSequence").asLong();
        if (o.hasNonNull("last")) {
          w.last = NotificationCodec.fromJson(o.get("last"));
        }
        s.windows.put(new WindowKey(o.get("project").asText(), o.get("channel").asText(),
            NotifiedEvent.valueOf(o.get("event").asText())), w);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("buckets").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        s.buckets.put(e.getKey(), new Bucket(e.getValue().get("tokens").asDouble(),
            Instant.parse(e.getValue().get("last").asText())));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("suppressed").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        s.suppressed.put(e.getKey(), e.getValue().asInt());
      }
      return s;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable routing state: " + e.getMessage(), e);
    }
  }
}
