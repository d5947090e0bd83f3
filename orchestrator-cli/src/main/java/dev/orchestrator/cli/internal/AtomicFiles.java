package dev.orchestrator.cli.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files in the data directory that other processes read at any moment (the configuration, the current project, run
 * metadata): written to a temporary name beside them and moved into place, so a reader sees the old text or the new
 * one, never an empty or half-written file. Stateless.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code text} to {@code file}, replacing what was there. */
  static void write(Path file, String text) throws IOException {
    Path tmp = temporary(file, text);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code text} to {@code file} unless it exists; returns false when it did (another process wrote it first,
   * and its text stands).
   */
  static boolean createIfAbsent(Path file, String text) throws IOException {
    Path tmp = temporary(file, text);
    try {
      // A hard link fails when the name is taken: the first process to link wins, and no reader ever sees the file
      // half written.
      Files.createLink(file, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here: move instead (two first writers then both write the same default text).
      if (Files.exists(file)) {
        return false;
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path temporary(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
    Files.writeString(tmp, text);
    return tmp;
  }
}
