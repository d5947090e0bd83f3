package dev.orchestrator.store.jdbc.internal;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an H2 error means for processes that share one database file in automatic mixed mode ({@code AUTO_SERVER}),
 * by H2's error codes ({@code org.h2.api.ErrorCode}; H2 is not on the compile class path, so the numbers are here).
 *
 * <p>The first process to open the file serves it to the others over TCP. Two kinds of failure are normal there and
 * pass when tried again:
 * <ul>
 *   <li>{@link Kind#CONNECTION_LOST}: processes opening the file at the same instant race for its lock file
 *       (the losers see "Locked by another process", "Lock file recently modified", ...), and when the serving
 *       process exits its clients' connections break and they race again to take the file over. The connection is
 *       useless: drop it and open another.
 *   <li>{@link Kind#CONTENTION}: transactions of different processes want the same rows (lock timeout, deadlock,
 *       concurrent update). The connection is fine; the transaction is run again.
 * </ul>
 * Everything else ({@link Kind#PERMANENT}) is reported at once. Stateless.
 */
public final class H2Failures {
  /** {@code ERROR_OPENING_DATABASE_1}: the lock-file races below, but also real I/O failures. */
  static final int ERROR_OPENING_DATABASE = 8000;
  /** {@code DATABASE_ALREADY_OPEN_1}: another process holds the lock file and does not serve it (yet). */
  static final int DATABASE_ALREADY_OPEN = 90020;
  /** {@code CONNECTION_BROKEN_1}: the serving process went away, or its server is not listening yet. */
  static final int CONNECTION_BROKEN = 90067;
  /** {@code DATABASE_IS_CLOSED}: the database this connection used was closed under it. */
  static final int DATABASE_IS_CLOSED = 90098;
  /** {@code DATABASE_CALLED_AT_SHUTDOWN}: the database is shutting down (its process is exiting). */
  static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;
  /** {@code DATABASE_IS_IN_EXCLUSIVE_MODE}: another session holds the database alone for a moment. */
  static final int DATABASE_IS_IN_EXCLUSIVE_MODE = 90135;
  /** {@code LOCK_TIMEOUT_1}: a row stayed locked by another transaction for longer than LOCK_TIMEOUT. */
  static final int LOCK_TIMEOUT = 50200;
  /** {@code DEADLOCK_1}. */
  static final int DEADLOCK = 40001;
  /** {@code CONCURRENT_UPDATE_1}: two transactions updated one row. */
  static final int CONCURRENT_UPDATE = 90131;
  /** {@code IO_EXCEPTION_1}. */
  static final int IO_EXCEPTION_1 = 90028;
  /** {@code IO_EXCEPTION_2}. */
  static final int IO_EXCEPTION_2 = 90031;
  /** {@code GENERAL_ERROR_1}. */
  static final int GENERAL_ERROR = 50000;
  /**
   * How MVStore's "transaction illegal state" error ends ({@code "Transaction 1 has status ROLLED_BACK, not OPEN
   * [2.4.240/103]"}): the database closing the session under the statement, as a serving process does when it exits.
   */
  private static final String TRANSACTION_ILLEGAL_STATE = "/103]";
  /** {@code WRONG_USER_OR_PASSWORD}: also what a stale server answers to the key of another (see below). */
  static final int WRONG_USER_OR_PASSWORD = 28000;

  private static final Set<Integer> LOST = Set.of(DATABASE_ALREADY_OPEN, CONNECTION_BROKEN, DATABASE_IS_CLOSED,
      DATABASE_CALLED_AT_SHUTDOWN, DATABASE_IS_IN_EXCLUSIVE_MODE);
  private static final Set<Integer> CONTENDED = Set.of(LOCK_TIMEOUT, DEADLOCK, CONCURRENT_UPDATE);
  /**
   * H2's own words (org.h2.store.FileLock) for the lock-file races behind {@link #ERROR_OPENING_DATABASE}; the same
   * code also reports a file that cannot be read or written, which no retry fixes.
   */
  private static final String[] LOCK_RACES = {"Lock file recently modified", "Concurrent update",
      "Another process was faster", "Could not load properties"};

  /** What a failure means. */
  public enum Kind {
    /** The connection is gone or could not be made for now: drop it, open another, run the work again. */
    CONNECTION_LOST,
    /** Another transaction holds the rows: run the work again on the same connection. */
    CONTENTION,
    /** Not a sharing problem: report it. */
    PERMANENT
  }

  private H2Failures() {}

  /** The kind of the first H2 error in {@code t}'s causes (a pool or a migration tool wraps them). */
  public static Kind of(Throwable t) {
    SQLException e = firstSqlException(t);
    if (e == null) {
      return poolLostConnection(t) ? Kind.CONNECTION_LOST : Kind.PERMANENT;
    }
    int code = e.getErrorCode();
    if (LOST.contains(code)) {
      return Kind.CONNECTION_LOST;
    }
    if (CONTENDED.contains(code)) {
      return Kind.CONTENTION;
    }
    if (code == ERROR_OPENING_DATABASE && isLockRace(e)) {
      return Kind.CONNECTION_LOST;
    }
    if ((code == IO_EXCEPTION_1 || code == IO_EXCEPTION_2) && brokenUnderneath(t)) {
      return Kind.CONNECTION_LOST;
    }
    if (code == GENERAL_ERROR && String.valueOf(e.getMessage()).contains(TRANSACTION_ILLEGAL_STATE)) {
      return Kind.CONNECTION_LOST;
    }
    return Kind.PERMANENT;
  }

  /**
   * {@code e}, which happened on a connection that no longer works, marked as a lost connection (code
   * {@code CONNECTION_BROKEN_1}) so that it is retried like one; {@code e} is its cause.
   */
  public static SQLException lostUnder(SQLException e) {
    return new SQLException("the connection broke under the statement: " + e.getMessage(), "08006",
        CONNECTION_BROKEN, e);
  }

  /**
   * Whether the pool (not H2) reports a connection it dropped or could not get: a connection-exception SQLState
   * ({@code 08xxx}) with no H2 error code, such as "Connection is closed" after the pool discarded a broken connection
   * under a migration tool that then tried to commit on it, or its timeout for a new connection.
   */
  private static boolean poolLostConnection(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransientConnectionException) {
        return true; // the pool waited its whole timeout for a connection: the file stayed held
      }
      if (c instanceof SQLException s && s.getErrorCode() == 0 && (String.valueOf(s.getSQLState()).startsWith("08")
          || "Connection is closed".equals(s.getMessage()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an I/O error is the connection to the serving process breaking: reading a large value (H2 fetches those
   * in pieces) when the server goes away reports the broken connection inside an I/O error.
   */
  private static boolean brokenUnderneath(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = String.valueOf(c.getMessage());
      // Not EOFException: reading a damaged or truncated file ends that way too.
      if (c instanceof SocketException || m.contains("[" + CONNECTION_BROKEN + "-")
          || m.contains("Connection is broken")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code t} is H2 refusing the user or password. Our store always connects as the same user, so this is
   * either a client that read a lock file naming a server that has just been replaced (its key no longer matches:
   * passes when tried again) or a database file that another program made with other credentials (never passes).
   * Callers retry it a few times only.
   */
  public static boolean wrongCredentials(Throwable t) {
    SQLException e = firstSqlException(t);
    return e != null && e.getErrorCode() == WRONG_USER_OR_PASSWORD;
  }

  /** The H2 error code of {@code t}'s first SQL exception, or 0. */
  public static int code(Throwable t) {
    SQLException e = firstSqlException(t);
    return e == null ? 0 : e.getErrorCode();
  }

  private static boolean isLockRace(SQLException e) {
    String m = String.valueOf(e.getMessage());
    for (String race : LOCK_RACES) {
      if (m.contains(race)) {
        return true;
      }
    }
    return false;
  }

  static @Nullable SQLException firstSqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException s && s.getErrorCode() != 0) {
        return s;
      }
    }
    return null;
  }
}
