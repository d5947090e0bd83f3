package dev.orchestrator.spi.store;

import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task claimed by one worker for one attempt, until its lease runs out. The fencing token grows with every claim
 * of the task, so a worker that lost its lease (and so its token) cannot record a late result.
 *
 * @param project the project
 * @param runId the run
 * @param taskId the task
 * @param fence the fencing token of this claim
 * @param attempt the attempt number this claim makes (1 for the first)
 * @param leaseUntil when the lease expires, by the store's clock
 * @since 0.1
 */
public record Claim(String project, String runId, String taskId, long fence, int attempt, Instant leaseUntil) {
  public Claim {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
  }

  /**
   * Checks that {@code record} may end this claim, as {@link ClaimStore#finish} requires: a final or waiting state,
   * a {@code retryAt} for RETRY_WAIT, and the claimed task's ids. Stores call it before they change anything.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public void checkFinish(TaskRecord record, @Nullable Instant retryAt) {
    Objects.requireNonNull(record, "record");
    TaskState to = record.state();
    if (to != TaskState.SUCCEEDED && to != TaskState.FAILED && to != TaskState.CANCELLED
        && to != TaskState.RETRY_WAIT && to != TaskState.AWAITING_INPUT) {
      throw new IllegalArgumentException("a claim finishes as SUCCEEDED, FAILED, CANCELLED, RETRY_WAIT or "
          + "AWAITING_INPUT (was " + to + " for task '" + record.taskId() + "')");
    }
    if (to == TaskState.RETRY_WAIT && retryAt == null) {
      throw new IllegalArgumentException("a task in RETRY_WAIT needs retryAt (was null for task '" + record.taskId()
          + "'): pass when it may run again");
    }
    if (!record.project().equals(project) || !record.runId().equals(runId)
        || !record.taskId().equals(taskId)) {
      throw new IllegalArgumentException("record of " + record.project() + "/" + record.runId() + "/"
          + record.taskId() + " does not belong to the claim on " + project + "/" + runId + "/"
          + taskId);
    }
  }
}
