package dev.orchestrator.spi.store;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a store holds of a run an engine has just claimed, read together so that the engine can take it over: the
 * lease it was claimed under, its record, its stored workflow definition, its tasks in position order and the agent
 * processes recorded for it. See {@link Store#claimedRuns(List)}.
 *
 * <p>Immutable and thread-safe; two values are equal when every part is equal.
 *
 * @since 0.1
 */
public final class ClaimedRun {
  private final RunLease lease;
  private final RunRecord run;
  private final String definition;
  private final List<TaskRecord> tasks;
  private final List<AgentProcess> agentProcesses;

  private ClaimedRun(RunLease lease, RunRecord run, String definition, List<TaskRecord> tasks,
      List<AgentProcess> agentProcesses) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.run = Objects.requireNonNull(run, "run");
    this.definition = Objects.requireNonNull(definition, "definition");
    this.tasks = List.copyOf(tasks);
    this.agentProcesses = List.copyOf(agentProcesses);
    if (!run.project().equals(lease.project()) || !run.id().equals(lease.runId())) {
      throw new IllegalArgumentException("run " + run.project() + "/" + run.id() + " is not the run of its lease ("
          + lease.project() + "/" + lease.runId() + ")");
    }
  }

  /**
   * A claimed run as stored; {@code definition} is empty when none is stored.
   *
   * @throws IllegalArgumentException when {@code run} is not the run of {@code lease}
   */
  public static ClaimedRun of(RunLease lease, RunRecord run, String definition, List<TaskRecord> tasks,
      List<AgentProcess> agentProcesses) {
    return new ClaimedRun(lease, run, definition, tasks, agentProcesses);
  }

  /** The lease the run was claimed under. */
  public RunLease lease() {
    return lease;
  }

  /** The run's record. */
  public RunRecord run() {
    return run;
  }

  /** The run's stored workflow definition, or an empty string when none is stored. */
  public String definition() {
    return definition;
  }

  /** The run's tasks, in position order. */
  public List<TaskRecord> tasks() {
    return tasks;
  }

  /** The agent processes recorded for the run (see {@link Store#saveAgentProcess}). */
  public List<AgentProcess> agentProcesses() {
    return agentProcesses;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ClaimedRun c && lease.equals(c.lease) && run.equals(c.run) && definition.equals(c.definition)
        && tasks.equals(c.tasks) && agentProcesses.equals(c.agentProcesses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lease, run, definition, tasks, agentProcesses);
  }

  @Override
  public String toString() {
    return "ClaimedRun[lease=" + lease + ", run=" + run + ", definition=" + definition.length() + " chars, tasks="
        + tasks.size() + ", agentProcesses=" + agentProcesses + "]";
  }
}
