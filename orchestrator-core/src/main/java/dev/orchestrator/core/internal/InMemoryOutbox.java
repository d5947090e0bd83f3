package dev.orchestrator.core.internal;

import dev.orchestrator.spi.store.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store's {@link Outbox}: cursors and deliveries in maps, every call under one lock, times from the
 * store's clock. Lost with the process, like the rest of the in-memory store. Thread-safe.
 */
public final class InMemoryOutbox implements Outbox {
  private static final Comparator<Delivery> DUE_ORDER = Comparator.comparing(Delivery::dueAt)
      .thenComparingLong(Delivery::eventSequence).thenComparing(Delivery::key);
  private static final Comparator<Delivery> RECENT_FIRST = Comparator.comparing(Delivery::createdAt)
      .thenComparing(Delivery::key).reversed();

  private final Clock clock;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Map<String, Cursor> cursors = new HashMap<>();
  /** Relay to key to delivery, in insertion order. Guarded by {@link #lock}. */
  private final Map<String, LinkedHashMap<String, Delivery>> deliveries = new HashMap<>();

  public InMemoryOutbox(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Cursor cursor(String relay) {
    Outbox.checkName("relay", relay);
    synchronized (lock) {
      Cursor c = cursors.get(relay);
      return c != null ? c : Cursor.start(relay);
    }
  }

  @Override
  public boolean advance(Cursor from, long position, String state, List<Entry> entries) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(state, "state");
    from.checkAdvance(position, entries);
    synchronized (lock) {
      Cursor now = cursors.get(from.relay());
      long version = now == null ? 0 : now.version();
      if (version != from.version()) {
        return false;
      }
      LinkedHashMap<String, Delivery> rows = deliveries.computeIfAbsent(from.relay(), k -> new LinkedHashMap<>());
      for (Entry e : entries) {
        if (rows.containsKey(e.key())) {
          throw new IllegalStateException("relay " + from.relay() + " already has a delivery with key " + e.key()
              + ": keys must be unique per relay; nothing was written");
        }
      }
      Instant at = clock.instant();
      for (Entry e : entries) {
        rows.put(e.key(), Delivery.builder().relay(from.relay()).entry(e).status(Status.PENDING).dueAt(at)
            .createdAt(at).build());
      }
      cursors.put(from.relay(), from.toBuilder().position(position).version(version + 1).state(state).build());
      return true;
    }
  }

  @Override
  public List<Delivery> claim(String relay, String owner, int max, Duration lease) {
    Outbox.checkName("relay", relay);
    Outbox.checkName("owner", owner);
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    checkNotNegative("lease", lease);
    synchronized (lock) {
      Instant now = clock.instant();
      List<Delivery> due = new ArrayList<>();
      for (Delivery d : rows(relay).values()) {
        if (d.status() == Status.PENDING && !d.dueAt().isAfter(now)
            && (d.leaseUntil() == null || !d.leaseUntil().isAfter(now))) {
          due.add(d);
        }
      }
      due.sort(DUE_ORDER);
      List<Delivery> out = new ArrayList<>();
      for (Delivery d : due.subList(0, Math.min(max, due.size()))) {
        Delivery claimed = d.toBuilder().status(Status.PENDING).attempts(d.attempts() + 1)
            .claimToken(d.claimToken() + 1).owner(owner).leaseUntil(now.plus(lease)).finishedAt(null).build();
        rows(relay).put(d.key(), claimed);
        out.add(claimed);
      }
      return out;
    }
  }

  @Override
  public boolean delivered(Delivery claimed) {
    synchronized (lock) {
      Delivery d = current(claimed);
      if (d == null || d.status() != Status.PENDING) {
        return false;
      }
      store(d.toBuilder().status(Status.DELIVERED).leaseUntil(null).finishedAt(clock.instant()).build());
      return true;
    }
  }

  @Override
  public boolean retry(Delivery claimed, Duration delay, String reason) {
    checkNotNegative("delay", delay);
    Objects.requireNonNull(reason, "reason");
    synchronized (lock) {
      Delivery d = held(claimed);
      if (d == null) {
        return false;
      }
      store(d.toBuilder().status(Status.PENDING).dueAt(clock.instant().plus(delay)).lastError(reason)
          .leaseUntil(null).finishedAt(null).build());
      return true;
    }
  }

  @Override
  public boolean failed(Delivery claimed, String reason) {
    Objects.requireNonNull(reason, "reason");
    synchronized (lock) {
      Delivery d = held(claimed);
      if (d == null) {
        return false;
      }
      store(d.toBuilder().status(Status.FAILED).lastError(reason).leaseUntil(null).finishedAt(clock.instant())
          .build());
      return true;
    }
  }

  @Override
  public boolean release(Delivery claimed) {
    synchronized (lock) {
      Delivery d = held(claimed);
      if (d == null) {
        return false;
      }
      store(d.toBuilder().status(Status.PENDING).attempts(Math.max(0, d.attempts() - 1)).leaseUntil(null)
          .finishedAt(null).build());
      return true;
    }
  }

  @Override
  public List<Delivery> pending(String relay, Collection<Long> eventSequences) {
    Outbox.checkName("relay", relay);
    Set<Long> wanted = new HashSet<>(eventSequences);
    synchronized (lock) {
      List<Delivery> out = new ArrayList<>();
      for (Delivery d : rows(relay).values()) {
        if (d.status() == Status.PENDING && wanted.contains(d.eventSequence())) {
          out.add(d);
        }
      }
      out.sort(DUE_ORDER);
      return out;
    }
  }

  @Override
  public List<Delivery> list(String relay, Status status, int max) {
    Outbox.checkName("relay", relay);
    Objects.requireNonNull(status, "status");
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    synchronized (lock) {
      return rows(relay).values().stream().filter(d -> d.status() == status).sorted(RECENT_FIRST).limit(max)
          .toList();
    }
  }

  @Override
  public int prune(String relay, Duration age) {
    Outbox.checkName("relay", relay);
    checkNotNegative("age", age);
    synchronized (lock) {
      Instant before = clock.instant().minus(age);
      int n = 0;
      for (var it = rows(relay).values().iterator(); it.hasNext(); ) {
        Delivery d = it.next();
        if (d.status() != Status.PENDING && d.finishedAt() != null && !d.finishedAt().isAfter(before)) {
          it.remove();
          n++;
        }
      }
      return n;
    }
  }

  private Map<String, Delivery> rows(String relay) {
    Map<String, Delivery> m = deliveries.get(relay);
    return m != null ? m : Map.of();
  }

  private @Nullable Delivery current(Delivery claimed) {
    Objects.requireNonNull(claimed, "claimed");
    return rows(claimed.relay()).get(claimed.key());
  }

  /** The delivery if {@code claimed}'s claim still holds it: pending, same token, not taken by a later claim. */
  private @Nullable Delivery held(Delivery claimed) {
    Delivery d = current(claimed);
    if (d == null || d.status() != Status.PENDING || d.claimToken() != claimed.claimToken()
        || d.leaseUntil() == null) {
      return null;
    }
    return d;
  }

  private void store(Delivery d) {
    deliveries.get(d.relay()).put(d.key(), d);
  }

  private static void checkNotNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0 (was " + d + ")");
    }
  }
}
