package dev.orchestrator.run;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run and all its tasks at one moment, in the workflow's topological order. Immutable.
 *
 * <p>A record: its shape is final (a run and its tasks; what grows, grows in {@link RunRecord} and
 * {@link TaskRecord}).
 *
 * @param run the run
 * @param tasks its tasks
 * @since 0.1
 */
public record RunSnapshot(RunRecord run, List<TaskRecord> tasks) {
  public RunSnapshot {
    Objects.requireNonNull(run, "run");
    tasks = List.copyOf(tasks);
  }

  /** The run's status. */
  public RunStatus status() {
    return run.status();
  }

  /** The task with that id, or null. */
  public @Nullable TaskRecord task(String taskId) {
    for (TaskRecord t : tasks) {
      if (t.taskId().equals(taskId)) {
        return t;
      }
    }
    return null;
  }

  /** The tokens of every attempt of every task. */
  public TokenUsage usage() {
    TokenUsage u = TokenUsage.NONE;
    for (TaskRecord t : tasks) {
      u = u.plus(t.usage());
    }
    return u;
  }

  /** The cost of every attempt of every task that ended. */
  public Money cost() {
    Money m = Money.ZERO;
    for (TaskRecord t : tasks) {
      m = m.plus(t.cost());
    }
    return m;
  }

  /** How {@link #cost()} was found: the least certain basis of any task's ended attempts. */
  public CostBasis costBasis() {
    CostBasis b = CostBasis.MEASURED;
    for (TaskRecord t : tasks) {
      b = b.and(t.costBasis());
    }
    return b;
  }
}
