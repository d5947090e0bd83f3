package dev.orchestrator.core.internal;

import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one path by which the engine writes a task's or a run's new state to the store, fenced by the run's lease. A
 * write the store refuses means the lease is lost: another engine executes the run now, and {@code onLost} stops it
 * here.
 *
 * <p>On a durable store the drain loop groups the writes of one pass over its mailbox into one transaction
 * ({@link #beginPass}): this class remembers which runs the pass wrote, so that if its commit fails they are reloaded
 * from the store, which kept none of it. Confined to the drain loop.
 */
final class Transitions {
  private final Store store;
  private final Consumer<RunState> onLost;
  private final Consumer<RunState> onUnsure;
  /** The runs written since {@link #beginPass}, or null outside a pass. */
  private @Nullable Set<RunState> pass;

  /**
   * @param onLost stops a run whose lease another engine took
   * @param onUnsure reloads from the store a run whose memory may disagree with it
   */
  Transitions(Store store, Consumer<RunState> onLost, Consumer<RunState> onUnsure) {
    this.store = store;
    this.onLost = onLost;
    this.onUnsure = onUnsure;
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
    if (pass != null) {
      pass.add(n.run);
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

  /** Memory and the store may disagree for the run (a transaction of it failed part-way): it is reloaded. */
  void unsure(RunState run) {
    onUnsure.accept(run);
  }

  /** Writes the run's record. */
  void write(RunState run) {
    if (pass != null) {
      pass.add(run);
    }
    RunLease lease = run.lease;
    if (lease == null || !store.updateRun(lease, run.record)) {
      onLost.accept(run);
    }
  }

  /** A pass over the mailbox begins, its writes in one transaction. */
  void beginPass() {
    pass = Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** The pass ended: returns the runs it wrote (to reload, when its transaction was rolled back). */
  Set<RunState> endPass() {
    Set<RunState> written = pass == null ? Set.of() : pass;
    pass = null;
    return written;
  }
}
