package dev.orchestrator.spi.provider;

import java.util.Objects;

/**
 * Which task asks, for a provider's logs and metrics.
 *
 * @param project the project
 * @param runId the run
 * @param taskId the task
 * @param attempt 1 for the first attempt
 */
public record CallContext(String project, String runId, String taskId, int attempt) {
  public CallContext {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
  }
}
