package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.OrchestratorException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link Transactor}: every read and transaction of the store and its collaborators (runs and tasks, run
 * leases, the ledger, pauses, events, the outbox, schedules) runs here, so they all ride out other processes in the
 * same way.
 *
 * <p>A read or a transaction that failed for a reason that passes ({@link StoreRetry}: on the embedded store, a lock
 * race, another process's hand-over of the file, a lock timeout, a deadlock; on PostgreSQL, a deadlock or a
 * serialization failure) is run again from the start on a fresh connection, within the store's bound. A transaction
 * whose connection broke <em>during</em> its commit (the process serving the embedded file exited just then) may or
 * may not have been saved: on the embedded store each transaction inserts a random receipt into
 * {@code commit_receipts} just before it commits, and reads it back after such a failure, so the work is run again
 * only when it was not saved and is never applied twice. Failures that stayed transient until the bound become the
 * embedded store's plain {@code BUSY} refusal ({@link EmbeddedFailures}).
 *
 * <p>Work passed here may run more than once: it must start from the database, not from what an earlier try left in
 * memory. Thread-safe.
 */
public final class Transactions implements Transactor {
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);
  /** Receipts are read back within the bound of one call; older ones are deleted, every this many commits. */
  private static final long PRUNE_RECEIPTS_EVERY = 1_000;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String description;
  private final StoreRetry retry;
  /** The embedded store's database file, or null for any other database (no receipts, no plain refusals). */
  private final @Nullable Path embeddedFile;
  /** Takes a connection that no longer works out of the pool. */
  private final Consumer<Connection> evict;
  private final BooleanSupplier closed;
  private final AtomicLong commits = new AtomicLong();
  /** The transaction a thread opened with {@link #atomically}, which its reads and writes join. */
  private final JoinedTransaction joined;

  @Override
  public JoinedTransaction joined() {
    return joined;
  }

  /**
   * @param embeddedFile the embedded store's database file, or null
   * @param evict drops a broken connection from the pool (a no-op for a caller's data source)
   * @param closed whether the store was closed: then every call fails
   */
  public Transactions(DataSource dataSource, Dialect dialect, String description, StoreRetry retry,
      @Nullable Path embeddedFile, Consumer<Connection> evict, BooleanSupplier closed) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.description = Objects.requireNonNull(description, "description");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.embeddedFile = embeddedFile;
    this.evict = Objects.requireNonNull(evict, "evict");
    this.closed = Objects.requireNonNull(closed, "closed");
    this.joined = new JoinedTransaction(dialect != Dialect.POSTGRESQL);
  }

  @Override
  public Dialect dialect() {
    return dialect;
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL in auto-commit mode; on the embedded store in a transaction that the pool rolls back (its
   * connections run with auto-commit off, so that H2 never reconnects by itself), so work passed here must not write.
   */
  @Override
  public <T> T read(String what, Work<T> work) {
    checkOpen();
    Connection shared = joined.current();
    if (shared != null) {
      try {
        return work.apply(JoinedTransaction.forRead(shared));
      } catch (SQLException e) {
        throw joinedFailure(what, e);
      }
    }
    try {
      return retry.call(false, () -> {
        try (Connection c = dataSource.getConnection()) {
          try {
            return work.apply(c);
          } catch (SQLException e) {
            throw sorted(c, e);
          }
        }
      });
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  @Override
  public <T> T write(String what, boolean retryOnDuplicate, Work<T> work) {
    checkOpen();
    Connection shared = joined.current();
    if (shared != null) {
      try {
        return joined.apply(shared, work::apply);
      } catch (SQLException e) {
        throw joinedFailure(what, e);
      }
    }
    try {
      return retry.call(retryOnDuplicate, () -> once(what, work));
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  @Override
  public <T extends @Nullable Object> T writeOr(String what, Work<T> work, Predicate<SQLException> lost, T lostAnswer) {
    checkOpen();
    Connection shared = joined.current();
    if (shared != null) {
      try {
        return joined.apply(shared, work::apply);
      } catch (SQLException e) {
        if (lost.test(e)) {
          return lostAnswer; // undone back to its savepoint: the block goes on
        }
        throw joinedFailure(what, e);
      }
    }
    try {
      return retry.call(false, () -> {
        try {
          return once(what, work);
        } catch (SQLException e) {
          if (lost.test(e)) {
            log.debug("A transaction lost a race (store={}, what={}, sqlState={})", description, what,
                e.getSQLState());
            return lostAnswer;
          }
          throw e;
        }
      });
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs {@code work} in one transaction that every read and write of this thread joins until it returns (see
   * {@code Store.atomically}); committed then (with a receipt on the embedded store), rolled back when it throws. It
   * is not run again: the work may have changed things outside the store.
   *
   * <p>The thread leaves the transaction before it commits: when the connection breaks during the commit, the receipt
   * is read back on a connection of its own (the joined one is dead), and so is anything else done after the commit.
   * A block that wrote nothing is ended without a commit (and without a receipt).
   *
   * <p>Called inside such a block, {@code work} runs as a nested block of the same transaction: when it throws, what
   * it wrote is undone back to its start (a savepoint) and the failure is thrown, and the outer block goes on.
   */
  public <T> T atomically(Supplier<T> work) {
    checkOpen();
    Objects.requireNonNull(work, "work");
    String what = "keep writes together";
    Connection shared = joined.current();
    if (shared != null) {
      return nested(shared, what, work);
    }
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        if (autoCommit) {
          c.setAutoCommit(false);
        }
        T result;
        joined.begin(c);
        try {
          result = work.get();
          joined.flush(); // what the block's writes left pending goes in before the commit
        } finally {
          joined.end();
        }
        if (joined.hasWritten()) {
          commit(c, what);
        } else {
          c.rollback(); // it only read: nothing to save, and a commit would cost a receipt
        }
        return result;
      } catch (SQLException e) {
        SQLException s = sorted(c, e);
        if (lost(s)) {
          // Not run again, unlike a single write: the work may have changed things outside the store.
          throw new OrchestratorException("store " + description + " could not " + what + ": the connection to the"
              + " database broke before the commit was saved, so nothing of it was kept (" + s.getMessage()
              + "); run it again", s);
        }
        rollback(c, s);
        throw s;
      } catch (RuntimeException e) {
        if (lost(e)) {
          evict.accept(c); // a joined read or write met the broken connection: nothing of the block was kept
        } else {
          rollback(c, e);
        }
        throw e;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c);
        }
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T nested(Connection shared, String what, Supplier<T> work) {
    joined.enter();
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      try {
        joined.abandon();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
    try {
      joined.leave();
    } catch (SQLException e) {
      throw joinedFailure(what, e);
    }
    return result;
  }

  /** One try of a transaction: committed when the work returns, rolled back when it throws. */
  private <T> T once(String what, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        if (autoCommit) {
          c.setAutoCommit(false);
        }
        T result = work.apply(c);
        commit(c, what);
        return result;
      } catch (SQLException e) {
        SQLException s = sorted(c, e);
        if (!lost(s)) {
          rollback(c, s);
        }
        log.debug("Transaction failed (store={}, what={}, h2Code={}, sqlState={}, connectionLost={})", description,
            what, H2Failures.code(s), s.getSQLState(), lost(s));
        throw s;
      } catch (RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c);
        }
      }
    }
  }

  /**
   * Commits; on the embedded store, first leaves a receipt in the transaction, so that when the connection breaks
   * during the commit the receipt tells whether it was saved: returns normally when it was, and rethrows the
   * (retried) failure when it was not. Work that rolled back itself (it decided to change nothing) commits nothing.
   */
  private void commit(Connection c, String what) throws SQLException {
    String receipt = embeddedFile == null ? null : UUID.randomUUID().toString();
    if (receipt != null) {
      Sql.update(c, "INSERT INTO commit_receipts (token) VALUES (?)", receipt);
    }
    try {
      c.commit();
    } catch (SQLException e) {
      SQLException s = sorted(c, e);
      if (!lost(s)) {
        throw s;
      }
      if (receipt == null) {
        throw new OrchestratorException("store " + description + " could not " + what + ": the connection broke"
            + " during the commit, so whether it was saved is unknown; check, then repeat it if it is missing", s);
      }
      boolean saved = read("read a commit receipt", rc -> Sql.exists(rc,
          "SELECT 1 FROM commit_receipts WHERE token = ?", receipt));
      log.debug("Commit broke; its receipt says (store={}, what={}, saved={}, h2Code={})", description, what, saved,
          H2Failures.code(s));
      if (!saved) {
        throw s; // rolled back with its session: the work runs again
      }
    }
    if (receipt != null && commits.incrementAndGet() % PRUNE_RECEIPTS_EVERY == 0) {
      pruneReceipts();
    }
  }

  /**
   * Deletes receipts older than an hour: a receipt is read back only within the bound of the call that wrote it.
   * Also called when the store opens.
   */
  public void pruneReceipts() {
    if (embeddedFile == null) {
      return;
    }
    try {
      write("delete old commit receipts", false, c -> Sql.update(c,
          "DELETE FROM commit_receipts WHERE created_at < CURRENT_TIMESTAMP - INTERVAL '1' HOUR"));
    } catch (OrchestratorException e) {
      log.debug("Old commit receipts not deleted (store={})", description, e); // the next prune deletes them
    }
  }

  /**
   * What to rethrow for a failure on {@code c}. On H2, a lost connection (another process's hand-over of the file)
   * takes the connection out of the pool; on the embedded store, so does a failure of any other kind on a connection
   * that turns out no longer to work (the serving process went away under the statement, whatever H2 called the
   * error), which is then rethrown marked as a lost connection, so that it is run again.
   */
  private SQLException sorted(Connection c, SQLException e) {
    if (dialect != Dialect.H2) {
      return e;
    }
    SQLException s = e;
    H2Failures.Kind kind = H2Failures.of(e);
    if (kind == H2Failures.Kind.PERMANENT && embeddedFile != null && !works(c)) {
      log.debug("A failure on a connection that no longer works (store={}, h2Code={}, message={})", description,
          e.getErrorCode(), e.getMessage());
      s = H2Failures.lostUnder(e);
      kind = H2Failures.Kind.CONNECTION_LOST;
    }
    if (kind == H2Failures.Kind.CONNECTION_LOST) {
      evict.accept(c);
    }
    return s;
  }

  private boolean lost(Throwable e) {
    return dialect == Dialect.H2 && H2Failures.of(e) == H2Failures.Kind.CONNECTION_LOST;
  }

  private static boolean works(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // A broken connection: it has been evicted, or the pool resets it.
      log.debug("Auto-commit not restored (sqlState={})", e.getSQLState());
    }
  }

  private void checkOpen() {
    if (closed.getAsBoolean()) {
      throw new IllegalStateException("the store " + description + " is closed: open a new one");
    }
  }

  /**
   * The failure to throw: the embedded store's plain BUSY refusal when the failure stayed transient until the bound,
   * else the database's words with what was being done.
   */
  /**
   * A failure inside an {@link #atomically} block, which is not tried again: a passing failure (the embedded file
   * changing hands, a deadlock) cut the block off at once, so it is not reported as a store busy for the whole bound.
   */
  private OrchestratorException joinedFailure(String what, SQLException e) {
    if (retry.isTransient(e)) {
      return new OrchestratorException("store " + description + " could not " + what + ": the transaction was cut "
          + "off (" + e.getMessage() + "); nothing of it was kept", e);
    }
    return failure(what, e);
  }

  private OrchestratorException failure(String what, SQLException e) {
    if (embeddedFile != null && retry.isTransient(e)) {
      return Objects.requireNonNull(EmbeddedFailures.explain(e, embeddedFile.getParent(), embeddedFile, true,
          retry.bound()));
    }
    return new OrchestratorException("store " + description + " could not " + what + ": " + e.getMessage()
        + " (SQLState " + e.getSQLState() + ")", e);
  }
}
