package dev.orchestrator.core.internal;

import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.workflow.Workflow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A run as the engine schedules it. Confined to the drain loop except the fields marked volatile or concurrent. */
final class RunState {
  final String id;
  final String project;
  final Workflow workflow;
  final Map<String, String> params;
  TaskNode[] nodes = new TaskNode[0];
  /**
   * The workflow's shared plan, by which the nodes of a submitted run find their dependants and candidates (their
   * dependencies are the workflow's); null for a run rebuilt from the store, whose nodes hold their own
   * ({@link TaskNode#dependencies}).
   */
  @org.jspecify.annotations.Nullable WorkflowPlan plan;
  /**
   * The candidates of each of the plan's groups of tasks when the run has a {@link #plan}; else those of each task,
   * by position.
   */
  Slot[][] candidates = new Slot[0][];
  volatile RunRecord record;
  int unfinished;
  /** What the run's calls cost so far. */
  java.math.BigDecimal cost = java.math.BigDecimal.ZERO;
  volatile CompletableFuture<RunSnapshot> completion = new CompletableFuture<>();
  final List<EventSubscriber> subscribers = new CopyOnWriteArrayList<>();
  /**
   * The lease under which this engine executes the run, or null when another engine does (this one only follows it
   * through the store). Written in the drain loop, read by the timer thread that renews leases.
   */
  volatile dev.orchestrator.spi.store.@org.jspecify.annotations.Nullable RunLease lease;
  /** Set when the lease was lost: the run is another engine's now, and nothing more is written for it here. */
  volatile boolean lost;

  /** Whether this engine executes the run now (it holds its lease); else steering goes through the store. */
  boolean executesHere() {
    return lease != null && !lost;
  }

  RunState(String id, String project, Workflow workflow, Map<String, String> params, RunRecord record) {
    this.id = id;
    this.project = project;
    this.workflow = workflow;
    this.params = params;
    this.record = record;
  }
}
