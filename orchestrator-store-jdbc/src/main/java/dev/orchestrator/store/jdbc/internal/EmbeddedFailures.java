package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.store.jdbc.StoreUnavailableException;
import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Says in plain words why the embedded store's file could not be used, from H2's error: what is wrong with which
 * path and what to do. H2's own text ("Wrong user name or password", "use the recovery tool") stays in the cause,
 * for {@code --verbose}. Stateless.
 */
public final class EmbeddedFailures {
  /** {@code IO_EXCEPTION_1}. */
  static final int IO_EXCEPTION = 90028;
  /** {@code FILE_CORRUPTED_1}. */
  static final int FILE_CORRUPTED = 90030;
  /** {@code TRACE_FILE_ERROR_2}: the trace file next to the database cannot be written. */
  static final int TRACE_FILE_ERROR = 90034;
  /** {@code FILE_VERSION_ERROR_1}: a file of another (older) H2 format. */
  static final int FILE_VERSION_ERROR = 90048;
  /** {@code DATABASE_IS_READ_ONLY}. */
  static final int DATABASE_IS_READ_ONLY = 90097;
  /** {@code FEATURE_NOT_SUPPORTED_1}: for us, automatic mixed mode refused on a read-only file. */
  static final int FEATURE_NOT_SUPPORTED = 50100;
  /** {@code GENERAL_ERROR_1}: MVStore reports a file it cannot parse this way too. */
  static final int GENERAL_ERROR = 50000;

  private EmbeddedFailures() {}

  /**
   * The plain explanation of a failure to open or use the embedded store in {@code dir} (database file {@code file}),
   * or null when it is none of the known ones.
   *
   * @param busy whether the store's retry policy took the failure as transient: the bound was reached
   */
  public static @Nullable StoreUnavailableException explain(Throwable failure, Path dir, Path file, boolean busy,
      Duration busyTimeout) {
    if (busy) {
      return new StoreUnavailableException(Reason.BUSY, dir, "the store in '" + dir + "' stayed busy for more than "
          + seconds(busyTimeout) + ": other processes held its database file, or the rows this command needed, all"
          + " that time (" + h2Words(failure) + "); nothing was changed. Try again; if it keeps happening, look for"
          + " a process that hangs with this data directory open", failure);
    }
    SQLException e = H2Failures.firstSqlException(failure);
    if (e == null) {
      return null;
    }
    int code = e.getErrorCode();
    if (code == DATABASE_IS_READ_ONLY || code == TRACE_FILE_ERROR
        || (code == FEATURE_NOT_SUPPORTED && String.valueOf(e.getMessage()).contains("readOnly"))) {
      return new StoreUnavailableException(Reason.READ_ONLY, dir, "the store in '" + dir + "' is read-only: the"
          + " store writes there whenever it opens, even to read; make '" + dir + "' and '" + file + "' writable,"
          + " or copy the data directory somewhere writable and use the copy", failure);
    }
    if (hasCause(failure, AccessDeniedException.class)) {
      return new StoreUnavailableException(Reason.UNREADABLE, file, "the store's database file '" + file
          + "' cannot be read or written by user " + System.getProperty("user.name", "?") + " (permission denied):"
          + " give that user read and write access to it and to '" + dir + "'", failure);
    }
    if (code == FILE_CORRUPTED || code == FILE_VERSION_ERROR || code == GENERAL_ERROR
        || code == H2Failures.WRONG_USER_OR_PASSWORD
        || (code == IO_EXCEPTION && H2Failures.of(failure) == H2Failures.Kind.PERMANENT)) {
      String what = code == FILE_VERSION_ERROR ? "was written by another version of the database engine"
          : code == H2Failures.WRONG_USER_OR_PASSWORD ? "is a database that this store did not make (its user"
              + " differs)"
          : "is damaged or is not a database file";
      return new StoreUnavailableException(Reason.DAMAGED, file, "the store's database file '" + file + "' " + what
          + ": move it aside (for example to '" + file.getFileName() + ".bad') to start with an empty store, or put"
          + " back a copy from a backup; nothing was changed", failure);
    }
    return null;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** What kept it busy, in our words rather than H2's. */
  private static String h2Words(Throwable failure) {
    return switch (H2Failures.code(failure)) {
      case H2Failures.LOCK_TIMEOUT -> "the last try waited for a row another transaction held";
      case H2Failures.DEADLOCK, H2Failures.CONCURRENT_UPDATE -> "the last try collided with another transaction";
      case H2Failures.DATABASE_IS_IN_EXCLUSIVE_MODE -> "another connection held the database alone";
      default -> "the last try could not get hold of the file";
    };
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

}
