package dev.orchestrator.cli.internal;

import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command queue between processes: the store's own when it has one, else files in the data directory (the
 * store's queue is used by every process or by none, so both sides always agree). Thread-safe.
 */
public final class Commands {
  private final Store store;
  private final FileCommandQueue files;
  private volatile boolean storeSupports = true;

  Commands(Store store, Path dataDir) {
    this.store = store;
    this.files = new FileCommandQueue(dataDir);
  }

  /** Queues a command for the process that executes its run. */
  public void submit(Command c) {
    if (storeSupports) {
      try {
        store.submitCommand(c);
        return;
      } catch (UnsupportedOperationException e) {
        storeSupports = false;
      }
    }
    files.submit(c);
  }

  /** Takes every pending command. */
  public List<Command> take() {
    List<Command> out = new ArrayList<>(store.takeCommands());
    out.addAll(files.take());
    return out;
  }
}
