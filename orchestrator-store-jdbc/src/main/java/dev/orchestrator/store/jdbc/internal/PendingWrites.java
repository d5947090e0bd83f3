package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.run.TaskRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final Map<Key, TaskRecord> tasks = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  /** For each task put, its key and the record it replaced (null if none), so a failed block can be taken back. */
  private final List<Object[]> replaced = new ArrayList<>();

  /** Accepts the newest record of a task. */
  public void task(TaskRecord record) {
    Key key = new Key(record.project(), record.runId(), record.taskId());
    replaced.add(new Object[] {key, tasks.put(key, record)});
  }

  /** Accepts an event, after those accepted before it. */
  public void event(Event event) {
    events.add(event);
  }

  public boolean isEmpty() {
    return tasks.isEmpty() && events.isEmpty();
  }

  /** A point to take back to. */
  public long mark() {
    return ((long) replaced.size() << 32) | events.size();
  }

  /**
   * Takes back what was accepted since {@code mark}. What was sent meanwhile went to the database inside the block
   * being undone (a nested block sends the outer block's pending writes before it starts), and the database takes it
   * back with the block.
   */
  public void undo(long mark) {
    int taskMark = Math.min((int) (mark >>> 32), replaced.size());
    int eventMark = Math.min((int) mark, events.size());
    for (int i = replaced.size() - 1; i >= taskMark; i--) {
      Object[] r = replaced.remove(i);
      Key key = (Key) r[0];
      TaskRecord before = (TaskRecord) r[1];
      if (before == null) {
        tasks.remove(key);
      } else {
        tasks.put(key, before);
      }
    }
    events.subList(eventMark, events.size()).clear();
  }

  /** Sends everything pending with {@code writer} and forgets it. */
  public void flush(Connection c, @Nullable Writer writer) throws SQLException {
    if (isEmpty()) {
      return;
    }
    if (writer == null) {
      throw new IllegalStateException("writes are pending but no writer was given: a bug in the store");
    }
    List<TaskRecord> t = new ArrayList<>(tasks.values());
    List<Event> e = new ArrayList<>(events);
    clear();
    writer.write(c, t, e);
  }

  /** Forgets everything pending (the transaction ended). */
  public void clear() {
    tasks.clear();
    events.clear();
    replaced.clear();
  }
}
