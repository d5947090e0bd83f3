package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.run.TaskRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The writes an open transaction has accepted and not yet sent to the database: the newest record of each task it
 * updated under a lease it already holds, and the events it appended, in order. They are sent in batches just before
 * the commit, or before anything reads the tables they go to, so the transaction's own reads still see them; a task
 * updated several times in one transaction is written once.
 *
 * <p>A nested block that fails takes back what it added ({@link #mark}, {@link #undo}). Thread-confined, like the
 * transaction.
 */
public final class PendingWrites {
  /** Sends what is pending on the transaction's connection. */
  public interface Writer {
    void write(Connection c, Collection<TaskRecord> tasks, List<Event> events) throws SQLException;
  }

  private record Key(String project, String runId, String taskId) {}

  /** A task put: its key and the record it replaced (null if none), so a failed block can be taken back. */
  private record Put(Key key, @Nullable TaskRecord before) {}

  /** A point to take back to: how many task puts and events had been accepted, counted since the transaction began. */
  public record Mark(long tasks, long events) {}

  private final Map<Key, TaskRecord> tasks = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  /** Every task put, in order. */
  private final List<Put> replaced = new ArrayList<>();
  /** How many task puts and events were sent and dropped from the front of the lists above. */
  private long replacedBase;
  private long eventsBase;

  /** Accepts the newest record of a task. */
  public void task(TaskRecord record) {
    Key key = new Key(record.project(), record.runId(), record.taskId());
    replaced.add(new Put(key, tasks.put(key, record)));
  }

  /** Accepts an event, after those accepted before it. */
  public void event(Event event) {
    events.add(event);
  }

  public boolean isEmpty() {
    return tasks.isEmpty() && events.isEmpty();
  }

  /** A point to take back to. */
  public Mark mark() {
    return new Mark(replacedBase + replaced.size(), eventsBase + events.size());
  }

  /**
   * Takes back what was accepted since {@code mark}. What of it was sent meanwhile went to the database inside the
   * block being undone (a block sends what came before it before it takes its savepoint), and the database takes it
   * back with the block.
   */
  public void undo(Mark mark) {
    int taskMark = index(mark.tasks(), replacedBase, replaced.size());
    for (int i = replaced.size() - 1; i >= taskMark; i--) {
      Put put = replaced.remove(i);
      if (put.before() == null) {
        tasks.remove(put.key());
      } else {
        tasks.put(put.key(), put.before());
      }
    }
    events.subList(index(mark.events(), eventsBase, events.size()), events.size()).clear();
  }

  private static int index(long absolute, long base, int size) {
    return (int) Math.max(0, Math.min(absolute - base, size));
  }

  /**
   * Sends what was pending at {@code mark} (the state of each task then, the events before it) and keeps what came
   * after it pending, so that a block that began at {@code mark} can still take back its own.
   */
  public void flushBefore(Connection c, Mark mark, @Nullable Writer writer) throws SQLException {
    int taskMark = index(mark.tasks(), replacedBase, replaced.size());
    int eventMark = index(mark.events(), eventsBase, events.size());
    Map<Key, TaskRecord> then = new LinkedHashMap<>(tasks);
    Set<Key> changedSince = new HashSet<>();
    for (int i = replaced.size() - 1; i >= taskMark; i--) { // the earliest change after the mark wins
      Put put = replaced.get(i);
      changedSince.add(put.key());
      if (put.before() == null) {
        then.remove(put.key());
      } else {
        then.put(put.key(), put.before());
      }
    }
    List<Event> earlier = new ArrayList<>(events.subList(0, eventMark));
    if (then.isEmpty() && earlier.isEmpty()) {
      return;
    }
    tasks.keySet().retainAll(changedSince); // the others are sent now as they are
    replaced.subList(0, taskMark).clear();
    replacedBase += taskMark;
    events.subList(0, eventMark).clear();
    eventsBase += eventMark;
    send(c, writer, then.values(), earlier);
  }

  /** Sends everything pending with {@code writer} and forgets it. */
  public void flush(Connection c, @Nullable Writer writer) throws SQLException {
    if (isEmpty()) {
      return;
    }
    List<TaskRecord> t = new ArrayList<>(tasks.values());
    List<Event> e = new ArrayList<>(events);
    replacedBase += replaced.size();
    eventsBase += events.size();
    tasks.clear();
    events.clear();
    replaced.clear();
    send(c, writer, t, e);
  }

  private static void send(Connection c, @Nullable Writer writer, Collection<TaskRecord> t, List<Event> e)
      throws SQLException {
    if (writer == null) {
      throw new IllegalStateException("writes are pending but no writer was given: a bug in the store");
    }
    writer.write(c, t, e);
  }

  /** Forgets everything pending (the transaction ended). */
  public void clear() {
    tasks.clear();
    events.clear();
    replaced.clear();
    replacedBase = 0;
    eventsBase = 0;
  }
}
