package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A run held by one engine instance until its lease runs out. Only the holder executes the run's tasks and writes
 * its records; it renews the lease by heartbeat ({@link Store#renewRuns}). When the holder dies, the lease expires and
 * any engine may {@link Store#claimRuns claim} the run: the fencing token grows with each claim, so writes of a holder
 * that lost its lease are refused ({@link Store#updateTask(RunLease, dev.orchestrator.run.TaskRecord, int)}).
 *
 * <p>A record: its shape is final (a lease is its run, its holder, its fencing token and its end).
 *
 * @param project the run's project
 * @param runId the run
 * @param owner the engine instance that holds it
 * @param fence the fencing token of this lease (grows with every claim of the run)
 * @param until when the lease expires, by the store's clock
 * @since 0.1
 */
public record RunLease(String project, String runId, String owner, long fence, Instant until) {
  public RunLease {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(until, "until");
  }

  /** This lease, renewed until {@code until}. */
  public RunLease renewed(Instant until) {
    return new RunLease(project, runId, owner, fence, until);
  }
}
