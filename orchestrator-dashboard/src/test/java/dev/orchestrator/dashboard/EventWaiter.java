package dev.orchestrator.dashboard;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records events and hands out futures for the first matching one, past or future: tests wait with a bound. */
final class EventWaiter implements EventSubscriber {
  private record Waiter(Predicate<Event> match, CompletableFuture<Event> future) {}

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final List<Event> events = new ArrayList<>();
  /** Guarded by {@link #lock}. */
  private final List<Waiter> waiters = new ArrayList<>();

  @Override
  public void onEvent(Event event) {
    List<Waiter> done = new ArrayList<>();
    synchronized (lock) {
      events.add(event);
      waiters.removeIf(w -> {
        if (w.match().test(event)) {
          done.add(w);
          return true;
        }
        return false;
      });
    }
    done.forEach(w -> w.future().complete(event));
  }

  /** The first event matching, waiting at most 10 seconds. */
  Event await(Predicate<Event> match) {
    CompletableFuture<Event> f = new CompletableFuture<>();
    synchronized (lock) {
      for (Event e : events) {
        if (match.test(e)) {
          return e;
        }
      }
      waiters.add(new Waiter(match, f));
    }
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no matching event within 10 s; events so far: " + snapshot(), e);
    }
  }

  /** Waits until a task entered a state (the latest such transition counts, any earlier one too). */
  Event awaitState(String taskId, TaskState state) {
    return await(e -> e instanceof TaskTransitionEvent t && t.taskId().equals(taskId) && t.to() == state);
  }

  /** How many events matched so far. */
  long count(Predicate<Event> match) {
    synchronized (lock) {
      return events.stream().filter(match).count();
    }
  }

  private List<Event> snapshot() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }
}
