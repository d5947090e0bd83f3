package dev.orchestrator.spi.store;

import dev.orchestrator.event.Event;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import java.util.List;
import java.util.Optional;

/**
 * Where runs, tasks and events are kept. Every method is scoped by project: nothing reads or writes across
 * projects. Implementations must be thread-safe; the engine writes from its dispatch thread while any thread
 * reads.
 *
 * <p>Writes are all-or-nothing: {@link #createRun} stores the run and all its tasks, or nothing.
 */
public interface Store extends AutoCloseable {
  /** Stores a new run and its tasks, atomically. */
  void createRun(RunRecord run, List<TaskRecord> tasks);

  /** Replaces a run's record. */
  void updateRun(RunRecord run);

  /** Replaces a task's record. */
  void updateTask(TaskRecord task);

  /** Appends an event to its project's log. */
  void append(Event event);

  /** A run, if the project has it. */
  Optional<RunRecord> run(String project, String runId);

  /** The names of every project with at least one run, sorted. */
  List<String> projects();

  /** The project's runs, oldest first. */
  List<RunRecord> runs(String project);

  /** A run's tasks, in the order they were created. */
  List<TaskRecord> tasks(String project, String runId);

  /** One task, if the project's run has it. */
  Optional<TaskRecord> task(String project, String runId, String taskId);

  /** A run's events, oldest first; a store may keep only the most recent ones and says so in its documentation. */
  List<Event> events(String project, String runId);

  /** Releases the store's resources. Idempotent. */
  @Override
  default void close() {}
}
