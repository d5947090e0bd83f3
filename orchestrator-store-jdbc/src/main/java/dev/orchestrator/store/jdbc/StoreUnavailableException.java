package dev.orchestrator.store.jdbc;

import dev.orchestrator.OrchestratorException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The embedded store cannot be used, for a reason a person can fix: the message says what is wrong with which path
 * and what to do, in plain words (never the database driver's own text, which stays in the cause). Thrown by
 * {@link JdbcStore#embedded(Path)} and {@link DataDirectory#prepare(Path)} while opening, and with
 * {@link Reason#BUSY} by any call that waited longer than its bound for other processes.
 *
 * <p>Immutable and thread-safe.
 */
public final class StoreUnavailableException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Reason {
    /** The path exists but is a file, not a directory. */
    NOT_A_DIRECTORY,
    /** This user may not read the directory or the database file (permissions). */
    UNREADABLE,
    /**
     * Nothing may be written there: a read-only file system or mount, an immutable file, or permissions. The store
     * writes on every open (its lock file, at least), so a read-only copy cannot be opened either.
     */
    READ_ONLY,
    /** The database file is damaged, or is not a database this store made (another program, another version). */
    DAMAGED,
    /**
     * Other processes held the file or the rows this call needed for longer than the store's bound
     * ({@code busyTimeout}); nothing was changed by this call. Trying again later may succeed.
     */
    BUSY
  }

  private final Reason reason;
  private final transient @Nullable Path path;

  /**
   * @param reason what is wrong
   * @param path the directory or file concerned, or null when there is none
   * @param message the whole sentence: what, where and what to do
   * @param cause the underlying failure, or null
   */
  public StoreUnavailableException(Reason reason, @Nullable Path path, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.path = path;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }

  /** The directory or file concerned, or null. */
  public @Nullable Path path() {
    return path;
  }
}
