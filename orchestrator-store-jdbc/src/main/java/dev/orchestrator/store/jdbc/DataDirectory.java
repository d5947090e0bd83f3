package dev.orchestrator.store.jdbc;

import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Checks that a directory can hold data before anything is opened in it, so that a directory that is a file,
 * unreadable or read-only is reported in plain words naming the path and the fix, rather than by whatever the
 * database driver says when it trips over it. {@link JdbcStore#embedded(Path)} checks its directory and database
 * file this way; the command line checks its data directory the same way.
 *
 * <p>The checks try the operations themselves (list the directory, create and delete a file, open the database file
 * for writing) rather than reading permission bits, so they are right for any user, root included (root ignores
 * permission bits but not a read-only mount or an immutable file).
 *
 * <p>Stateless and thread-safe.
 */
public final class DataDirectory {
  private DataDirectory() {}

  /**
   * Creates {@code dir} when it is missing and checks that this process may read and write in it.
   *
   * @return the directory as an absolute, normalised path
   * @throws StoreUnavailableException with {@link Reason#NOT_A_DIRECTORY}, {@link Reason#UNREADABLE} or
   *     {@link Reason#READ_ONLY}, naming the path and the fix
   */
  public static Path prepare(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw new StoreUnavailableException(Reason.NOT_A_DIRECTORY, d, "the data directory '" + d
          + "' is a file, not a directory: choose a directory (a new one is created), or move the file away", null);
    }
    for (Path a = d.getParent(); a != null; a = a.getParent()) {
      if (Files.exists(a)) {
        if (!Files.isDirectory(a)) {
          throw new StoreUnavailableException(Reason.NOT_A_DIRECTORY, a, "the data directory '" + d
              + "' cannot be made: '" + a + "' is a file, not a directory; choose another path", null);
        }
        break;
      }
    }
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      Path parent = d.getParent() == null ? d : d.getParent();
      throw new StoreUnavailableException(Reason.READ_ONLY, d, "cannot create the data directory '" + d + "' ("
          + why(e) + "): let user " + user() + " write in '" + parent + "', or choose another directory", e);
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
      entries.iterator().hasNext();
    } catch (IOException | RuntimeException e) {
      throw unreadable(d, "data directory", e);
    }
    try {
      Path probe = Files.createTempFile(d, ".write-check-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw readOnly(d, "data directory", e);
    }
    return d;
  }

  /**
   * Checks that an existing data file may be read and written by this process (nothing is changed); a missing file
   * passes.
   *
   * @throws StoreUnavailableException with {@link Reason#UNREADABLE}, {@link Reason#READ_ONLY} or
   *     {@link Reason#DAMAGED} (a directory where the file should be)
   */
  static void checkFile(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw new StoreUnavailableException(Reason.DAMAGED, file, "'" + file + "' should be the store's database file"
          + " but is a directory: move it away, or choose another data directory", null);
    }
    try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.READ)) {
      // readable
    } catch (IOException e) {
      throw unreadable(file, "database file", e);
    }
    try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
      // writable; opening for writing neither truncates nor changes the file
    } catch (IOException e) {
      throw readOnly(file, "database file", e);
    }
  }

  private static StoreUnavailableException unreadable(Path path, String what, Exception e) {
    return new StoreUnavailableException(Reason.UNREADABLE, path, "the " + what + " '" + path
        + "' cannot be read by user " + user() + " (" + why(e) + "): give that user read and write access to it"
        + " (for example chown or chmod u+rwX), or choose another data directory", e);
  }

  private static StoreUnavailableException readOnly(Path path, String what, Exception e) {
    return new StoreUnavailableException(Reason.READ_ONLY, path, "the " + what + " '" + path + "' is read-only ("
        + why(e) + "): the store writes there whenever it opens, even to read; make it writable for user " + user()
        + ", or copy the data directory somewhere writable and use the copy", e);
  }

  /** The operating system's reason in a few words: "permission denied", "Read-only file system". */
  static String why(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason().toLowerCase(Locale.ROOT);
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static String user() {
    return System.getProperty("user.name", "?");
  }
}
