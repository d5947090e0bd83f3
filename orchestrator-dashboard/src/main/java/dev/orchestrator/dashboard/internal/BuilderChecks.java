package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.plan.PlanningContext;
import dev.orchestrator.templates.plan.WorkflowPlan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The visual builder's checks, made by the server's own rules as the user edits: the template loader's (fields,
 * placeholders, missing parameters, dependencies and cycles, with the cycle's path), the planner's provider checks
 * when planning is configured, and the engine's dry run in the project (unknown providers, budgets, the cost range
 * and the waves), with the example or default values. Each problem names the tasks it is about, so the page shows it
 * on their nodes. Nothing runs. Stateless; thread-safe.
 */
final class BuilderChecks {
  private static final Pattern QUOTED = Pattern.compile("'([^']{1,100})'");
  private static final Pattern CYCLE = Pattern.compile("cycle: ([^;]+)");

  private final Orchestrator orchestrator;
  private final Views views;
  private final @Nullable PlanningContext context;

  BuilderChecks(Orchestrator orchestrator, Views views, @Nullable PlanningContext context) {
    this.orchestrator = orchestrator;
    this.views = views;
    this.context = context;
  }

  /** A problem and the tasks it names. */
  record Problem(String message, List<String> tasks) {}

  record Step(String taskId, String title, @Nullable String provider, Money low, Money expected, Money high) {}

  record DryRun(List<List<Step>> waves, Money low, Money expected, Money high, List<String> notes) {}

  /** The verdict: ok when nothing is wrong; the cycle's tasks in order when there is one; the dry run when it ran. */
  record Check(boolean ok, List<Problem> problems, List<String> cycle, @Nullable DryRun dryRun) {}

  Check check(String project, String json) {
    views.checkProject(project);
    Set<String> ids = taskIds(json);
    List<Problem> problems = new ArrayList<>();
    List<String> cycle = new ArrayList<>();
    Template t;
    try {
      t = Template.parse(json);
    } catch (InvalidTemplateException e) {
      for (String p : e.problems()) {
        problems.add(problem(p, ids));
        Matcher m = CYCLE.matcher(p);
        if (m.find() && cycle.isEmpty()) {
          for (String id : m.group(1).split("\\s*->\\s*")) {
            String s = id.strip();
            if (ids.contains(s) && !cycle.contains(s)) {
              cycle.add(s);
            }
          }
        }
      }
      return new Check(false, problems, cycle, null);
    }
    if (context != null) {
      WorkflowPlan.problems(json, context).forEach(p -> problems.add(problem(p, ids)));
    }
    BoundTemplate bound;
    try {
      bound = t.bind(t.exampleValues());
    } catch (InvalidParameterException e) {
      e.problems().forEach(p -> problems.add(problem(p, ids)));
      return new Check(false, problems, cycle, null);
    } catch (IllegalArgumentException e) {
      problems.add(problem(String.valueOf(e.getMessage()), ids));
      return new Check(false, problems, cycle, null);
    }
    Plan dry = orchestrator.plan(project, bound.workflow(), bound.values());
    dry.problems().forEach(p -> problems.add(problem(p, ids)));
    List<List<Step>> waves = new ArrayList<>();
    for (List<Plan.Step> wave : dry.waves()) {
      waves.add(wave.stream().map(s -> new Step(s.taskId(), s.title(), s.provider(), s.low(), s.expected(),
          s.high())).toList());
    }
    return new Check(problems.isEmpty(), problems, cycle,
        new DryRun(waves, dry.low(), dry.expected(), dry.high(), dry.notes()));
  }

  /** The template of the text, checked as {@link #check} does. */
  Template checked(String project, String json) {
    Check c = check(project, json);
    if (!c.ok()) {
      throw new ApiException(400, "the workflow has problems: "
          + String.join("; ", c.problems().stream().map(Problem::message).toList()));
    }
    return Template.parse(json);
  }

  private static Problem problem(String message, Set<String> ids) {
    LinkedHashSet<String> named = new LinkedHashSet<>();
    Matcher m = QUOTED.matcher(message);
    while (m.find()) {
      if (ids.contains(m.group(1))) {
        named.add(m.group(1));
      }
    }
    Matcher c = CYCLE.matcher(message);
    if (c.find()) {
      for (String id : c.group(1).split("\\s*->\\s*")) {
        if (ids.contains(id.strip())) {
          named.add(id.strip());
        }
      }
    }
    return new Problem(message, List.copyOf(named));
  }

  /** The task ids the text names, read leniently (the loader says what else is wrong). */
  private static Set<String> taskIds(String json) {
    Set<String> ids = new LinkedHashSet<>();
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      for (JsonNode t : root.path("tasks")) {
        JsonNode id = t.get("id");
        if (id != null && !id.isNull()) {
          ids.add(id.asText());
        }
      }
    } catch (java.io.IOException e) {
      // Not JSON at all: the loader says so.
    }
    return ids;
  }
}
