package dev.orchestrator.testkit;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it receives, in order. Thread-safe. */
public final class RecordingListener implements EventSubscriber {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(Event event) {
    events.add(event);
  }

  /** Every event so far. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** Every event of one type so far. */
  public <T extends Event> List<T> events(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Event e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** The states a task entered, in order. */
  public List<TaskState> states(String taskId) {
    List<TaskState> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof TaskTransitionEvent t && t.taskId().equals(taskId)) {
        out.add(t.to());
      }
    }
    return out;
  }

  /** Forgets everything received so far. */
  public void clear() {
    events.clear();
  }
}
