package dev.orchestrator.core.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Scheduler;
import dev.orchestrator.core.EventFeed;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's events: each is appended to the store's stream, then delivered on the drain loop to the builder's
 * listeners, to later subscribers and to the run's own subscribers. A listener that throws is logged and skipped.
 *
 * <p>Events emitted inside {@link #atomically} are delivered only once its transaction has committed, so that a
 * listener told of a change finds the store already showing it (and is told nothing of a change rolled back).
 */
final class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);

  private final Store store;
  private final Scheduler scheduler;
  private final EngineContext.Loop loop;
  private final Runs runs;
  private final List<EventSubscriber> listeners;
  /** Listeners added after the engine was built; read in the drain loop, written by any thread. */
  private final List<EventSubscriber> subscribers = new CopyOnWriteArrayList<>();
  /**
   * What waits for the commit of the open {@link #atomically}: deliveries, completions, calls to start, each with what
   * to do instead if the writes are rolled back (or null); drain loop only.
   */
  private final List<Runnable> held = new ArrayList<>();
  private final List<@Nullable Runnable> instead = new ArrayList<>();
  private int depth;

  Events(Store store, Scheduler scheduler, EngineContext.Loop loop, Runs runs, List<EventSubscriber> listeners) {
    this.store = store;
    this.scheduler = scheduler;
    this.loop = loop;
    this.runs = runs;
    this.listeners = List.copyOf(listeners);
  }

  /** Appends {@code event} to the store and delivers it. In the drain loop. */
  void emit(@Nullable RunState run, Event event) {
    if (run != null && run.lost) {
      return; // the write it reports was refused: the run's new holder reports what really happens
    }
    try {
      store.append(event);
    } catch (RuntimeException e) {
      log.error("Event not stored (project={}, run={}, event={})", event.project(), event.runId(),
          event.getClass().getSimpleName(), e);
    }
    afterCommit(() -> deliver(run, event));
  }

  /** Runs {@code action} now, or once the open {@link #atomically} has committed (never, if it rolls back). */
  void afterCommit(Runnable action) {
    afterCommit(action, null);
  }

  /**
   * Runs {@code action} now, or once the open {@link #atomically} has committed; if the writes are rolled back, runs
   * {@code otherwise} instead (when not null).
   */
  void afterCommit(Runnable action, @Nullable Runnable otherwise) {
    if (depth > 0) {
      held.add(action);
      instead.add(otherwise);
    } else {
      action.run();
    }
  }

  /** What a caller waiting on a change hears when the transaction that wrote it was rolled back. */
  static OrchestratorException notSaved() {
    return new OrchestratorException("the store could not save the change (see the log); nothing of it was kept: try "
        + "again");
  }

  /** Whether a transaction is open: what the loop does now is saved, or not, when it ends. */
  boolean inTransaction() {
    return depth > 0;
  }

  /**
   * Runs {@code work} as one store transaction ({@link Store#atomically}), delivering the events it emitted (and
   * running what it left to {@link #afterCommit}) after the commit; if it fails they are dropped with the writes they
   * report. Inside another block it is a nested block: when it fails, only what it wrote and left for after the commit
   * is dropped, and the outer block goes on. In the drain loop.
   */
  <T> T atomically(Supplier<T> work) {
    int mark = held.size();
    depth++;
    boolean committed = false;
    try {
      T result = store.atomically(work);
      committed = true;
      return result;
    } finally {
      depth--;
      if (!committed) {
        drop(mark);
      } else if (depth == 0) {
        List<Runnable> ready = List.copyOf(held);
        held.clear();
        instead.clear();
        ready.forEach(Runnable::run);
      }
    }
  }

  /** Drops what was left for after the commit since {@code mark}: the writes it follows were rolled back. */
  private void drop(int mark) {
    int dropped = held.size() - mark;
    if (dropped == 0) {
      return;
    }
    List<@Nullable Runnable> otherwise = new ArrayList<>(instead.subList(mark, instead.size()));
    held.subList(mark, held.size()).clear();
    instead.subList(mark, instead.size()).clear();
    log.warn("{} event(s), completion(s) or call(s) dropped: the transaction that wrote them was rolled back",
        dropped);
    for (Runnable r : otherwise) {
      if (r != null) {
        r.run();
      }
    }
  }

  private void deliver(@Nullable RunState run, Event event) {
    for (EventSubscriber l : listeners) {
      deliver(l, event);
    }
    for (EventSubscriber l : subscribers) {
      deliver(l, event);
    }
    if (run != null) {
      for (EventSubscriber l : run.subscribers) {
        deliver(l, event);
      }
    }
  }

  static void deliver(EventSubscriber listener, Event event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("Listener failed and was skipped for this event (listener={}, event={})",
          listener.getClass().getName(), event.getClass().getSimpleName(), e);
    }
  }

  /** Emits an event from outside the engine, in the drain loop. */
  void publish(Event event) {
    Objects.requireNonNull(event, "event");
    loop.post(() -> emit(event.runId().isEmpty() ? null : runs.state(event.runId()), event));
  }

  /** Delivers every later event to {@code listener} until the subscription is closed. */
  Run.Subscription subscribe(EventSubscriber listener) {
    Objects.requireNonNull(listener, "listener");
    subscribers.add(listener);
    return () -> subscribers.remove(listener);
  }

  /**
   * Replays a run's events so far to {@code listener}, then delivers its later ones, in the drain loop so that no
   * event falls between the two.
   */
  Run.Subscription subscribe(RunHandle h, EventSubscriber listener) {
    RunState local = loop.call(() -> {
      RunState run = h.run();
      if (!run.executesHere() && run.record.status() == RunStatus.RUNNING) {
        return null;
      }
      for (Event e : store.events(run.project, run.id)) {
        deliver(listener, e);
      }
      run.subscribers.add(listener);
      return run;
    });
    if (local != null) {
      return () -> local.subscribers.remove(listener);
    }
    // Another engine executes the run: its events so far, then those it appends, from the store's stream. An event
    // appended between the two reads comes in both: the stream skips what the replay delivered.
    RunState run = h.run();
    long from = store.lastEventSequence();
    List<Event> replay = store.events(run.project, run.id);
    for (Event e : replay) {
      deliver(listener, e);
    }
    Set<Event> delivered = new HashSet<>(replay);
    EventFeed feed = EventFeed.builder(store).from(from).scheduler(scheduler).start(e -> {
      if (e.runId().equals(run.id) && e.project().equals(run.project) && !delivered.remove(e)) {
        deliver(listener, e);
      }
    });
    return feed::close;
  }
}
