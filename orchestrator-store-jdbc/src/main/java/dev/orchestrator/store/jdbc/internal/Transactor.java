package dev.orchestrator.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How the store's collaborators reach its database: on the store's pool, in its transactions, with its retries (other
 * processes' locks, the embedded file changing hands, commit receipts) and its error messages. Work may run more than
 * once, each time from the start in a new transaction. Implemented by {@link Transactions}; thread-safe.
 */
public interface Transactor {
  /** SQL work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** The database behind the store. */
  Dialect dialect();

  /** The transaction this thread opened with {@code Store.atomically}, if any, and what it established so far. */
  JoinedTransaction joined();

  /**
   * Runs {@code work}, which only reads (one consistent statement at a time).
   *
   * @param what for error messages: "could not {@code what}"
   */
  <T> T read(String what, Work<T> work);

  /**
   * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws; a transaction the
   * database aborted (deadlock, serialization failure), or, with {@code retryOnDuplicate}, one that met a row inserted
   * meanwhile, runs again from the start. Work that decides to change nothing calls {@code c.rollback()} and returns.
   */
  <T> T write(String what, boolean retryOnDuplicate, Work<T> work);

  /**
   * Runs {@code work} in one transaction like {@link #write}, but a failure that {@code lost} recognises (another
   * writer won a race the work takes part in: a duplicate key, a concurrent update) rolls it back and answers
   * {@code lostAnswer} instead of failing.
   */
  <T extends @Nullable Object> T writeOr(String what, Work<T> work, Predicate<SQLException> lost, T lostAnswer);
}
