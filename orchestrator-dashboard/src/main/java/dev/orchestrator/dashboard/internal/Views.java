package dev.orchestrator.dashboard.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.WaitingReasons;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoreView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The read side: what the pages show, read from the store on every call, whichever process executes the runs: runs
 * and tasks, questions, pauses, spending and budgets as every engine sharing the store wrote them. Only the circuit
 * breakers (which each engine keeps for itself) and the list of providers come from this process's engine.
 * Thread-safe. Nothing here carries a secret: the records hold names, states and money only.
 */
final class Views {
  private final Orchestrator orchestrator;
  private final StoreView store;
  private final DashboardOptions options;
  private final CostViews costs;
  /** The statistics of the store's event stream, caught up on each request for the learning view. */
  private final dev.orchestrator.core.learn.OutcomeProjection outcomes;

  Views(Orchestrator orchestrator, DashboardOptions options) {
    this.orchestrator = orchestrator;
    this.store = orchestrator.store();
    this.options = options;
    this.costs = new CostViews(orchestrator, this::projects);
    this.outcomes = dev.orchestrator.core.learn.OutcomeProjection.builder()
        .taskTypes(dev.orchestrator.core.learn.TaskTypes.fromStore(store)).build();
  }

  /** The session page: what the script needs to start. */
  record SessionView(String csrf, List<String> projects, @Nullable String defaultProject, boolean tokenRequired,
      Planning.Status planning, boolean scheduling) {}

  /**
   * The learning view: each provider's figures on each task type and the recommendations in words, as
   * {@code orchestrator learn report} shows them.
   */
  record LearningView(String project, Instant at, int minSamples,
      List<dev.orchestrator.core.learn.LearningReport.Figures> figures, List<String> recommendations,
      List<dev.orchestrator.core.learn.LearningReport.Shadow> shadows) {}

  record ProjectView(String name, boolean paused, @Nullable String pauseReason, int runs, int running) {}

  record TaskView(String project, String runId, String taskId, String title, TaskState state, Priority lane,
      @Nullable String provider, int attempts, Money cost, CostBasis costBasis, @Nullable ErrorKind errorKind,
      @Nullable String error, @Nullable Cancellation cancellation, @Nullable String questionId,
      @Nullable String question, Instant updatedAt, List<String> actions, @Nullable String waiting) {}

  /** A run; {@code controllable} is always true: any engine steers any run of the store (kept for old clients). */
  record RunView(String project, String id, String workflow, RunStatus status, Instant submittedAt,
      @Nullable Instant finishedAt, Money cost, Map<TaskState, Integer> counts, boolean controllable,
      List<TaskView> tasks) {}

  record ProviderView(String name, String state, CircuitState circuit, int inFlight, int waiting, Money todaySpend,
      Money totalSpend) {}

  /** The projects to show: the configured ones, else every project with a run plus the default. */
  List<String> projects() {
    if (!options.projects().isEmpty()) {
      return options.projects();
    }
    LinkedHashSet<String> all = new LinkedHashSet<>();
    options.defaultProject().ifPresent(all::add);
    all.addAll(orchestrator.projects());
    return List.copyOf(all);
  }

  /** The project to open first, or null when none is known yet. */
  @Nullable String defaultProject() {
    if (options.defaultProject().isPresent()) {
      return options.defaultProject().get();
    }
    List<String> all = projects();
    return all.isEmpty() ? null : all.get(0);
  }

  /** Whether the dashboard shows this project: every project unless a list is configured. */
  boolean shows(String project) {
    return options.projects().isEmpty() || options.projects().contains(project);
  }

  /**
   * Checks that the dashboard shows this project.
   *
   * @throws ApiException 404 when a project list is configured and does not include it
   */
  String checkProject(String project) {
    if (!shows(project)) {
      throw new ApiException(404, "project '" + project + "' is not shown by this dashboard (shown: "
          + options.projects() + "): pick one of those");
    }
    return project;
  }

  /** The stored pauses of one kind: name to reason. */
  private Map<String, String> pauses(Pause.Kind kind) {
    Map<String, String> out = new HashMap<>();
    for (Pause p : store.pauses()) {
      if (p.kind() == kind) {
        out.put(p.name(), p.reason());
      }
    }
    return out;
  }

  List<ProjectView> projectViews() {
    Map<String, String> paused = pauses(Pause.Kind.PROJECT);
    List<ProjectView> out = new ArrayList<>();
    for (String p : projects()) {
      List<RunRecord> runs = store.runs(p);
      int running = (int) runs.stream().filter(r -> r.status() == RunStatus.RUNNING).count();
      String pause = paused.get(p);
      out.add(new ProjectView(p, pause != null, pause, runs.size(), running));
    }
    return out;
  }

  /** The newest runs of a project first, with their tasks. */
  List<RunView> runs(String project, int limit) {
    List<RunRecord> runs = new ArrayList<>(store.runs(checkProject(project)));
    runs.sort(Comparator.comparing(RunRecord::submittedAt).thenComparing(RunRecord::id).reversed());
    List<RunView> out = new ArrayList<>();
    for (RunRecord r : runs.subList(0, Math.min(limit, runs.size()))) {
      out.add(runView(r));
    }
    return out;
  }

  RunView run(String project, String runId) {
    return runView(runRecord(project, runId));
  }

  /**
   * A stored run.
   *
   * @throws ApiException 404 when the project (shown by this dashboard) has no such run
   */
  RunRecord runRecord(String project, String runId) {
    return store.run(checkProject(project), runId).orElseThrow(() -> new ApiException(404,
        "project '" + project + "' has no run '" + runId + "': list them with GET /api/projects/{project}/runs"));
  }

  /**
   * A stored task.
   *
   * @throws ApiException 404 when the run has no such task
   */
  TaskRecord taskRecord(RunRecord run, String taskId) {
    return store.task(run.project(), run.id(), taskId).orElseThrow(() -> new ApiException(404, "run '" + run.id()
        + "' has no task '" + taskId + "': list its tasks with GET /api/projects/{project}/runs/{run}"));
  }

  private RunView runView(RunRecord r) {
    List<TaskRecord> tasks = store.tasks(r.project(), r.id());
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    Money cost = Money.ZERO;
    List<TaskView> views = new ArrayList<>(tasks.size());
    // Why each task that is not moving waits, as every process sees it in the store.
    Map<String, String> waiting = r.status().isFinished() ? Map.of()
        : WaitingReasons.of(store, new RunSnapshot(r, tasks), Instant.now());
    for (TaskRecord t : tasks) {
      counts.merge(t.state(), 1, Integer::sum);
      cost = cost.plus(t.cost());
      views.add(taskView(t, waiting.get(t.taskId())));
    }
    return new RunView(r.project(), r.id(), r.workflow(), r.status(), r.submittedAt(), r.finishedAt(), cost, counts,
        true, views);
  }

  /** What the pages offer for a task in this state (app.js applies the same rule to states pushed by events). */
  static List<String> actions(TaskState s) {
    List<String> actions = new ArrayList<>(3);
    if (!s.isTerminal()) {
      actions.add("cancel");
    }
    if (s == TaskState.FAILED) {
      actions.add("retry");
    }
    if (s == TaskState.CANCELLED) {
      actions.add("resume");
    }
    if (!s.isTerminal() && s != TaskState.RUNNING) {
      actions.add("priority");
    }
    return actions;
  }

  private static TaskView taskView(TaskRecord t) {
    return taskView(t, null);
  }

  private static TaskView taskView(TaskRecord t, @Nullable String waiting) {
    Question q = t.question();
    boolean open = q != null && q.isOpen();
    return new TaskView(t.project(), t.runId(), t.taskId(), t.title(), t.state(), t.lane(), t.provider(),
        t.attempts().size(), t.cost(), t.costBasis(), t.errorKind(), t.error(), t.cancellation(), open ? q.id() : null,
        open ? q.text() : null, t.updatedAt(), actions(t.state()), waiting);
  }

  /** The unfinished tasks of a project's running runs, highest lane first, oldest first within a lane. */
  List<TaskView> queue(String project) {
    List<TaskView> out = new ArrayList<>();
    for (RunRecord r : store.runs(checkProject(project))) {
      if (r.status() != RunStatus.RUNNING) {
        continue;
      }
      for (TaskRecord t : store.tasks(project, r.id())) {
        if (!t.state().isTerminal()) {
          out.add(taskView(t));
        }
      }
    }
    out.sort(Comparator.comparing(TaskView::lane).thenComparing(TaskView::updatedAt));
    return out;
  }

  /** The open questions of a project, asked by tasks of any engine, oldest first. */
  List<Question> questions(String project) {
    return orchestrator.questions(checkProject(project));
  }

  /**
   * Every provider: working when it has calls in flight, waiting when it is paused, its circuit is not closed or
   * tasks wait for it (retry, pause), idle otherwise. Calls and waiting tasks are counted over every running run of
   * the store; pauses and spending are the stored ones.
   */
  List<ProviderView> providers() {
    Map<String, int[]> load = new HashMap<>(); // provider -> {running, waiting}
    for (String p : orchestrator.projects()) {
      for (RunRecord r : store.runs(p)) {
        if (r.status() != RunStatus.RUNNING) {
          continue;
        }
        for (TaskRecord t : store.tasks(p, r.id())) {
          if (t.provider() == null) {
            continue;
          }
          int[] l = load.computeIfAbsent(t.provider(), k -> new int[2]);
          if (t.state() == TaskState.RUNNING) {
            l[0]++;
          } else if (t.state() == TaskState.RETRY_WAIT || t.state() == TaskState.PAUSED) {
            l[1]++;
          }
        }
      }
    }
    Map<String, String> paused = pauses(Pause.Kind.PROVIDER);
    List<ProviderView> out = new ArrayList<>();
    for (String name : orchestrator.providers()) {
      CircuitState local = orchestrator.circuit(name);
      String reason = paused.get(name.toLowerCase(Locale.ROOT));
      CircuitState c = local.toBuilder().paused(reason != null).pauseReason(reason).build();
      int[] l = load.getOrDefault(name, new int[2]);
      String state = l[0] > 0 ? "working"
          : c.paused() || c.state() != CircuitState.State.CLOSED || l[1] > 0 ? "waiting" : "idle";
      CostViews.ProviderSpend spend = costs.providerSpend(name);
      out.add(new ProviderView(name, state, c, l[0], l[1], spend.today(), spend.total()));
    }
    return out;
  }

  /** The cost view of a project (or of every project shown), with one gauge per stored limit. */
  /** One project's learning report, from the events the store has now. */
  LearningView learning(String project) {
    String p = checkProject(project);
    outcomes.catchUp(store);
    var report = dev.orchestrator.core.learn.LearningReport.of(outcomes.project(p), p, Instant.now());
    return new LearningView(p, report.at(), report.minSamples(), report.figures(), report.recommendations(),
        report.shadows());
  }

  CostViews.CostView cost(@Nullable String project) {
    return costs.cost(project == null ? null : checkProject(project));
  }
}
