package dev.orchestrator.event;

import dev.orchestrator.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * Shadow evaluation compared two answers to a task that had succeeded: the incumbent's (the task's own output, which
 * the comparison never changes) and a cheaper challenger's, made with the same prompt; a judge said which is better.
 * The statistics count these per challenger and task type, and promote a challenger that wins often enough. The
 * comparison's calls were made by a run of its own ({@code comparisonRunId}), in the task's project; this event names
 * the task it compared ({@code runId}, {@code taskId}).
 *
 * @param taskType the task's type
 * @param incumbent the provider instance whose answer the task kept
 * @param challenger the cheaper provider instance that answered beside it
 * @param winner {@code incumbent} or {@code challenger}: whose answer the judge preferred
 * @param judge the provider instance that judged
 * @param reason the judge's reason, in words
 * @param cost what the challenger's calls and the judge's calls cost together
 * @param comparisonRunId the run that made the comparison's calls
 * @param promoteWins with {@code promoteWindow}: the promotion rule of the engine that compared (a challenger that
 *     won {@code promoteWins} of its last {@code promoteWindow} comparisons on the type is promoted), carried so that
 *     every reader of the stream promotes alike
 * @param promoteWindow see {@code promoteWins}; both 0 (a rule not written) read as 3 of 5
 * @since 0.1
 */
public record ShadowComparedEvent(String project, String runId, String taskId, Instant at, String taskType,
    String incumbent, String challenger, String winner, String judge, String reason, Money cost,
    String comparisonRunId, int promoteWins, int promoteWindow) implements TaskEvent {
  public ShadowComparedEvent {
    if (promoteWins == 0 && promoteWindow == 0) {
      // Written without a rule (before events carried it): the default, 3 of 5.
      promoteWins = 3;
      promoteWindow = 5;
    }
    if (promoteWins < 1 || promoteWins > promoteWindow) {
      throw new IllegalArgumentException("promotion needs 1 <= promoteWins <= promoteWindow (was " + promoteWins
          + " of " + promoteWindow + ")");
    }
    Objects.requireNonNull(comparisonRunId, "comparisonRunId");
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
