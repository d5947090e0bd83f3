package dev.orchestrator.templates.plan;

import dev.orchestrator.Money;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A planned workflow: a template in the roadmap's JSON format that loaded with the same checks as a hand-written
 * template, and what the planner assumed, did not understand, or refused. Immutable and thread-safe.
 *
 * <p>Every plan is checked when it is built ({@link Builder#build(PlanningContext)}): the JSON must load as a
 * {@link Template} (placeholders, dependencies, cycles, field types: the loader's rules, not a second set), and
 * every provider a task or review names must be a configured instance; a command-line agent (type {@code cli})
 * only when the context allows it.
 *
 * @since 0.1
 */
public final class WorkflowPlan {
  private final String planner;
  private final String request;
  private final String json;
  private final Template template;
  private final List<String> assumptions;
  private final List<String> notUnderstood;
  private final List<String> refused;
  private final List<String> planningRuns;
  private final @Nullable Money planningCost;

  private WorkflowPlan(Builder b, Template template) {
    this.planner = b.planner;
    this.request = b.request;
    this.json = b.json;
    this.template = template;
    this.assumptions = List.copyOf(b.assumptions);
    this.notUnderstood = List.copyOf(b.notUnderstood);
    this.refused = List.copyOf(b.refused);
    this.planningRuns = List.copyOf(b.planningRuns);
    this.planningCost = b.planningCost;
  }

  /**
   * A builder of a plan.
   *
   * @param planner the planner's name, such as {@code offline}
   * @param request the request as given
   * @param json the template as JSON text
   */
  public static Builder builder(String planner, String request, String json) {
    return new Builder(planner, request, json);
  }

  /**
   * Every problem of a template JSON as a plan in this context: the loader's problems, then providers that are not
   * configured or not allowed. Empty when the JSON makes a valid plan.
   */
  public static List<String> problems(String json, PlanningContext context) {
    Template t;
    try {
      t = Template.parse(json);
    } catch (InvalidTemplateException e) {
      return e.problems();
    }
    return providerProblems(t, context);
  }

  private static List<String> providerProblems(Template t, PlanningContext context) {
    List<String> problems = new ArrayList<>();
    for (TemplateTask task : t.tasks()) {
      List<String> names = task.providers().isEmpty() ? List.of(context.defaultProvider()) : task.providers();
      for (String p : names) {
        if (p.equals(dev.orchestrator.workflow.TaskSpec.AUTO_PROVIDER)) {
          continue; // the learning strategy chooses among the configured instances
        }
        check(problems, "task '" + task.id() + "' is assigned to", p, context);
      }
      if (task.review() != null) {
        for (String p : task.review().providers()) {
          check(problems, "the review of task '" + task.id() + "' is by", p, context);
        }
      }
    }
    return problems;
  }

  private static void check(List<String> problems, String where, String provider, PlanningContext context) {
    String type = context.typeOf(provider);
    if (type == null) {
      problems.add(where + " '" + provider + "', which is not a configured provider instance (configured: "
          + String.join(", ", context.providers().keySet()) + "): use one of them");
    } else if (!context.usable(provider)) {
      problems.add(where + " '" + provider + "', a command-line agent (type cli) that runs commands on this"
          + " machine and is not allowed for planned workflows (allowed: "
          + (context.allowedAgents().isEmpty() ? "none" : String.join(", ", context.allowedAgents()))
          + "): use an AI provider, or allow the agent explicitly");
    }
  }

  /** The planner that made it, such as {@code offline} or {@code llm}. */
  public String planner() {
    return planner;
  }

  /** The request as given. */
  public String request() {
    return request;
  }

  /** The template as JSON text, in the roadmap's format; save it as a template of your own, or edit it. */
  public String json() {
    return json;
  }

  /** The template, loaded and checked. */
  public Template template() {
    return template;
  }

  /** What the planner assumed, one sentence each: defaults it chose, readings of the request it made. */
  public List<String> assumptions() {
    return assumptions;
  }

  /** Parts of the request the planner did not understand, each saying what it did with them. */
  public List<String> notUnderstood() {
    return notUnderstood;
  }

  /** Parts of the request the planner would not plan (such as running commands), each saying why. */
  public List<String> refused() {
    return refused;
  }

  /** The ids of the runs that made provider calls to plan (the {@link LlmPlanner}'s), in order; empty offline. */
  public List<String> planningRuns() {
    return planningRuns;
  }

  /** What planning cost, or null when it called no provider. */
  public @Nullable Money planningCost() {
    return planningCost;
  }

  @Override
  public String toString() {
    return "WorkflowPlan[" + planner + ", " + template + "]";
  }

  /** Builds a {@link WorkflowPlan}. Not thread-safe. */
  public static final class Builder {
    private final String planner;
    private final String request;
    private final String json;
    private final List<String> assumptions = new ArrayList<>();
    private final List<String> notUnderstood = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<String> planningRuns = new ArrayList<>();
    private @Nullable Money planningCost;

    private Builder(String planner, String request, String json) {
      this.planner = Objects.requireNonNull(planner, "planner");
      this.request = Objects.requireNonNull(request, "request");
      this.json = Objects.requireNonNull(json, "json");
    }

    /** Adds what the planner assumed. */
    public Builder assumption(String sentence) {
      assumptions.add(Objects.requireNonNull(sentence, "sentence"));
      return this;
    }

    /** Adds a part of the request the planner did not understand, saying what it did with it. */
    public Builder notUnderstood(String sentence) {
      notUnderstood.add(Objects.requireNonNull(sentence, "sentence"));
      return this;
    }

    /** Adds a part of the request the planner refused, saying why. */
    public Builder refused(String sentence) {
      refused.add(Objects.requireNonNull(sentence, "sentence"));
      return this;
    }

    /** Records a run that made a planning call, and adds its cost. */
    public Builder planningRun(String runId, Money cost) {
      planningRuns.add(Objects.requireNonNull(runId, "runId"));
      planningCost = planningCost == null ? cost : planningCost.plus(cost);
      return this;
    }

    /**
     * Checks the template and builds the plan.
     *
     * @throws PlanningException listing every problem when the JSON is not a valid plan in this context
     */
    public WorkflowPlan build(PlanningContext context) {
      Template t;
      try {
        t = Template.parse(json);
      } catch (InvalidTemplateException e) {
        throw new PlanningException("the " + planner + " planner's workflow is not a valid template",
            e.problems());
      }
      List<String> problems = providerProblems(t, context);
      if (!problems.isEmpty()) {
        throw new PlanningException("the " + planner + " planner's workflow uses providers it may not use",
            problems);
      }
      return new WorkflowPlan(this, t);
    }
  }
}
