package dev.orchestrator.core.internal;

import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import java.util.function.Consumer;

/**
 * The one path by which the engine writes a task's or a run's new state to the store, fenced by the run's lease. A
 * write the store refuses means the lease is lost: another engine executes the run now, and {@code onLost} stops it
 * here.
 *
 * <p>Today every write is made at once on the drain loop. Keeping them behind this class lets them later be grouped
 * and committed off the loop without touching the code that decides the transitions. Confined to the drain loop.
 */
final class Transitions {
  private final Store store;
  private final Consumer<RunState> onLost;

  Transitions(Store store, Consumer<RunState> onLost) {
    this.store = store;
    this.onLost = onLost;
  }

  /**
   * Sets the task's record in memory and writes it; nothing is written for a run whose lease is lost. When the store
   * fails, the record in memory is put back as it was, so that memory and store still agree.
   */
  void write(TaskNode n, TaskRecord r) {
    TaskRecord before = n.record;
    n.record = r;
    if (n.run.lost) {
      return;
    }
    RunLease lease = n.run.lease;
    boolean written;
    try {
      written = lease != null && store.updateTask(lease, r, n.index);
    } catch (RuntimeException e) {
      n.record = before;
      throw e;
    }
    if (!written) {
      onLost.accept(n.run);
    }
  }

  /** Gives up the run as if its lease were lost: memory and store may disagree, so the store's view is taken over. */
  void lost(RunState run) {
    onLost.accept(run);
  }

  /** Writes the run's record. */
  void write(RunState run) {
    RunLease lease = run.lease;
    if (lease == null || !store.updateRun(lease, run.record)) {
      onLost.accept(run);
    }
  }
}
