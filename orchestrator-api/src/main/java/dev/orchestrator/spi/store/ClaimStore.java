package dev.orchestrator.spi.store;

import dev.orchestrator.run.TaskRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A store that many worker processes share: tasks are claimed with leases, and every state change that matters to
 * more than one worker happens in the store, atomically. A task is never lost (an expired lease puts it back) and
 * never recorded as succeeded twice (results are fenced).
 *
 * <p>The protocol:
 * <ol>
 *   <li>A client creates the run ({@link Store#createRun}) and calls {@link #enqueue}: tasks without dependencies
 *       become {@code READY} in their lanes, the others wait with a count of unfinished dependencies.</li>
 *   <li>A worker {@link #claim claims} ready tasks, highest lane first and oldest first within a lane (a task
 *       waiting longer than the boost interval counts one lane higher), each with a lease and a new fencing
 *       token; the task becomes {@code RUNNING} and its attempt count goes up.</li>
 *   <li>While it works, the worker {@link #heartbeat renews} its leases and learns which claims it lost or whose
 *       task was cancelled; it stops those calls.</li>
 *   <li>It {@link #finish finishes} each claim in one transaction guarded by the fencing token: the task's record is
 *       stored; on success its dependants' counts go down and those reaching zero become {@code READY}; on a final
 *       failure or cancellation its dependants are skipped; a retry waits in {@code RETRY_WAIT} until
 *       {@code retryAt}; the run finishes when its last task does; the call's reservation is settled.</li>
 *   <li>Any worker periodically {@link #sweep sweeps}: expired leases go back to {@code READY} (never for a task of
 *       a finished or cancelled run), and due retries become {@code READY}.</li>
 * </ol>
 * Budget reservations are conditional updates ({@link #reserve}), so a hard limit holds across workers.
 *
 * @since 0.1
 */
public interface ClaimStore extends Store {
  /**
   * Queues a created run's tasks: those without dependencies become {@code READY}, the others wait.
   *
   * @param dependsOn each task's dependencies, by task id (every task of the run appears)
   */
  void enqueue(String project, String runId, Map<String, List<String>> dependsOn);

  /**
   * Claims up to {@code max} ready tasks for {@code worker}, each with a lease of {@code lease} from the store's
   * clock; never the same task to two workers.
   *
   * @param boost how long a ready task waits in its lane before it counts one lane higher
   */
  List<Claim> claim(String worker, int max, Duration lease, Duration boost);

  /**
   * Renews the leases of the claims a worker holds.
   *
   * @return the held claims that are no longer valid (lost to another worker, or the task was cancelled): stop them
   */
  List<Claim> heartbeat(String worker, List<Claim> held, Duration lease);

  /**
   * Ends a claimed attempt atomically, if the claim's fencing token still holds.
   *
   * @param record the task as it should now be stored: SUCCEEDED, FAILED, CANCELLED or RETRY_WAIT (with
   *     {@code retryAt}) or AWAITING_INPUT
   * @param retryAt when a task in RETRY_WAIT becomes ready again, else null
   * @param reserved the amount reserved for the call, released on every account of {@code accounts}
   * @param actual what the call cost, added to every account of {@code accounts}
   * @return false when the claim was lost: nothing was changed
   */
  boolean finish(Claim claim, TaskRecord record, java.time.@Nullable Instant retryAt, List<Account> accounts,
      BigDecimal reserved, BigDecimal actual);

  /** Puts expired leases and due retries back in their lanes; returns how many tasks it moved. */
  int sweep();

  /**
   * Reserves {@code amount} on every account, or on none, under the stored limits.
   *
   * @param implicitTaskLimit a task's own maxCost, for its task account when no limit is stored for it, or null
   * @return null when reserved, else the scope whose limit it would break
   */
  dev.orchestrator.budget.@Nullable BudgetScope reserve(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit);

  /** What an account has spent so far. */
  BigDecimal spent(Account account);
}
