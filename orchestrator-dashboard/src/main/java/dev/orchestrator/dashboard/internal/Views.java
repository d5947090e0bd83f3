package dev.orchestrator.dashboard.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The read side: what the pages show, assembled from the orchestrator and its store. Stateless and thread-safe;
 * every call reads the current state. Nothing here carries a secret: the records hold names, states and money only.
 */
final class Views {
  private final Orchestrator orchestrator;
  private final DashboardOptions options;

  Views(Orchestrator orchestrator, DashboardOptions options) {
    this.orchestrator = orchestrator;
    this.options = options;
  }

  /** The session page: what the script needs to start. */
  record SessionView(String csrf, List<String> projects, @Nullable String defaultProject, boolean tokenRequired) {}

  record ProjectView(String name, boolean paused, @Nullable String pauseReason, int runs, int running) {}

  record TaskView(String project, String runId, String taskId, String title, TaskState state, Priority lane,
      @Nullable String provider, int attempts, Money cost, @Nullable ErrorKind errorKind, @Nullable String error,
      @Nullable Cancellation cancellation, @Nullable String questionId, @Nullable String question,
      Instant updatedAt, List<String> actions) {}

  record RunView(String project, String id, String workflow, RunStatus status, Instant submittedAt,
      @Nullable Instant finishedAt, Money cost, Map<TaskState, Integer> counts, boolean controllable,
      List<TaskView> tasks) {}

  record ProviderView(String name, String state, CircuitState circuit, int inFlight, int waiting, Money todaySpend,
      Money totalSpend) {}

  record Gauge(String scope, String kind, String name, @Nullable LocalDate day, Money spent, Money reserved,
      Money limit, double share, List<Double> thresholds, boolean paused) {}

  record CostView(Instant at, @Nullable String project, Money spent, Money reserved, @Nullable Money limit,
      @Nullable Money remaining, Money forecast, boolean forecastWithinBudget, Map<String, Money> byProvider,
      Map<String, Money> byDay, Map<String, Money> byTaskType, List<Gauge> gauges) {}

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

  /**
   * Checks that the dashboard shows this project.
   *
   * @throws ApiException 404 when a project list is configured and does not include it
   */
  String checkProject(String project) {
    if (!options.projects().isEmpty() && !options.projects().contains(project)) {
      throw new ApiException(404, "project '" + project + "' is not shown by this dashboard (shown: "
          + options.projects() + "): pick one of those");
    }
    return project;
  }

  List<ProjectView> projectViews() {
    List<ProjectView> out = new ArrayList<>();
    for (String p : projects()) {
      List<RunRecord> runs = orchestrator.runs(p);
      int running = (int) runs.stream().filter(r -> r.status() == RunStatus.RUNNING).count();
      String pause = pauseOf(p);
      out.add(new ProjectView(p, pause != null, pause, runs.size(), running));
    }
    return out;
  }

  private @Nullable String pauseOf(String project) {
    try {
      return orchestrator.projectPause(project).orElse(null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The newest runs of a project first, with their tasks. */
  List<RunView> runs(String project, int limit) {
    List<RunRecord> runs = new ArrayList<>(orchestrator.runs(checkProject(project)));
    runs.sort(Comparator.comparing(RunRecord::submittedAt).thenComparing(RunRecord::id).reversed());
    List<RunView> out = new ArrayList<>();
    for (RunRecord r : runs.subList(0, Math.min(limit, runs.size()))) {
      out.add(runView(r));
    }
    return out;
  }

  RunView run(String project, String runId) {
    RunRecord r = orchestrator.store().run(checkProject(project), runId).orElseThrow(() -> new ApiException(404,
        "project '" + project + "' has no run '" + runId + "': list them with GET /api/projects/{project}/runs"));
    return runView(r);
  }

  private RunView runView(RunRecord r) {
    boolean controllable = orchestrator.run(r.project(), r.id()).isPresent();
    List<TaskRecord> tasks = orchestrator.store().tasks(r.project(), r.id());
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    Money cost = Money.ZERO;
    List<TaskView> views = new ArrayList<>(tasks.size());
    for (TaskRecord t : tasks) {
      counts.merge(t.state(), 1, Integer::sum);
      cost = cost.plus(t.cost());
      views.add(taskView(t, controllable));
    }
    return new RunView(r.project(), r.id(), r.workflow(), r.status(), r.submittedAt(), r.finishedAt(), cost, counts,
        controllable, views);
  }

  private static TaskView taskView(TaskRecord t, boolean controllable) {
    List<String> actions = new ArrayList<>(3);
    if (controllable) {
      TaskState s = t.state();
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
    }
    Question q = t.question();
    boolean open = q != null && q.isOpen();
    return new TaskView(t.project(), t.runId(), t.taskId(), t.title(), t.state(), t.lane(), t.provider(),
        t.attempts().size(), t.cost(), t.errorKind(), t.error(), t.cancellation(), open ? q.id() : null,
        open ? q.text() : null, t.updatedAt(), actions);
  }

  /** The unfinished tasks of a project's running runs, highest lane first, oldest first within a lane. */
  List<TaskView> queue(String project) {
    List<TaskView> out = new ArrayList<>();
    for (RunRecord r : orchestrator.runs(checkProject(project))) {
      if (r.status() != RunStatus.RUNNING) {
        continue;
      }
      boolean controllable = orchestrator.run(r.project(), r.id()).isPresent();
      for (TaskRecord t : orchestrator.store().tasks(project, r.id())) {
        if (!t.state().isTerminal()) {
          out.add(taskView(t, controllable));
        }
      }
    }
    out.sort(Comparator.comparing(TaskView::lane).thenComparing(TaskView::updatedAt));
    return out;
  }

  List<Question> questions(String project) {
    return orchestrator.questions(checkProject(project));
  }

  /**
   * Every provider: working when it has calls in flight, waiting when it is paused, its circuit is not closed or
   * tasks wait for it (retry, pause), idle otherwise.
   */
  List<ProviderView> providers() {
    Map<String, int[]> load = new HashMap<>(); // provider -> {running, waiting}
    for (String p : orchestrator.projects()) {
      for (RunRecord r : orchestrator.runs(p)) {
        if (r.status() != RunStatus.RUNNING) {
          continue;
        }
        for (TaskRecord t : orchestrator.store().tasks(p, r.id())) {
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
    CostReport all = orchestrator.costReport();
    List<ProviderView> out = new ArrayList<>();
    for (String name : orchestrator.providers()) {
      CircuitState c = orchestrator.circuit(name);
      int[] l = load.getOrDefault(name, new int[2]);
      String state = l[0] > 0 ? "working"
          : c.paused() || c.state() != CircuitState.State.CLOSED || l[1] > 0 ? "waiting" : "idle";
      Money today = Money.ZERO;
      Money total = Money.ZERO;
      for (BudgetLine line : all.lines()) {
        if (!line.scope().name().equals(name)) {
          continue;
        }
        if (line.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY) {
          today = today.plus(line.spent());
        } else if (line.scope().kind() == BudgetScope.Kind.PROVIDER) {
          total = total.plus(line.spent());
        }
      }
      out.add(new ProviderView(name, state, c, l[0], l[1], today, total));
    }
    return out;
  }

  /** The cost report of a project (or of everything), with one gauge per account that has a limit. */
  CostView cost(@Nullable String project) {
    CostReport r = project == null ? orchestrator.costReport() : orchestrator.costReport(checkProject(project));
    Map<BudgetScope, List<Double>> thresholds = new HashMap<>();
    for (Budget b : orchestrator.budgets()) {
      thresholds.put(b.scope(), b.thresholds());
    }
    List<Gauge> gauges = new ArrayList<>();
    for (BudgetLine line : r.lines()) {
      Money limit = line.limit();
      if (limit == null) {
        continue;
      }
      BudgetScope s = line.scope();
      gauges.add(new Gauge(s.toString(), s.kind().name(), s.name(), line.day(), line.spent(), line.reserved(), limit,
          line.usedShare(), thresholds.getOrDefault(s, Budget.DEFAULT_THRESHOLDS), line.paused()));
    }
    // A limit with no spending yet has no account: show it empty, so the gauge is there before the first call.
    for (Budget b : orchestrator.budgets()) {
      BudgetScope s = b.scope();
      boolean relevant = switch (s.kind()) {
        case GLOBAL -> project == null;
        case PROJECT -> project == null || s.name().equals(project);
        case PROVIDER -> true;
        case PROVIDER_DAILY, RUN, TASK -> false;
      };
      if (relevant && gauges.stream().noneMatch(g -> g.kind().equals(s.kind().name()) && g.name().equals(s.name()))) {
        gauges.add(new Gauge(s.toString(), s.kind().name(), s.name(), null, Money.ZERO, Money.ZERO, b.limit(), 0,
            b.thresholds(), false));
      }
    }
    return new CostView(r.at(), r.project(), r.spent(), r.reserved(), r.limit(), r.remaining(), r.forecast(),
        r.forecastWithinBudget(), new java.util.TreeMap<>(r.byProvider()), new java.util.TreeMap<>(r.byDay()),
        new java.util.TreeMap<>(r.byTaskType()), gauges);
  }
}
