package dev.orchestrator.cli.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared store as one engine of the command line sees it. The engine recovers every unfinished run of its store
 * when it starts, and takes every pending command; several processes share the embedded store, so each engine gets
 * this view: {@link #unfinishedRuns()} lists only the runs this engine adopts, and {@link #takeCommands()} hands
 * it only the commands for its runs (the others go back into the queue for the process that runs them).
 * An engine that only reads (status, plans, reports) adopts nothing and takes no command.
 * Closing it leaves the shared store open. Thread-safe.
 */
public final class ScopedStore implements Store {
  private final Store delegate;
  private final Commands commands;
  /** Run ids this engine executes. */
  private final Set<String> owned = ConcurrentHashMap.newKeySet();

  private ScopedStore(Store delegate, Commands commands, Set<String> adopt) {
    this.delegate = delegate;
    this.commands = commands;
    this.owned.addAll(adopt);
  }

  /** A view that adopts nothing: for an engine that reads, plans and reports. */
  public static ScopedStore observer(Store delegate, Commands commands) {
    return new ScopedStore(delegate, commands, Set.of());
  }

  /** A view that adopts the given unfinished runs (and later the runs {@link #own owned}). */
  public static ScopedStore adopting(Store delegate, Commands commands, Set<String> runIds) {
    return new ScopedStore(delegate, commands, runIds);
  }

  /** Marks a run submitted through this engine as its own, so commands for it reach it. */
  public void own(String runId) {
    owned.add(runId);
  }

  /** The runs this engine executes. */
  public Set<String> owned() {
    return Set.copyOf(owned);
  }

  @Override
  public List<RunRecord> unfinishedRuns() {
    if (owned.isEmpty()) {
      return List.of();
    }
    return delegate.unfinishedRuns().stream().filter(r -> owned.contains(r.id())).toList();
  }

  @Override
  public List<Command> takeCommands() {
    if (owned.isEmpty()) {
      return List.of();
    }
    List<Command> mine = new ArrayList<>();
    for (Command c : commands.take()) {
      if (isMine(c)) {
        mine.add(c);
      } else {
        commands.submit(c);
      }
    }
    return mine;
  }

  private boolean isMine(Command c) {
    if (c.runId() != null) {
      return owned.contains(c.runId());
    }
    if (c.kind() == Command.Kind.ANSWER && c.target() != null) {
      for (String runId : owned) {
        for (TaskRecord t : delegate.tasks(c.project(), runId)) {
          if (t.question() != null && t.question().id().equals(c.target())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public void close() {
    // the shared store is closed by its owner
  }

  // ---------------------------------------------------------------- plain delegation

  @Override
  public void createRun(RunRecord run, String definition, List<TaskRecord> tasks) {
    delegate.createRun(run, definition, tasks);
  }

  @Override
  public Optional<String> definition(String project, String runId) {
    return delegate.definition(project, runId);
  }

  @Override
  public void updateRun(RunRecord run) {
    delegate.updateRun(run);
  }

  @Override
  public void updateTask(TaskRecord task) {
    delegate.updateTask(task);
  }

  @Override
  public Optional<RunRecord> run(String project, String runId) {
    return delegate.run(project, runId);
  }

  @Override
  public List<RunRecord> runs(String project) {
    return delegate.runs(project);
  }

  @Override
  public List<TaskRecord> tasks(String project, String runId) {
    return delegate.tasks(project, runId);
  }

  @Override
  public Optional<TaskRecord> task(String project, String runId, String taskId) {
    return delegate.task(project, runId, taskId);
  }

  @Override
  public void append(Event event) {
    delegate.append(event);
  }

  @Override
  public List<Event> events(String project, String runId) {
    return delegate.events(project, runId);
  }

  @Override
  public List<dev.orchestrator.spi.store.StoredEvent> eventsAfter(long sequence, int max) {
    return delegate.eventsAfter(sequence, max);
  }

  @Override
  public long lastEventSequence() {
    return delegate.lastEventSequence();
  }

  @Override
  public void createProject(Project project) {
    delegate.createProject(project);
  }

  @Override
  public Optional<Project> project(String name) {
    return delegate.project(name);
  }

  @Override
  public void updateProject(Project project) {
    delegate.updateProject(project);
  }

  @Override
  public List<Project> projectList(boolean includeArchived) {
    return delegate.projectList(includeArchived);
  }

  @Override
  public void saveBudget(Budget budget) {
    delegate.saveBudget(budget);
  }

  @Override
  public boolean deleteBudget(BudgetScope scope) {
    return delegate.deleteBudget(scope);
  }

  @Override
  public List<Budget> budgets() {
    return delegate.budgets();
  }

  @Override
  public void submitCommand(Command command) {
    commands.submit(command);
  }
}
