package dev.orchestrator.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the store's collaborators reach its database: on the store's pool, in its transactions, with its retries and
 * its error messages. Implemented by the store; thread-safe.
 */
public interface Transactor {
  /** SQL work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** The database behind the store. */
  Dialect dialect();

  /**
   * Runs {@code work} in auto-commit mode (one consistent statement at a time).
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
}
