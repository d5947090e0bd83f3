package dev.orchestrator.dashboard.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.core.EventFeed;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.spi.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the store's event stream to the browsers' event streams.
 *
 * <p>The hub follows the store-wide stream ({@link Orchestrator#follow}) from the sequence the store had when the
 * dashboard started, so it sees the events of every process that shares the store, in their order. Each event goes
 * to the pages as one server-sent event whose {@code id} is its store sequence; a browser that reconnects sends the
 * last id it saw ({@code Last-Event-ID}) and is sent every event after it, from the {@link EventRing} while it still
 * holds them, else from the store. A stream on a project gets that project's events and those of no project
 * (providers); a stream on no project (a page before any project exists) gets the events of every project the
 * dashboard shows.
 *
 * <p>Besides events, it sends notices without an id: {@code Hello} when a stream opens (its {@code id} is where the
 * stream starts), {@code Reset} when a browser is too far behind to be caught up (the page re-reads everything), and
 * whatever the {@link StoreWatch} announces (budgets or pauses changed).
 *
 * <p>One sender thread writes to every stream, so no stream is ever written by two threads, and each browser has its
 * own position: a slow browser neither loses events nor holds the others back beyond the sender's turn.
 *
 * <p>Thread-safe.
 */
final class EventHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);
  /** How many recent events are kept for browsers that fall behind or reconnect. */
  static final int RING_CAPACITY = 4096;
  /** A browser further behind than this many events is told to re-read instead of being replayed to. */
  static final long MAX_REPLAY = 20_000;
  private static final int STORE_BATCH = 500;
  private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * One browser's event stream, as the hub writes to it (the server adapts Javalin's SSE client); called from the
   * sender thread only, except {@link #onClose}.
   */
  interface Stream {
    /** Whether the browser has gone. */
    boolean terminated();

    /** Sends one server-sent event of type {@code message}, with an {@code id} when one is given. */
    void send(String json, @Nullable Long id);

    /** Sends a comment, which keeps proxies from closing an idle stream. */
    void ping();

    /** Runs {@code action} when the browser goes. */
    void onClose(Runnable action);

    /** Ends the stream. */
    void close();
  }

  /** A browser's stream and its position in the store's stream; cursor is confined to the sender thread. */
  private static final class Client {
    final Stream sse;
    final String project;
    long cursor;
    final boolean reset;

    Client(Stream sse, String project, long cursor, boolean reset) {
      this.sse = sse;
      this.project = project;
      this.cursor = cursor;
      this.reset = reset;
    }
  }

  private final Orchestrator orchestrator;
  private final StoreView store;
  /** Whether the dashboard shows a project: a stream on no project gets only the events of those. */
  private final Predicate<String> shown;
  private final EventRing ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Guarded by lock: set when there is something to send. */
  private boolean dirty;
  /** Guarded by lock: streams opened since the sender's last turn. */
  private final List<Client> joining = new ArrayList<>();
  /** Guarded by lock: notices for every stream, since the sender's last turn. */
  private final List<String> notices = new ArrayList<>();
  /** Written by the sender thread only. */
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private volatile int clientCount;
  private final CompletableFuture<EventFeed> feedStarted = new CompletableFuture<>();
  private volatile @Nullable EventFeed feed;
  private final Thread sender;
  private volatile boolean closed;

  /**
   * @throws OrchestratorException when the store keeps no event stream
   */
  EventHub(Orchestrator orchestrator, Predicate<String> shown) {
    this(orchestrator, shown, RING_CAPACITY);
  }

  /**
   * @param ringCapacity how many recent events to keep for browsers that fall behind or reconnect
   * @throws OrchestratorException when the store keeps no event stream
   */
  EventHub(Orchestrator orchestrator, Predicate<String> shown, int ringCapacity) {
    this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
    this.shown = Objects.requireNonNull(shown, "shown");
    this.store = orchestrator.store();
    long start;
    try {
      start = store.lastEventSequence();
    } catch (UnsupportedOperationException e) {
      throw new OrchestratorException("the dashboard needs a store that keeps an event stream, and "
          + store.getClass().getName() + " keeps none: use InMemoryStore or JdbcStore", e);
    }
    this.ring = new EventRing(ringCapacity, start);
    this.sender = new Thread(this::sendLoop, "orchestrator-dashboard-events");
    this.sender.setDaemon(true);
  }

  void start() {
    sender.start();
    EventFeed f = orchestrator.follow(ring.latest(), this::onStored);
    feed = f;
    feedStarted.complete(f);
  }

  /** Where the hub is in the store's stream: the sequence of the newest event it has. */
  long position() {
    return ring.latest();
  }

  /**
   * Opens a browser's stream on {@code project} (blank for every project shown).
   *
   * @param after the last sequence the browser saw ({@code Last-Event-ID}), or null for a stream from now
   */
  void add(Stream sse, String project, @Nullable Long after) {
    long latest = ring.latest();
    boolean reset = after != null && (after > latest || latest - after > MAX_REPLAY);
    long cursor = after == null || reset ? latest : after;
    Client c = new Client(sse, project, cursor, reset);
    lock.lock();
    try {
      if (closed) {
        sse.close();
        return;
      }
      joining.add(c);
      wake();
    } finally {
      lock.unlock();
    }
  }

  /** Sends a notice without an id (a JSON object with a {@code type}) to every stream. */
  void notice(String json) {
    lock.lock();
    try {
      notices.add(json);
      wake();
    } finally {
      lock.unlock();
    }
  }

  int clientCount() {
    return clientCount;
  }

  /** On the feed's thread, in sequence order. */
  private void onStored(Event event) {
    EventFeed f = feedStarted.join(); // start() hands it over at once; the first read may come before that
    long sequence = f.position();
    ring.add(new EventRing.Message(sequence, event.project(), Json.event(event, sequence)));
    lock.lock();
    try {
      wake();
    } finally {
      lock.unlock();
    }
  }

  /** Guarded by lock. */
  private void wake() {
    dirty = true;
    changed.signalAll();
  }

  private void sendLoop() {
    long nextPing = System.nanoTime() + PING_NANOS;
    List<Client> newcomers = new ArrayList<>();
    List<String> broadcast = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (!dirty && !closed) {
          long wait = nextPing - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          changed.awaitNanos(wait);
        }
        if (closed) {
          return;
        }
        dirty = false;
        newcomers.addAll(joining);
        joining.clear();
        broadcast.addAll(notices);
        notices.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      for (Client c : newcomers) {
        greet(c);
      }
      newcomers.clear();
      for (Client c : clients) {
        catchUp(c);
      }
      for (String n : broadcast) {
        for (Client c : clients) {
          send(c, n, null);
        }
      }
      broadcast.clear();
      if (System.nanoTime() - nextPing >= 0) {
        nextPing = System.nanoTime() + PING_NANOS;
        for (Client c : clients) {
          try {
            c.sse.ping();
          } catch (RuntimeException e) {
            drop(c, e);
          }
        }
      }
      clientCount = clients.size();
    }
  }

  private void greet(Client c) {
    clients.add(c);
    c.sse.onClose(() -> {
      lock.lock();
      try {
        wake(); // the sender notices the closed stream on its next turn
      } finally {
        lock.unlock();
      }
    });
    String type = c.reset ? "Reset" : "Hello";
    send(c, "{\"type\":\"" + type + "\",\"project\":" + Json.write(c.project) + ",\"sequence\":" + c.cursor + "}",
        c.cursor);
  }

  /** Sends the client every event after its cursor: from the ring, or from the store when the ring has dropped them. */
  private void catchUp(Client c) {
    while (clients.contains(c)) {
      if (c.sse.terminated()) {
        clients.remove(c);
        return;
      }
      long latest = ring.latest();
      if (c.cursor >= latest) {
        return;
      }
      List<EventRing.Message> batch = ring.after(c.cursor);
      boolean fromRing = batch != null;
      if (batch == null) {
        if (latest - c.cursor > MAX_REPLAY) {
          c.cursor = latest;
          send(c, "{\"type\":\"Reset\",\"project\":" + Json.write(c.project) + ",\"sequence\":" + latest + "}",
              latest);
          return;
        }
        batch = fromStore(c.cursor);
        if (batch == null) {
          return; // the store could not be read: try again on the next turn
        }
        if (batch.isEmpty()) {
          c.cursor = ring.floor(); // the store no longer has them either
          continue;
        }
      }
      for (EventRing.Message m : batch) {
        if (m.sequence() <= c.cursor) {
          continue;
        }
        if (m.project().isEmpty() || m.project().equals(c.project) || c.project.isEmpty() && shown.test(m.project())) {
          if (!send(c, m.json(), m.sequence())) {
            return;
          }
        }
        c.cursor = m.sequence();
      }
      if (fromRing) {
        c.cursor = Math.max(c.cursor, latest);
        return;
      }
    }
  }

  private @Nullable List<EventRing.Message> fromStore(long after) {
    try {
      List<EventRing.Message> out = new ArrayList<>();
      for (StoredEvent e : store.eventsAfter(after, STORE_BATCH)) {
        out.add(new EventRing.Message(e.sequence(), e.event().project(), Json.event(e.event(), e.sequence())));
      }
      return out;
    } catch (RuntimeException e) {
      log.warn("Could not read missed events from the store; retrying on the next turn (after={}, error={})", after,
          e.toString());
      return null;
    }
  }

  /** Sends one message; false (and the client dropped) when its stream is gone. */
  private boolean send(Client c, String json, @Nullable Long id) {
    try {
      if (c.sse.terminated()) {
        clients.remove(c);
        return false;
      }
      c.sse.send(json, id);
      return true;
    } catch (RuntimeException e) {
      drop(c, e);
      return false;
    }
  }

  private void drop(Client c, RuntimeException e) {
    log.debug("Event stream closed (project={})", c.project, e);
    clients.remove(c);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    EventFeed f = feed;
    if (f != null) {
      f.close();
    }
    try {
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Client> open = new ArrayList<>(clients);
    lock.lock();
    try {
      open.addAll(joining);
      joining.clear();
    } finally {
      lock.unlock();
    }
    clients.clear();
    clientCount = 0;
    for (Client c : open) {
      try {
        c.sse.close();
      } catch (RuntimeException e) {
        log.debug("Event stream did not close cleanly (project={})", c.project, e);
      }
    }
  }
}
