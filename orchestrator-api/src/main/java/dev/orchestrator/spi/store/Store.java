package dev.orchestrator.spi.store;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where engine state lives: projects, runs (with their workflow definition), tasks, events and budget limits. What
 * can be read is {@link StoreView}'s (what an {@code Orchestrator} hands out); this adds the writes and the facets
 * the engine shares between processes.
 * Every run, task and event method is scoped by project: nothing reads or writes across projects except the admin
 * calls that say so ({@link #unfinishedRuns()}, {@link #projectList(boolean)}). Implementations must be thread-safe:
 * the engine writes from its dispatch thread while any thread reads. Every write is all or nothing.
 *
 * <p>A store passes {@code StoreContract} from {@code orchestrator-testkit}.
 *
 * @since 0.1
 */
public interface Store extends StoreView, AutoCloseable {
  // ------------------------------------------------------------------ runs and tasks

  /**
   * Stores a new run, its workflow definition and its tasks, atomically. The run's project is created if it does
   * not exist.
   *
   * @param definition the workflow as the engine serialised it (opaque JSON text), to rebuild the run after a restart
   * @throws IllegalStateException when the run exists already
   */
  void createRun(RunRecord run, String definition, List<TaskRecord> tasks);

  /** Replaces a run's record. */
  void updateRun(RunRecord run);

  /** Replaces a task's record. */
  void updateTask(TaskRecord task);

  /**
   * Replaces a task's record, knowing its position in the list given to {@link #createRun}: a store may use it to
   * skip a lookup by id. The default ignores the position.
   */
  default void updateTask(TaskRecord task, int position) {
    updateTask(task);
  }

  // ------------------------------------------------------------------ events

  /** Appends an event to its project's log (engine-wide events have the empty project name). */
  void append(Event event);

  /**
   * The store's transactional outbox over its event stream: relays turn events into deliveries (notifications) in
   * the same transaction that moves their cursor, and any live process sends them. A store that has one also has
   * the event stream ({@link #eventsAfter}).
   *
   * @throws UnsupportedOperationException when this store keeps no outbox (the default)
   */
  default Outbox outbox() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no outbox: notifications sent"
        + " through it cannot be made durable; use a store that has one (the in-memory or a JDBC store)");
  }

  // ------------------------------------------------------------------ projects

  /**
   * Creates a project.
   *
   * @throws IllegalStateException when it exists already
   */
  void createProject(Project project);

  /** Replaces a project's record (to archive, restore or change its settings). */
  void updateProject(Project project);

  // ------------------------------------------------------------------ budgets

  /** Saves a budget limit, replacing one of the same scope. */
  void saveBudget(Budget budget);

  /** Deletes the limit of a scope; returns whether there was one. */
  boolean deleteBudget(BudgetScope scope);

  // ------------------------------------------------------------------ run leases (many engines, one store)

  /**
   * Whether this store leases runs to engine instances ({@link #claimRuns} and the methods beside it), so any number
   * of engines in any number of processes can share it. Every bundled store does; the engine refuses a store that
   * does not.
   */
  default boolean leasesRuns() {
    return false;
  }

  /**
   * Stores a new run, as {@link #createRun(RunRecord, String, List)} does, held by {@code owner} for {@code lease};
   * with a null owner the run waits for any engine to {@link #claimRuns claim} it.
   *
   * @return the lease, or null when {@code owner} is null
   */
  default @Nullable RunLease createRun(RunRecord run, String definition, List<TaskRecord> tasks,
      @Nullable String owner, Duration lease) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Stores a new run as {@link #createRun(RunRecord, String, List, String, Duration)} does, with a definition that
   * is written out only when needed: a store that keeps runs in memory may keep {@code definition} and call it only
   * when {@link #definition} is read, sparing the text of a large workflow. The default calls it at once.
   *
   * @param definition gives the same text on every call; thread-safe
   * @return the lease, or null when {@code owner} is null
   */
  default @Nullable RunLease createRun(RunRecord run, Supplier<String> definition, List<TaskRecord> tasks,
      @Nullable String owner, Duration lease) {
    return createRun(run, definition.get(), tasks, owner, lease);
  }

  /**
   * Claims up to {@code max} runs whose status is {@code RUNNING} and that no live lease holds (never claimed, or the
   * lease expired, or released), oldest first, for {@code owner}; each claim's fencing token is greater than any
   * before it. In the same transaction, the reservations made under the runs' previous leases are released
   * ({@link Ledger}).
   */
  default List<RunLease> claimRuns(String owner, int max, Duration lease) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Reads what an engine needs to take over the runs it just claimed ({@link #claimRuns}), in the order of
   * {@code leases}: each run's record, definition, tasks and recorded agent processes. A run that no longer exists is
   * left out. The default reads each run apart; a store that talks to a database should read them together, since
   * an engine claiming a queue of short runs does this for every batch it claims.
   *
   * @since 0.1
   */
  default List<ClaimedRun> claimedRuns(List<RunLease> leases) {
    List<ClaimedRun> found = new java.util.ArrayList<>(leases.size());
    for (RunLease lease : leases) {
      Optional<RunRecord> run = run(lease.project(), lease.runId());
      if (run.isPresent()) {
        found.add(ClaimedRun.of(lease, run.get(), definition(lease.project(), lease.runId()).orElse(""),
            tasks(lease.project(), lease.runId()), agentProcesses(lease.project(), lease.runId())));
      }
    }
    return found;
  }

  /**
   * Renews the leases {@code owner} holds.
   *
   * @return the leases it no longer holds (expired and claimed by another, or released): stop their runs
   */
  default List<RunLease> renewRuns(String owner, Collection<RunLease> held, Duration lease) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Gives a run up (it finished, or its engine closes), so another engine may claim it at once if it still runs.
   * Does nothing when the lease is no longer held.
   */
  default void releaseRun(RunLease lease) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Takes one run for {@code owner} when no live lease holds it (to steer a run whose engine stopped, or to resume a
   * task of a finished one), in one transaction: a run that is {@code RUNNING} with no live lease is claimed as
   * {@link #claimRuns} would; a finished run becomes {@code RUNNING} again (finish time and cancellation cleared)
   * under a new lease. The new fence is greater than any before it, and reservations of older leases are released.
   *
   * @return the lease, or empty when the run does not exist or a live lease holds it (then steer it by command)
   */
  default Optional<RunLease> acquireRun(String project, String runId, String owner, Duration lease) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Replaces a task's record if {@code lease} still holds its run (see {@link #updateTask(TaskRecord, int)}).
   *
   * @return false when the lease was lost: nothing was changed
   */
  default boolean updateTask(RunLease lease, TaskRecord task, int position) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Replaces a run's record if {@code lease} still holds it.
   *
   * @return false when the lease was lost: nothing was changed
   */
  default boolean updateRun(RunLease lease, RunRecord run) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /** The lease that holds a run now, if a live one does (for status displays and command routing). */
  default Optional<RunLease> lease(String project, String runId) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /** The budget accounts, shared by every process that uses this store. */
  default Ledger ledger() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no budget accounts");
  }

  /** What one budget account has spent and holds reserved: the {@link #ledger()}'s balance. */
  @Override
  default Balance balance(Account account) {
    return ledger().balance(account);
  }

  /** What each budget account has spent and holds reserved: the {@link #ledger()}'s balances. */
  @Override
  default List<Balance> balances() {
    return ledger().balances();
  }

  /**
   * The providers' circuit breakers and rate windows, shared by every process that uses this store, so a provider
   * that fails in one process is left alone by all of them and a rate limit holds across them (see
   * {@link ProviderHealth}).
   *
   * @throws UnsupportedOperationException when this store keeps no provider health (the default)
   */
  default ProviderHealth providerHealth() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no provider health: circuit breakers"
        + " and rate limits cannot be shared through it; use a store that does (the in-memory or a JDBC store)");
  }

  /** The {@link #providerHealth()}'s circuit of a provider, or empty when this store keeps no provider health. */
  @Override
  default Optional<ProviderHealth.Circuit> circuit(String provider, java.time.Instant now) {
    try {
      return Optional.of(providerHealth().circuit(provider, now));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ pauses (every engine honours them)

  /** Stores a pause, replacing one of the same kind and name. */
  default void savePause(Pause pause) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no pauses");
  }

  /** Deletes a pause; returns whether there was one. */
  default boolean deletePause(Pause.Kind kind, String name) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no pauses");
  }

  // ------------------------------------------------------------------ commands between processes

  /**
   * Removes and returns, oldest first, the pending commands for the runs that {@code owner} holds a lease on (see
   * {@link #claimRuns}); commands for other runs stay for their holders.
   */
  default List<Command> takeCommands(String owner) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not lease runs");
  }

  /**
   * Queues a command for the engine that runs the project, possibly in another process.
   *
   * @throws UnsupportedOperationException when this store cannot pass commands between processes
   */
  default void submitCommand(Command command) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot pass commands between processes");
  }

  /** Removes and returns the pending commands, oldest first; an engine calls it about once a second. */
  default List<Command> takeCommands() {
    return List.of();
  }

  /**
   * Runs {@code work} so that the writes it makes through this store (and its facets, such as the {@link #ledger()})
   * are kept together or not at all: a process that dies in the middle leaves none of them. The engine ends a call
   * this way, so that what the call cost, the attempt that records it and the task's new state never part.
   *
   * <p>The work is run once, on the calling thread, and must not wait for other threads' writes to this store.
   * When it throws, nothing it wrote is kept and the exception is thrown on. A write that the work chose to skip
   * (a fenced write refused because the lease was lost) does not undo the others.
   *
   * <p>Called inside such a block on the same thread, it runs {@code work} as a nested block of the same transaction:
   * when the nested work throws, only what it wrote is undone and the outer block goes on. A durable store's engine
   * writes each pass of its loop in one block (group commit) and ends each call in a nested one.
   *
   * <p>The default runs the work as it is: right for a store whose contents die with its process (the in-memory
   * store), where no other process can see a half-done step.
   *
   * @param work the writes to keep together; its result is returned
   */
  default <T> T atomically(java.util.function.Supplier<T> work) {
    return work.get();
  }

  /**
   * Records a process that a provider started for a call of a run this store's engines execute (a command-line
   * agent), with the engine that owns it. The default keeps nothing: right for a store whose contents die with its
   * process, as its engines' processes do.
   */
  default void saveAgentProcess(AgentProcess process) {}

  /** Forgets a recorded process (it ended, or was ended), by its host, pid and start time. The default does nothing. */
  default void deleteAgentProcess(AgentProcess process) {}

  /** Releases the store's resources. Idempotent. */
  @Override
  default void close() {}
}
