package dev.orchestrator.run;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run at one moment: immutable.
 *
 * @param project the project it runs in
 * @param id the run's id
 * @param workflow the workflow's name
 * @param status where it stands
 * @param params the parameter values it was submitted with (defaults filled in)
 * @param submittedAt when it was submitted
 * @param finishedAt when it last finished, or null while running
 * @param cancellation who cancelled the run and why, or null
 * @since 0.1
 */
public record RunRecord(String project, String id, String workflow, RunStatus status, Map<String, String> params,
    Instant submittedAt, @Nullable Instant finishedAt, @Nullable Cancellation cancellation) {
  public RunRecord {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(status, "status");
    params = Map.copyOf(params);
    Objects.requireNonNull(submittedAt, "submittedAt");
  }

  /** This run with another status. */
  public RunRecord withStatus(RunStatus status, @Nullable Instant finishedAt) {
    return new RunRecord(project, id, workflow, status, params, submittedAt, finishedAt, cancellation);
  }

  /** This run, cancelled. */
  public RunRecord withCancellation(@Nullable Cancellation cancellation) {
    return new RunRecord(project, id, workflow, status, params, submittedAt, finishedAt, cancellation);
  }
}
