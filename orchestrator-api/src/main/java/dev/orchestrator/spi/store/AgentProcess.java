package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An operating-system process that a provider started for one attempt of a task (a command-line agent), recorded in
 * the store with the engine that owns it, so that an engine that takes the run over after its owner died can end it.
 * A process is named by its host, its pid and its start time together: a pid alone may have been reused.
 *
 * @param project the run's project
 * @param runId the run
 * @param taskId the task whose call started the process
 * @param attempt the attempt number of that call
 * @param host the host name of the machine the process runs on
 * @param pid its process id on that host
 * @param processStart when the operating system says it started (its identity with the pid)
 * @param owner the engine that started it (the holder of the run's lease then)
 * @since 0.1
 */
public record AgentProcess(String project, String runId, String taskId, int attempt, String host, long pid,
    Instant processStart, String owner) {
  public AgentProcess {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(processStart, "processStart");
    Objects.requireNonNull(owner, "owner");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be > 0 (was " + pid + ")");
    }
  }
}
