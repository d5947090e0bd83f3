package dev.orchestrator.cli.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process executes which run, on one machine: the executing process holds an OS file lock on
 * {@code <data dir>/runs/<run id>.lock}. The OS releases it when the process ends, however it ends, so a run whose
 * lock is free is orphaned and may be adopted. One start lock serialises "recover, then submit" between processes,
 * so two engines never adopt the same run. Thread-safe.
 *
 * <p>This is a stand-in for the store's lease-based claiming, which does not exist yet: it works only for processes
 * sharing one data directory on one machine.
 */
public final class RunLocks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunLocks.class);

  private final Path dir;
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

  private record Held(FileChannel channel, FileLock lock) {}

  public RunLocks(Path dataDir) {
    this.dir = dataDir.resolve("runs");
  }

  /** Takes the run for this process; false when another process executes it. */
  public boolean tryOwn(String runId) {
    if (held.containsKey(runId)) {
      return true;
    }
    Held h = tryLock(dir.resolve(runId + ".lock"));
    if (h == null) {
      return false;
    }
    held.put(runId, h);
    return true;
  }

  /** Whether a live process (this one included) executes the run. */
  public boolean isExecuting(String runId) {
    if (held.containsKey(runId)) {
      return true;
    }
    Path file = dir.resolve(runId + ".lock");
    if (!Files.exists(file)) {
      return false;
    }
    Held h = tryLock(file);
    if (h == null) {
      return true;
    }
    release(h);
    return false;
  }

  /** Gives a run up (when it finished). */
  public void release(String runId) {
    Held h = held.remove(runId);
    if (h != null) {
      release(h);
    }
  }

  /** Holds the start lock until the returned handle is closed; waits for another process's start to end. */
  public AutoCloseable startLock() {
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve("engine-start.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = ch.lock();
      return () -> release(new Held(ch, lock));
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "locks.unusable", dir, e.getMessage());
    }
  }

  private Held tryLock(Path file) {
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock lock = ch.tryLock();
        if (lock == null) {
          ch.close();
          return null;
        }
        return new Held(ch, lock);
      } catch (OverlappingFileLockException e) {
        ch.close();
        return null; // another engine of this process holds it
      }
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "locks.unusable", dir, e.getMessage());
    }
  }

  private static void release(Held h) {
    try {
      h.lock.release();
      h.channel.close();
    } catch (IOException e) {
      log.debug("Lock not released cleanly", e);
    }
  }

  /** Releases every run this process holds. */
  @Override
  public void close() {
    for (String id : held.keySet()) {
      release(id);
    }
  }
}
