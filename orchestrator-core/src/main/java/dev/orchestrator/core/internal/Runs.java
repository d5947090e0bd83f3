package dev.orchestrator.core.internal;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The runs this engine knows, by id: those it executes, those it follows through the store, and a bounded number of
 * finished ones. The handles are read by any thread; the finished list is confined to the drain loop.
 */
final class Runs {
  /** How many finished runs stay in memory, findable by id; older ones are dropped, oldest first. */
  static final int FINISHED_RUNS_KEPT = 10_000;

  private final ConcurrentHashMap<String, RunHandle> handles = new ConcurrentHashMap<>();
  /** Finished run ids, oldest first. Confined to the drain loop. */
  private final LinkedHashMap<String, Boolean> finished = new LinkedHashMap<>();
  private final Store store;
  private final Function<RunState, RunHandle> handleFactory;

  Runs(Store store, Function<RunState, RunHandle> handleFactory) {
    this.store = store;
    this.handleFactory = handleFactory;
  }

  /**
   * The handle of a run of a project, or null. A run this engine does not know (another engine's, or an earlier
   * process's) gets a handle that follows it through the store and steers it by command.
   */
  @Nullable RunHandle find(String project, String runId) {
    RunHandle h = handles.get(runId);
    if (h != null) {
      return h.project().equals(project) ? h : null;
    }
    RunRecord r = store.run(project, runId).orElse(null);
    String definition = r == null ? "" : store.definition(project, runId).orElse("");
    if (r == null || definition.isBlank()) {
      return null;
    }
    RunState run = new RunState(r.id(), r.project(), WorkflowCodec.read(definition), r.params(), r);
    if (r.status() != RunStatus.RUNNING) {
      run.completion.complete(new RunSnapshot(r, store.tasks(project, runId)));
    }
    return addIfAbsent(run);
  }

  @Nullable RunHandle get(String runId) {
    return handles.get(runId);
  }

  /** The state of a run this engine knows, or null. */
  @Nullable RunState state(String runId) {
    RunHandle h = handles.get(runId);
    return h == null ? null : h.run();
  }

  Collection<RunHandle> all() {
    return handles.values();
  }

  int size() {
    return handles.size();
  }

  /** A new handle for {@code run}, registered under its id (replacing any). */
  RunHandle add(RunState run) {
    RunHandle h = handleFactory.apply(run);
    handles.put(run.id, h);
    return h;
  }

  /** Registers a new handle for {@code run} unless one is registered; returns the registered one. */
  RunHandle addIfAbsent(RunState run) {
    RunHandle created = handleFactory.apply(run);
    RunHandle raced = handles.putIfAbsent(run.id, created);
    return raced != null ? raced : created;
  }

  /** Finished runs stay findable by id up to a bound; older ones live on in the store (and in handles users hold). */
  void finished(RunState run) {
    finished.remove(run.id);
    finished.put(run.id, Boolean.TRUE);
    if (finished.size() > FINISHED_RUNS_KEPT) {
      String oldest = finished.keySet().iterator().next();
      finished.remove(oldest);
      handles.remove(oldest);
    }
  }

  /** A finished run opened again. */
  void reopened(RunState run) {
    finished.remove(run.id);
  }

  /** The leases of the runs this engine executes now, read on the timer thread to renew them. */
  List<RunLease> heldLeases() {
    List<RunLease> out = new ArrayList<>();
    for (RunHandle h : handles.values()) {
      RunState r = h.run();
      RunLease l = r.lease;
      if (l != null && !r.lost && r.record.status() == RunStatus.RUNNING) {
        out.add(l);
      }
    }
    return out;
  }

  /** The runs this engine submitted or looked up but does not execute: their handles finish when the store says. */
  List<RunHandle> watched() {
    List<RunHandle> out = new ArrayList<>();
    for (RunHandle h : handles.values()) {
      RunState r = h.run();
      if (r.lease == null && !r.completion.isDone()) {
        out.add(h);
      }
    }
    return out;
  }
}
