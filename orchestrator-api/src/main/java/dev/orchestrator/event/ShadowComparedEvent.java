package dev.orchestrator.event;

import dev.orchestrator.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * Shadow evaluation compared two answers to a task that had succeeded: the incumbent's (the task's own output, which
 * the comparison never changes) and a cheaper challenger's, made with the same prompt; a judge said which is better.
 * The statistics count these per challenger and task type, and promote a challenger that wins often enough.
 *
 * @param taskType the task's type
 * @param incumbent the provider instance whose answer the task kept
 * @param challenger the cheaper provider instance that answered beside it
 * @param winner {@code incumbent} or {@code challenger}: whose answer the judge preferred
 * @param judge the provider instance that judged
 * @param reason the judge's reason, in words
 * @param cost what the challenger's call and the judge's call cost together
 * @since 0.1
 */
public record ShadowComparedEvent(String project, String runId, String taskId, Instant at, String taskType,
    String incumbent, String challenger, String winner, String judge, String reason, Money cost)
    implements TaskEvent {
  public ShadowComparedEvent {
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(incumbent, "incumbent");
    Objects.requireNonNull(challenger, "challenger");
    Objects.requireNonNull(winner, "winner");
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cost, "cost");
  }

  /** Whether the judge preferred the challenger's answer. */
  public boolean challengerWon() {
    return winner.equals(challenger);
  }
}
