package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Objects;

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
 */
public record Claim(String project, String runId, String taskId, long fence, int attempt, Instant leaseUntil) {
  public Claim {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
  }
}
