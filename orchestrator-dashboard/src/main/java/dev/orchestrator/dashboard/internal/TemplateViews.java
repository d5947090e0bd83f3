package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.schedule.Schedule;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.templates.TemplateTask;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The template library as the pages use it: the list with each template's parameters (the runs list generates its
 * start form from them), one template's tasks (the builder opens a copy), starting a template with values, and
 * running a finished run's template again with the run's values, and scheduling a template when the application
 * handed the dashboard its schedules. The library is read on every request (built-in
 * templates, and the application's template directory when it set one), so a template saved a moment ago shows.
 * Stateless; thread-safe.
 */
final class TemplateViews {
  private final Orchestrator orchestrator;
  private final Views views;
  private final @Nullable Path directory;
  private final @Nullable Scheduling scheduling;

  TemplateViews(Orchestrator orchestrator, DashboardOptions options, Views views) {
    this.orchestrator = orchestrator;
    this.views = views;
    this.directory = options.templateDirectory().orElse(null);
    this.scheduling = options.scheduling().orElse(null);
  }

  /** Whether the form may schedule templates. */
  boolean schedules() {
    return scheduling != null;
  }

  /**
   * A declared parameter, for a generated form field; {@code spec} is the same in the template format, which the
   * builder writes back.
   */
  record ParameterView(String name, String type, boolean required, @Nullable Object defaultValue,
      String description, @Nullable BigDecimal min, @Nullable BigDecimal max, @Nullable String pattern,
      List<String> allowedValues, @Nullable Object example, Map<String, Object> spec) {}

  /**
   * A task of a template as the builder edits it; {@code extra} holds, in the template format, the fields the builder
   * has no control for (task type, system prompt, timeout, output tokens, question, repeat), which it writes back.
   */
  record TaskView(String id, @Nullable String title, @Nullable String instructions, List<String> providers,
      List<String> dependsOn, @Nullable String priority, @Nullable List<String> reviewBy,
      @Nullable String reviewInstructions, @Nullable String schedule, @Nullable Money maxCost,
      Map<String, Object> extra) {}

  record TemplateView(String id, String name, String description, String category, String source,
      List<ParameterView> parameters, List<TaskView> tasks) {}

  record Started(String project, String runId) {}

  TemplateLibrary library() {
    TemplateLibrary.Builder b = TemplateLibrary.builder().discover(false);
    if (directory == null) {
      b.noUserDirectory();
    } else {
      b.userDirectory(directory);
    }
    return b.build();
  }

  /** The names of the library's templates: the workflow names of the runs they start. */
  java.util.Set<String> names() {
    java.util.Set<String> out = new java.util.HashSet<>();
    library().list().forEach(t -> out.add(t.name()));
    return out;
  }

  List<TemplateView> list() {
    return library().list().stream().map(TemplateViews::view).toList();
  }

  TemplateView get(String id) {
    return view(require(library(), id));
  }

  /**
   * Starts a template in a project with the values a form sent (strings, numbers, booleans or lists of strings, as
   * the parameters' types take them).
   *
   * @throws ApiException 400 naming every value that does not fit, 404 for an unknown template
   */
  Started start(String project, String id, JsonNode values) {
    views.checkProject(project);
    Template t = require(library(), id);
    return submit(project, t, typed(values));
  }

  /** A schedule the form added, and when it fires next. */
  record Scheduled(String id, String project, String cron, @Nullable Instant nextFire) {}

  /**
   * Schedules a template in a project with a form's values and a cron expression, in the application's schedules.
   *
   * @throws ApiException 409 when the dashboard has no schedules, 400 for a bad expression or values
   */
  Scheduled schedule(String project, String id, JsonNode values, String cron) {
    views.checkProject(project);
    if (scheduling == null) {
      throw new ApiException(409, "scheduling is not configured for this dashboard: the application sets"
          + " DashboardOptions.Builder.scheduling(...)");
    }
    Template t = require(library(), id);
    BoundTemplate bound = bind(t, typed(values));
    Trigger trigger;
    try {
      trigger = Trigger.cron(cron.strip());
    } catch (RuntimeException e) {
      throw new ApiException(400, "'cron' is not a schedule (" + e.getMessage() + "): use 5 or 6 fields such as"
          + " \"0 9 * * MON\", or @daily");
    }
    String scheduleId = t.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      Schedule added = scheduling.add(Schedule.builder().id(scheduleId).project(project).workflow(bound.workflow())
          .params(bound.values()).trigger(trigger).build());
      List<Instant> next = scheduling.nextFires(added.id(), 1);
      return new Scheduled(added.id(), project, cron.strip(), next.isEmpty() ? null : next.get(0));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "the schedule was refused: " + e.getMessage());
    }
  }

  /** A form's values as the parameters take them; an empty field takes the parameter's default. */
  private static Map<String, Object> typed(@Nullable JsonNode values) {
    Map<String, Object> typed = new LinkedHashMap<>();
    if (values == null || values.isNull() || values.isMissingNode()) {
      return typed;
    }
    if (!values.isObject()) {
      throw new ApiException(400, "'values' must be an object of parameter names to values (was "
          + values.getNodeType() + ")");
    }
    Iterator<Map.Entry<String, JsonNode>> it = values.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Object v = Json.MAPPER.convertValue(e.getValue(), Object.class);
      if (v == null || (v instanceof String s && s.isBlank())) {
        continue;
      }
      typed.put(e.getKey(), v);
    }
    return typed;
  }

  /**
   * Runs the template a finished run was started from again, with the run's values.
   *
   * @throws ApiException 409 while the run is running or when no template has the run's workflow name
   */
  Started rerun(String project, String runId) {
    RunRecord r = views.runRecord(project, runId);
    if (!r.status().isFinished()) {
      throw new ApiException(409, "run '" + runId + "' is " + r.status() + ": only a finished run can be run again");
    }
    Template t = library().list().stream().filter(x -> x.name().equals(r.workflow())).findFirst()
        .orElseThrow(() -> new ApiException(409, "run '" + runId + "' (workflow '" + r.workflow() + "') was not "
            + "started from a template this dashboard knows, so it cannot be run again from here"));
    Map<String, Object> values = new LinkedHashMap<>();
    r.params().forEach((k, v) -> {
      if (t.parameter(k) != null) {
        values.put(k, v);
      }
    });
    return submit(project, t, values);
  }

  Started submit(String project, Template t, Map<String, Object> values) {
    BoundTemplate bound = bind(t, values);
    Plan dry = orchestrator.plan(project, bound.workflow(), bound.values());
    if (!dry.ok()) {
      throw new ApiException(409, "the dry run found problems, so the workflow was not started: "
          + String.join("; ", dry.problems()));
    }
    Run run = orchestrator.submit(project, bound.workflow(), bound.values());
    return new Started(project, run.id());
  }

  private static BoundTemplate bind(Template t, Map<String, Object> values) {
    try {
      return t.bind(values);
    } catch (InvalidParameterException e) {
      throw new ApiException(400, "the values do not fit template '" + t.id() + "': "
          + String.join("; ", e.problems()));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "the values do not fit template '" + t.id() + "': " + e.getMessage());
    }
  }

  static Template require(TemplateLibrary library, String id) {
    return library.get(id).orElseThrow(() -> new ApiException(404, "there is no template '"
        + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "': list them with GET /api/templates"));
  }

  static TemplateView view(Template t) {
    List<ParameterView> params = new ArrayList<>();
    for (TemplateParameter p : t.parameters()) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("type", p.type().jsonName());
      put(spec, "description", p.description().isEmpty() ? null : p.description());
      put(spec, "default", p.defaultValue());
      put(spec, "min", p.min());
      put(spec, "max", p.max());
      put(spec, "pattern", p.pattern());
      put(spec, "allowed_values", p.allowedValues().isEmpty() ? null : p.allowedValues());
      put(spec, "example", p.example());
      params.add(new ParameterView(p.name(), p.type().jsonName(), p.required(), p.defaultValue(), p.description(),
          p.min(), p.max(), p.pattern(), p.allowedValues(), p.example(), spec));
    }
    List<TaskView> tasks = new ArrayList<>();
    for (TemplateTask k : t.tasks()) {
      tasks.add(new TaskView(k.id(), k.title(), k.instructions(), k.providers(), k.dependsOn(),
          k.priority() == null ? null : k.priority().name().toLowerCase(java.util.Locale.ROOT),
          k.review() == null ? null : k.review().providers(), k.review() == null ? null : k.review().instructions(),
          k.schedule(), k.maxCost(), extra(k)));
    }
    return new TemplateView(t.id(), t.name(), t.description(), t.category(), t.origin().kind().name(), params,
        tasks);
  }

  private static Map<String, Object> extra(TemplateTask k) {
    Map<String, Object> extra = new LinkedHashMap<>();
    put(extra, "task_type", k.taskType());
    put(extra, "system", k.system());
    put(extra, "timeout", k.timeout() == null ? null : k.timeout().toString());
    put(extra, "max_output_tokens", k.maxOutputTokens());
    put(extra, "question", k.question());
    put(extra, "repeat", k.repeat() ? Boolean.TRUE : null);
    return extra;
  }

  private static void put(Map<String, Object> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** Whether the text is a template the loader accepts; the problems otherwise. */
  static List<String> loaderProblems(String json) {
    try {
      Template.parse(json);
      return List.of();
    } catch (InvalidTemplateException e) {
      return e.problems();
    }
  }
}
