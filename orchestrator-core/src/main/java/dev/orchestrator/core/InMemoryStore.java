package dev.orchestrator.core;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in memory: for tests and embedding, lost when the process ends. Thread-safe.
 *
 * <p>It keeps every project, run, task and budget, and the most recent events of each project (100,000 by default, see
 * {@link #withEventCapacity(int)}), so a long-lived process does not grow without bound.
 */
public final class InMemoryStore implements Store {
  /** How many events each project keeps by default. */
  public static final int DEFAULT_EVENT_CAPACITY = 100_000;

  private final int eventCapacity;
  private final ConcurrentHashMap<String, ProjectData> projects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<BudgetScope, Budget> budgets = new ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<dev.orchestrator.spi.store.Command> commands =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private InMemoryStore(int eventCapacity) {
    this.eventCapacity = eventCapacity;
  }

  /** A store that keeps the last {@value #DEFAULT_EVENT_CAPACITY} events of each project. */
  public static InMemoryStore create() {
    return new InMemoryStore(DEFAULT_EVENT_CAPACITY);
  }

  /**
   * A store that keeps the last {@code capacity} events of each project.
   *
   * @throws IllegalArgumentException when capacity is negative
   */
  public static InMemoryStore withEventCapacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("event capacity must be >= 0 (was " + capacity + ")");
    }
    return new InMemoryStore(capacity);
  }

  private ProjectData data(String name) {
    return projects.computeIfAbsent(name, k -> new ProjectData(null));
  }

  @Override
  public void createRun(RunRecord run, String definition, List<TaskRecord> tasks) {
    TaskRecord[] array = tasks.toArray(new TaskRecord[0]);
    Map<String, Integer> index = new HashMap<>(array.length * 2);
    for (int i = 0; i < array.length; i++) {
      TaskRecord t = array[i];
      if (!t.project().equals(run.project()) || !t.runId().equals(run.id())) {
        throw new IllegalArgumentException("task '" + t.taskId() + "' belongs to " + t.project() + "/" + t.runId()
            + ", not to " + run.project() + "/" + run.id());
      }
      if (index.put(t.taskId(), i) != null) {
        throw new IllegalArgumentException("task id '" + t.taskId() + "' appears twice in run " + run.id());
      }
    }
    ProjectData p = data(run.project());
    synchronized (p) {
      if (p.runs.containsKey(run.id())) {
        throw new IllegalStateException("run " + run.id() + " already exists in project " + run.project());
      }
      if (p.project == null) {
        p.project = Project.of(run.project(), run.submittedAt(), java.time.ZoneOffset.UTC);
      }
      p.runs.put(run.id(), new RunData(run, definition, array, index));
      p.order.add(run.id());
    }
  }

  @Override
  public void updateRun(RunRecord run) {
    requireRun(run.project(), run.id()).run = run;
  }

  @Override
  public void updateTask(TaskRecord task) {
    RunData data = requireRun(task.project(), task.runId());
    Integer i = data.index.get(task.taskId());
    if (i == null) {
      throw new IllegalArgumentException("run " + task.runId() + " has no task '" + task.taskId() + "'");
    }
    data.tasks[i] = task;
  }

  @Override
  public void append(Event event) {
    if (eventCapacity == 0) {
      return;
    }
    ProjectData p = data(event.project());
    synchronized (p.events) {
      if (p.events.size() == eventCapacity) {
        p.events.pollFirst();
      }
      p.events.addLast(event);
    }
  }

  @Override
  public Optional<RunRecord> run(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? Optional.empty() : Optional.of(d.run);
  }

  @Override
  public Optional<String> definition(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? Optional.empty() : Optional.of(d.definition);
  }

  @Override
  public List<RunRecord> unfinishedRuns() {
    List<RunRecord> out = new ArrayList<>();
    for (ProjectData p : projects.values()) {
      for (RunData d : p.runs.values()) {
        if (d.run.status() == RunStatus.RUNNING) {
          out.add(d.run);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(RunRecord::submittedAt).thenComparing(RunRecord::id));
    return out;
  }

  @Override
  public void createProject(Project project) {
    ProjectData p = data(project.name());
    synchronized (p) {
      if (p.project != null) {
        throw new IllegalStateException("project '" + project.name() + "' already exists");
      }
      p.project = project;
    }
  }

  @Override
  public Optional<Project> project(String name) {
    ProjectData p = projects.get(name);
    return p == null ? Optional.empty() : Optional.ofNullable(p.project);
  }

  @Override
  public void updateProject(Project project) {
    ProjectData p = projects.get(project.name());
    if (p == null || p.project == null) {
      throw new IllegalArgumentException("there is no project '" + project.name() + "'");
    }
    p.project = project;
  }

  @Override
  public List<Project> projectList(boolean includeArchived) {
    List<Project> out = new ArrayList<>();
    for (ProjectData p : projects.values()) {
      Project project = p.project;
      if (project != null && (includeArchived || !project.archived())) {
        out.add(project);
      }
    }
    out.sort(java.util.Comparator.comparing(Project::name));
    return out;
  }

  @Override
  public void submitCommand(dev.orchestrator.spi.store.Command command) {
    commands.add(command);
  }

  @Override
  public List<dev.orchestrator.spi.store.Command> takeCommands() {
    List<dev.orchestrator.spi.store.Command> out = new ArrayList<>();
    dev.orchestrator.spi.store.Command c;
    while ((c = commands.poll()) != null) {
      out.add(c);
    }
    return out;
  }

  @Override
  public void saveBudget(Budget budget) {
    budgets.put(budget.scope(), budget);
  }

  @Override
  public boolean deleteBudget(BudgetScope scope) {
    return budgets.remove(scope) != null;
  }

  @Override
  public List<Budget> budgets() {
    return List.copyOf(budgets.values());
  }

  @Override
  public List<RunRecord> runs(String project) {
    ProjectData p = projects.get(project);
    if (p == null) {
      return List.of();
    }
    synchronized (p) {
      List<RunRecord> out = new ArrayList<>(p.order.size());
      for (String id : p.order) {
        out.add(p.runs.get(id).run);
      }
      return out;
    }
  }

  @Override
  public List<TaskRecord> tasks(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    return d == null ? List.of() : Arrays.asList(d.tasks.clone());
  }

  @Override
  public Optional<TaskRecord> task(String project, String runId, String taskId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    Integer i = d == null ? null : d.index.get(taskId);
    return i == null ? Optional.empty() : Optional.of(d.tasks[i]);
  }

  @Override
  public List<Event> events(String project, String runId) {
    ProjectData p = projects.get(project);
    if (p == null) {
      return List.of();
    }
    List<Event> out = new ArrayList<>();
    synchronized (p.events) {
      for (Event e : p.events) {
        if (e.runId().equals(runId)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private RunData requireRun(String project, String runId) {
    ProjectData p = projects.get(project);
    RunData d = p == null ? null : p.runs.get(runId);
    if (d == null) {
      throw new IllegalArgumentException("project " + project + " has no run " + runId);
    }
    return d;
  }

  @Override
  public String toString() {
    return "InMemoryStore[projects=" + projects.keySet() + "]";
  }

  private static final class ProjectData {
    volatile @Nullable Project project;
    final ConcurrentHashMap<String, RunData> runs = new ConcurrentHashMap<>();
    /** Guarded by the Project's monitor. */
    final List<String> order = new ArrayList<>();
    /** Guarded by its own monitor. */
    final ArrayDeque<Event> events = new ArrayDeque<>();

    ProjectData(@Nullable Project project) {
      this.project = project;
    }
  }

  private static final class RunData {
    volatile RunRecord run;
    final String definition;
    /** Each slot is written by one thread at a time (the engine's) and read by any: a racy read sees a whole record. */
    final TaskRecord[] tasks;
    final Map<String, Integer> index;

    RunData(RunRecord run, String definition, TaskRecord[] tasks, Map<String, Integer> index) {
      this.run = run;
      this.definition = definition;
      this.tasks = tasks;
      this.index = index;
    }
  }
}
