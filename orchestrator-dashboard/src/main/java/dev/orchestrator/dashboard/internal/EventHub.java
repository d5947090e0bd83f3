package dev.orchestrator.dashboard.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventListener;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes engine events to the browsers' event streams.
 *
 * <p>The hub subscribes to every event of the orchestrator (runs, tasks, providers, projects, budgets). Runs that
 * another process writes to a shared store send no events here, so a watcher thread looks for new runs every
 * {@value #WATCH_MILLIS} ms and pushes a {@code RunDiscovered} notice for each. Pages treat every message as
 * "something changed" and re-read what they show.
 *
 * <p>Listeners run on the engine's dispatch thread, so {@link #onEvent} only serialises and queues: one sender thread
 * writes to the streams. The queue is bounded; when browsers cannot keep up, the oldest messages are dropped
 * (the next message makes the pages re-read anyway).
 *
 * <p>Thread-safe.
 */
final class EventHub implements EventListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);
  static final long WATCH_MILLIS = 1000;
  private static final long PING_SECONDS = 10;
  private static final Message STOP = new Message("", "");

  private record Message(String project, String json) {}

  private record Client(SseClient sse, String project) {}

  private final Orchestrator orchestrator;
  private final Supplier<List<String>> projects;
  private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(10_000);
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  /** Run ids subscribed to, with their subscriptions; read and written by the watcher thread, closed by close(). */
  private final Map<String, Run.Subscription> watched = new ConcurrentHashMap<>();
  private volatile Run.@org.jspecify.annotations.Nullable Subscription subscription;
  private final ScheduledExecutorService watcher;
  private final Thread sender;
  private volatile boolean closed;

  EventHub(Orchestrator orchestrator, Supplier<List<String>> projects) {
    this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
    this.projects = projects;
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-dashboard-watcher");
      t.setDaemon(true);
      return t;
    });
    this.sender = new Thread(this::sendLoop, "orchestrator-dashboard-events");
    this.sender.setDaemon(true);
  }

  void start() {
    sender.start();
    subscription = orchestrator.subscribe(this);
    watcher.scheduleWithFixedDelay(this::watch, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Adds a browser's stream; it receives the events of {@code project} and those of no project (providers). */
  void add(SseClient sse, String project) {
    Client c = new Client(sse, project);
    sse.onClose(() -> clients.remove(c));
    // Sent before the sender thread can see the client, so no two threads ever write to one stream.
    sse.sendEvent("message", "{\"type\":\"Hello\",\"project\":" + Json.write(project) + "}");
    clients.add(c);
  }

  int clientCount() {
    return clients.size();
  }

  @Override
  public void onEvent(Event event) {
    if (closed) {
      return;
    }
    offer(new Message(event.project(), Json.event(event)));
  }

  private void offer(Message m) {
    while (!queue.offer(m)) {
      queue.poll(); // Full: drop the oldest, the pages re-read on the next message anyway.
    }
  }

  private void sendLoop() {
    try {
      while (true) {
        Message m = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
        if (m == STOP) {
          return;
        }
        for (Client c : clients) {
          if (c.sse().terminated()) {
            clients.remove(c);
            continue;
          }
          try {
            if (m == null) {
              c.sse().sendComment("ping");
            } else if (m.project().isEmpty() || m.project().equals(c.project())) {
              c.sse().sendEvent("message", m.json());
            }
          } catch (RuntimeException e) {
            log.debug("Event stream closed (project={})", c.project(), e);
            clients.remove(c);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Notices runs that another process writes to a shared store: they send no events to this orchestrator. */
  private void watch() {
    if (closed) {
      return;
    }
    try {
      for (String p : projects.get()) {
        for (RunRecord r : orchestrator.runs(p)) {
          if (watched.containsKey(r.id())) {
            continue;
          }
          watched.put(r.id(), () -> { });
          if (orchestrator.run(p, r.id()).isEmpty()) {
            offer(new Message(p, "{\"type\":\"RunDiscovered\",\"project\":" + Json.write(p) + ",\"runId\":"
                + Json.write(r.id()) + "}"));
          }
        }
      }
    } catch (IllegalStateException e) {
      log.debug("Watcher stopped: the orchestrator is closed", e);
    } catch (RuntimeException e) {
      log.warn("Dashboard watcher failed; retrying on the next tick (error={})", e.toString(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Run.Subscription sub = subscription;
    if (sub != null) {
      sub.close();
    }
    watcher.shutdownNow();
    try {
      if (!watcher.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("Dashboard watcher did not stop within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Run.Subscription s : watched.values()) {
      s.close();
    }
    watched.clear();
    queue.clear();
    offer(STOP);
    List<Client> open = new ArrayList<>(clients);
    clients.clear();
    for (Client c : open) {
      try {
        c.sse().close();
      } catch (RuntimeException e) {
        log.debug("Event stream did not close cleanly (project={})", c.project(), e);
      }
    }
    try {
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: whether this run is watched. */
  boolean watches(String runId) {
    return watched.containsKey(runId);
  }

  Set<String> watchedRuns() {
    return Set.copyOf(watched.keySet());
  }
}
