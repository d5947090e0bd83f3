package dev.orchestrator.store.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The transaction a thread opened with {@code Store.atomically}, which the store's writes on that thread join
 * instead of opening their own: they commit with it or not at all.
 *
 * <p>A joined write gets a view of the shared connection on which {@code commit}, {@code close} and
 * {@code setAutoCommit} do nothing (the outer transaction decides), and {@code rollback} undoes only that write, back
 * to a savepoint taken when it began: work that decides to change nothing must not undo the writes before it.
 *
 * <p>The transaction also remembers what its writes have already established and that holds until it ends (a run's
 * lease checked with its row locked): later writes in it skip the check. A nested block that is undone forgets what
 * it learned ({@link #mark}, {@link #undo}).
 *
 * <p>Thread-confined: each thread has its own, or none.
 */
public final class JoinedTransaction {
  private final ThreadLocal<Connection> open = new ThreadLocal<>();
  private final ThreadLocal<Facts> facts = ThreadLocal.withInitial(Facts::new);
  /** What the open transaction established and remembered, with what it has pending and its nested blocks. */
  private static final class Facts {
    /** Facts (mapped to TRUE) and remembered values, by key. */
    final Map<Object, Object> known = new HashMap<>();
    /** The keys put in {@link #known}, in order, so that a nested block that is undone takes back its own. */
    final List<Object> order = new ArrayList<>();
    final PendingWrites pending = new PendingWrites();
    final Deque<Level> levels = new ArrayDeque<>();
    boolean wrote;

    void reset() {
      known.clear();
      order.clear();
      pending.clear();
      levels.clear();
    }
  }

  /**
   * Whether a joined write's savepoint is released when the write ends well. Releasing costs a round trip to a
   * database server, and every savepoint ends with its transaction anyway (a nested block's release or rollback ends
   * the savepoints taken inside it too), so on PostgreSQL they are left to the commit.
   */
  private final boolean releaseSavepoints;

  /** @param releaseSavepoints whether each joined write releases its savepoint when it ends well */
  public JoinedTransaction(boolean releaseSavepoints) {
    this.releaseSavepoints = releaseSavepoints;
  }

  /** Sends the pending writes of a transaction; set by the store. */
  private volatile PendingWrites.@Nullable Writer writer;

  /** A point in the open transaction to take back to: what it knew and what it had pending then. */
  public record Mark(int facts, PendingWrites.Mark pending) {}

  /**
   * A nested block of the open transaction: where it began, and its savepoint, taken only when the block first writes
   * to the database itself (what it leaves pending is taken back without one).
   */
  private static final class Level {
    final Mark mark;
    @Nullable Savepoint savepoint;

    Level(Mark mark) {
      this.mark = mark;
    }
  }

  /** The connection of the transaction this thread has open, or null. */
  public @Nullable Connection current() {
    return open.get();
  }

  /** Makes {@code c} (in a transaction) the one this thread's writes join until {@link #end}. */
  public void begin(Connection c) {
    if (open.get() != null) {
      throw new IllegalStateException("Store.atomically was called inside Store.atomically: keep one block");
    }
    open.set(c);
    facts.get().reset();
    facts.get().wrote = false;
  }

  /** How the store sends pending writes ({@link #pending()}). */
  public void writer(PendingWrites.Writer writer) {
    this.writer = writer;
  }

  /** The writes the open transaction accepted and has not sent yet. Only while a transaction is open. */
  public PendingWrites pending() {
    if (open.get() == null) {
      throw new IllegalStateException("no transaction is open on this thread");
    }
    facts.get().wrote = true;
    return facts.get().pending;
  }

  /** Sends the open transaction's pending writes, if any (before its commit, or before a read of their tables). */
  public void flush() throws SQLException {
    Connection c = open.get();
    if (c != null) {
      savepoints();
      facts.get().pending.flush(c, writer);
    }
  }

  /** A nested block begins (without a savepoint until it writes to the database itself). */
  public void enter() {
    Facts f = facts.get();
    f.levels.push(new Level(mark()));
  }

  /** The innermost nested block ended well: its savepoint (if it took one) is released. */
  public void leave() throws SQLException {
    Level l = facts.get().levels.pop();
    Connection c = open.get();
    if (l.savepoint != null && c != null) {
      c.releaseSavepoint(l.savepoint);
    }
  }

  /** The innermost nested block failed: what it left pending, learned and wrote is taken back. */
  public void abandon() throws SQLException {
    Level l = facts.get().levels.pop();
    undo(l.mark);
    Connection c = open.get();
    if (l.savepoint != null && c != null) {
      c.rollback(l.savepoint);
    }
  }

  /**
   * Before a write to the database inside nested blocks: each block that has no savepoint yet sends what was
   * pending before it began, then takes one, outermost first, so that rolling it back undoes its own writes only.
   */
  public void savepoints() throws SQLException {
    Facts f = facts.get();
    Connection c = open.get();
    if (c == null || f.levels.isEmpty()) {
      return;
    }
    Iterator<Level> outermostFirst = f.levels.descendingIterator();
    while (outermostFirst.hasNext()) {
      Level l = outermostFirst.next();
      if (l.savepoint == null) {
        f.pending.flushBefore(c, l.mark.pending(), writer);
        l.savepoint = c.setSavepoint();
      }
    }
  }

  /** This thread's writes open their own transactions again. */
  public void end() {
    open.remove();
    facts.get().reset(); // whether it wrote is still asked after it ends
  }

  /** Whether the open transaction has established {@code fact}; false outside one. */
  public boolean knows(Object fact) {
    return recall(fact) != null;
  }

  /** Records that the open transaction established {@code fact} (it holds until the transaction ends). */
  public void learn(Object fact) {
    remember(fact, Boolean.TRUE);
  }

  /** What the open transaction remembered under {@code key} ({@link #remember}), or null; null outside one. */
  public @Nullable Object recall(Object key) {
    return open.get() == null ? null : facts.get().known.get(key);
  }

  /**
   * Remembers {@code value} under {@code key} until the transaction ends, or forgets it when {@code value} is null.
   * A nested block that is undone forgets what it remembered (it may have read its own undone writes).
   */
  public void remember(Object key, @Nullable Object value) {
    if (open.get() == null) {
      return;
    }
    Facts f = facts.get();
    if (value == null) {
      f.known.remove(key);
    } else if (!value.equals(f.known.put(key, value))) {
      f.order.add(key);
    }
  }

  /** Forgets every fact for which {@code matches} holds (the transaction itself changed what it stood on). */
  public void forget(Predicate<Object> matches) {
    Facts f = facts.get();
    f.order.removeIf(matches);
    f.known.keySet().removeIf(matches);
  }

  /** A point to {@link #undo} to: what is known and pending now. */
  public Mark mark() {
    Facts f = facts.get();
    return new Mark(f.order.size(), f.pending.mark());
  }

  /** Forgets what was learned and takes back what was accepted since {@code mark}: that block was rolled back. */
  public void undo(Mark mark) {
    Facts f = facts.get();
    while (f.order.size() > mark.facts()) {
      f.known.remove(f.order.remove(f.order.size() - 1));
    }
    f.pending.undo(mark.pending());
  }

  /** Notes that a write joined the open transaction. */
  void wrote() {
    facts.get().wrote = true;
  }

  /** Whether any write joined the transaction this thread had open last. */
  public boolean hasWritten() {
    return facts.get().wrote;
  }

  /** SQL work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * Runs one write in the open transaction: when it fails, what it did is undone back to its start (the
   * transaction stays usable, even on PostgreSQL) and the failure is thrown.
   */
  public <T> T apply(Connection shared, Work<T> work) throws SQLException {
    wrote();
    savepoints();
    Mark mark = mark();
    Savepoint start = shared.setSavepoint();
    try {
      T result = work.apply(forWrite(shared, start));
      if (releaseSavepoints) {
        shared.releaseSavepoint(start);
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      undo(mark);
      try {
        shared.rollback(start);
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  /** A view of the open transaction for one joined write, which rolls back no further than its own start. */
  private static Connection forWrite(Connection shared, Savepoint start) {
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
        case "commit", "close", "setAutoCommit" -> {
          return null;
        }
        case "rollback" -> {
          if (args == null || args.length == 0) {
            shared.rollback(start);
            return null;
          }
        }
        case "getAutoCommit" -> {
          return false;
        }
        default -> { }
      }
      try {
        return method.invoke(shared, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (Connection) Proxy.newProxyInstance(JoinedTransaction.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  /** A view of the open transaction for a read on this thread, which sees the writes made so far. */
  public static Connection forRead(Connection shared) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("close")) {
        return null;
      }
      try {
        return method.invoke(shared, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (Connection) Proxy.newProxyInstance(JoinedTransaction.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }
}
