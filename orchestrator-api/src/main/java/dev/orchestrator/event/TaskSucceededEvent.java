package dev.orchestrator.event;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.run.TaskState;
import java.time.Instant;

/**
 * A task finished with an output.
 *
 * @param provider the provider whose answer was accepted
 * @param usage the tokens of the call that ended it
 * @param cost what that call cost
 * @param costBasis how that cost was found: measured, estimated at its reservation (a reply from an unpriced model
 *     under a budget), or unpriced (recorded at zero)
 *
 * @since 0.1
 */
public record TaskSucceededEvent(String project, String runId, String taskId, Instant at, TaskState from,
    String provider, TokenUsage usage, Money cost, CostBasis costBasis) implements TaskTransitionEvent {
  public TaskSucceededEvent {
    if (costBasis == null) {
      costBasis = CostBasis.MEASURED; // events stored before the basis was recorded
    }
  }

  /** A task that succeeded with a measured cost. */
  public TaskSucceededEvent(String project, String runId, String taskId, Instant at, TaskState from,
      String provider, TokenUsage usage, Money cost) {
    this(project, runId, taskId, at, from, provider, usage, cost, CostBasis.MEASURED);
  }

  @Override
  public TaskState to() {
    return TaskState.SUCCEEDED;
  }
}
