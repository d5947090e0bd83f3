package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.run.Run;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateTask;
import dev.orchestrator.templates.plan.OfflinePlanner;
import dev.orchestrator.templates.plan.PlanningContext;
import dev.orchestrator.templates.plan.PlanningException;
import dev.orchestrator.templates.plan.WorkflowPlan;
import dev.orchestrator.templates.plan.WorkflowPlanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The "Describe a workflow" box: plans a request (offline, or with the application's LLM planner), dry-runs the plan
 * in a project, and runs it or saves it as a template. Nothing is kept between requests: run and save take the plan's
 * template JSON back and check it again with the planner's own checks ({@link WorkflowPlan#problems}), so a page
 * cannot run or save more than a plan could contain. Thread-safe.
 */
final class Planning {
  static final int MAX_REQUEST = 2_000;

  private final Orchestrator orchestrator;
  private final Views views;
  private final @Nullable PlanningContext context;
  private final @Nullable WorkflowPlanner llm;
  private final @Nullable Path templates;
  private final WorkflowPlanner offline = OfflinePlanner.create();

  Planning(Orchestrator orchestrator, DashboardOptions options, Views views) {
    this.orchestrator = orchestrator;
    this.views = views;
    this.context = options.planningContext().orElse(null);
    this.llm = options.llmPlanner().orElse(null);
    this.templates = options.templateDirectory().orElse(null);
  }

  /** What the page may offer. */
  record Status(boolean enabled, boolean llm, boolean save, List<String> providers, boolean templates) {}

  /** A task of the plan as the box lists it. */
  record TaskLine(String id, String title, List<String> providers, List<String> dependsOn, @Nullable String schedule) {}

  /** A step of the dry run, in order. */
  record StepLine(String taskId, String title, @Nullable String provider, Money low, Money expected, Money high) {}

  /** The dry run: the order in waves, the cost range, problems and notes. */
  record DryRun(List<List<StepLine>> waves, Money low, Money expected, Money high, List<String> problems,
      List<String> notes, boolean ok) {}

  /** A plan, ready to show: tasks, layers for the graph, what was assumed, and the dry run. */
  record PlanView(String planner, String request, String name, String json, List<TaskLine> tasks,
      List<List<String>> layers, List<String> assumptions, List<String> notUnderstood, List<String> refused,
      @Nullable Money planningCost, DryRun dryRun) {}

  record Started(String project, String runId) {}

  record Saved(String name, String path) {}

  Status status() {
    return new Status(context != null, context != null && llm != null, context != null && templates != null,
        context == null ? List.of() : List.copyOf(context.providers().keySet()), templates != null);
  }

  PlanView plan(String project, String request, @Nullable String plannerName) {
    views.checkProject(project);
    PlanningContext c = requireContext();
    if (request.isBlank()) {
      throw new ApiException(400, "'request' is empty: describe the workflow in words, such as \"Have ChatGPT"
          + " draft a post about tides, then Claude review it\"");
    }
    if (request.length() > MAX_REQUEST) {
      throw new ApiException(400, "'request' must be at most " + MAX_REQUEST + " characters (was "
          + request.length() + "): describe the workflow in fewer words");
    }
    WorkflowPlanner planner = planner(plannerName);
    WorkflowPlan plan;
    try {
      plan = planner.plan(request, c);
    } catch (PlanningException e) {
      throw new ApiException(422, e.getMessage());
    }
    return view(project, plan);
  }

  Started run(String project, String json) {
    views.checkProject(project);
    BoundTemplate bound = bind(checked(json));
    Plan dry = orchestrator.plan(project, bound.workflow(), bound.values());
    if (!dry.ok()) {
      throw new ApiException(409, "the dry run found problems, so the workflow was not started: "
          + String.join("; ", dry.problems()));
    }
    Run run = orchestrator.submit(project, bound.workflow(), bound.values());
    return new Started(project, run.id());
  }

  Saved save(String name, String json) {
    if (templates == null) {
      throw new ApiException(409, "saving templates is not configured for this dashboard: the application sets"
          + " DashboardOptions.Builder.templateDirectory(...)");
    }
    String n = name.strip();
    if (!Template.ID.matcher(n).matches()) {
      throw new ApiException(400, "'name' must be lower-case letters, digits, '_' or '-', starting with a letter or"
          + " digit (was '" + cut(name) + "'): such as blog-review");
    }
    if (context != null) {
      checked(json);
    } else {
      List<String> problems = TemplateViews.loaderProblems(json);
      if (!problems.isEmpty()) {
        throw new ApiException(400, "'template' is not a valid template: " + String.join("; ", problems));
      }
    }
    Path file = templates.resolve(n + ".json");
    TemplateLibrary library = TemplateLibrary.builder().userDirectory(templates).build();
    if (Files.exists(file) || library.get(n).isPresent()) {
      throw new ApiException(409, "a template named '" + n + "' exists already: choose another name");
    }
    try {
      Files.createDirectories(templates);
      // CREATE_NEW: two saves under one name never overwrite each other.
      Files.writeString(file, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new ApiException(409, "a template named '" + n + "' exists already: choose another name");
    } catch (IOException e) {
      throw new ApiException(500, "the template could not be saved to " + file + " (" + e.getMessage()
          + "): check that the directory is writable");
    }
    return new Saved(n, file.toString());
  }

  private PlanningContext requireContext() {
    if (context == null) {
      throw new ApiException(409, "planning is not configured for this dashboard: the application sets"
          + " DashboardOptions.Builder.planningContext(...) with the provider instances plans may use");
    }
    return context;
  }

  private WorkflowPlanner planner(@Nullable String name) {
    String n = name == null || name.isBlank() ? "offline" : name.strip().toLowerCase(Locale.ROOT);
    switch (n) {
      case "offline":
        return offline;
      case "llm":
        if (llm == null) {
          throw new ApiException(409, "'planner' is llm, but this dashboard has no LLM planner: use \"offline\","
              + " or the application sets DashboardOptions.Builder.llmPlanner(...)");
        }
        return llm;
      default:
        throw new ApiException(400, "'planner' must be offline or llm (was '" + cut(n) + "')");
    }
  }

  /** The template JSON, checked as a plan in this context. */
  private Template checked(String json) {
    PlanningContext c = requireContext();
    if (json.isBlank()) {
      throw new ApiException(400, "'template' is empty: send the template JSON the plan answered");
    }
    List<String> problems = WorkflowPlan.problems(json, c);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "'template' is not a valid plan: " + String.join("; ", problems));
    }
    return Template.parse(json);
  }

  private static BoundTemplate bind(Template t) {
    try {
      return t.bind(Map.of());
    } catch (RuntimeException e) {
      throw new ApiException(400, "'template' cannot run as it is (" + e.getMessage() + "): plan it again");
    }
  }

  private PlanView view(String project, WorkflowPlan plan) {
    Template t = plan.template();
    List<TaskLine> tasks = new ArrayList<>();
    for (TemplateTask task : t.tasks()) {
      tasks.add(new TaskLine(task.id(), task.title() == null ? task.id() : task.title(),
          task.providers().isEmpty() ? List.of(requireContext().defaultProvider()) : task.providers(),
          task.dependsOn(), task.schedule()));
    }
    BoundTemplate bound = bind(t);
    Plan dry = orchestrator.plan(project, bound.workflow(), bound.values());
    List<List<StepLine>> waves = new ArrayList<>();
    for (List<Plan.Step> wave : dry.waves()) {
      waves.add(wave.stream().map(s -> new StepLine(s.taskId(), s.title(), s.provider(), s.low(), s.expected(),
          s.high())).toList());
    }
    DryRun d = new DryRun(waves, dry.low(), dry.expected(), dry.high(), dry.problems(), dry.notes(), dry.ok());
    return new PlanView(plan.planner(), plan.request(), t.name(), plan.json(), tasks, layers(t.tasks()),
        plan.assumptions(), plan.notUnderstood(), plan.refused(), plan.planningCost(), d);
  }

  /** The tasks in columns: a task's column is one more than its deepest dependency's. */
  static List<List<String>> layers(List<TemplateTask> tasks) {
    Map<String, TemplateTask> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    Map<String, Integer> depth = new HashMap<>();
    List<List<String>> layers = new ArrayList<>();
    for (TemplateTask t : tasks) {
      int d = depth(t, byId, depth);
      while (layers.size() <= d) {
        layers.add(new ArrayList<>());
      }
      layers.get(d).add(t.id());
    }
    return layers.stream().map(List::copyOf).toList();
  }

  // A loaded template has no cycles (the loader's check), so the recursion ends.
  private static int depth(TemplateTask t, Map<String, TemplateTask> byId, Map<String, Integer> memo) {
    Integer known = memo.get(t.id());
    if (known != null) {
      return known;
    }
    int d = 0;
    for (String dep : t.dependsOn()) {
      TemplateTask u = byId.get(dep);
      if (u != null) {
        d = Math.max(d, depth(u, byId, memo) + 1);
      }
    }
    memo.put(t.id(), d);
    return d;
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
