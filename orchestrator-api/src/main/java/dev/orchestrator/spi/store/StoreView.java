package dev.orchestrator.spi.store;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import java.util.List;
import java.util.Optional;

/**
 * What can be read of a {@link Store}: projects, runs, tasks, events, budgets, balances and pauses, as every process
 * sharing the store sees them. This is what an {@code Orchestrator} hands out for dashboards and reports: nothing
 * read through it changes state, so steering goes through the engine's own methods, which check and record what
 * they do. Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface StoreView {
  /** The workflow definition a run was created with. */
  Optional<String> definition(String project, String runId);

  /** A run, if the project has it. */
  Optional<RunRecord> run(String project, String runId);

  /** The project's runs, oldest first. */
  List<RunRecord> runs(String project);

  /**
   * The runs of {@code runIds} that the project has, in the order of {@code runIds}; an id the project does not have
   * is left out. The default reads them one at a time; a store over a database should read them together, since an
   * engine asks this every second for the runs it waits on.
   *
   * @since 0.1
   */
  default List<RunRecord> runs(String project, java.util.Collection<String> runIds) {
    List<RunRecord> found = new java.util.ArrayList<>(runIds.size());
    for (String id : runIds) {
      run(project, id).ifPresent(found::add);
    }
    return found;
  }

  /** Admin: every run of every project whose status is {@code RUNNING}, oldest first; used to recover after a restart. */
  List<RunRecord> unfinishedRuns();

  /** A run's tasks, in the order they were created. */
  List<TaskRecord> tasks(String project, String runId);

  /** One task, if the project's run has it. */
  Optional<TaskRecord> task(String project, String runId, String taskId);

  /** A run's events, oldest first; a store may keep only the most recent ones and says so in its documentation. */
  List<Event> events(String project, String runId);

  /**
   * The events of every project appended after {@code sequence}, in sequence order, at most {@code max} of them: the
   * event stream that every process reads (progress, {@code logs --follow}, the dashboard, notifications). Start
   * from 0 for the oldest the store still has, or from {@link #lastEventSequence()} for only new ones.
   *
   * <p>A store whose appends commit out of sequence order (concurrent transactions) must not hand out an event
   * while an earlier sequence number may still commit: readers never go back.
   *
   * @throws IllegalArgumentException when {@code sequence} is negative or {@code max} is not positive
   */
  default List<StoredEvent> eventsAfter(long sequence, int max) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no event stream");
  }

  /** The sequence number of the newest event appended, or 0 when there is none. */
  default long lastEventSequence() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no event stream");
  }

  /** A project, archived or not. */
  Optional<Project> project(String name);

  /** Admin: every project, sorted by name; archived ones only when asked. */
  List<Project> projectList(boolean includeArchived);

  /** The names of every project that is not archived, sorted. */
  default List<String> projects() {
    return projectList(false).stream().map(Project::name).toList();
  }

  /** Every budget limit. */
  List<Budget> budgets();

  /** Every stored pause. */
  default List<Pause> pauses() {
    return List.of();
  }

  /**
   * Whether what is written survives the process: then the engine stores each run's workflow definition and, when it
   * starts, recovers the unfinished runs. False by default.
   */
  default boolean durable() {
    return false;
  }

  /** The recorded processes of a run, in no particular order. The default has none. */
  default List<AgentProcess> agentProcesses(String project, String runId) {
    return List.of();
  }

  /**
   * A provider's shared circuit breaker as of {@code now}, or empty when the store keeps no provider health.
   */
  default Optional<ProviderHealth.Circuit> circuit(String provider, java.time.Instant now) {
    return Optional.empty();
  }

  /** What one budget account has spent and holds reserved; nothing by default. */
  default Balance balance(Account account) {
    return Balance.builder(account).build();
  }

  /**
   * What each budget account has spent and holds reserved, shared by every process that uses the store; none by
   * default.
   */
  default List<Balance> balances() {
    return List.of();
  }
}
