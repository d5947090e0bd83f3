package dev.orchestrator.templates.internal;

import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.templates.TemplateTask;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The checks that make a template valid as a whole. They run when a {@link Template} is constructed, so every
 * problem a template can have is found when it is loaded rather than when a workflow made from it runs.
 */
public final class TemplateChecks {
  /** Matches {@code TaskSpec}'s id rule. */
  public static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");
  /** Matches {@code TaskSpec}'s task type rule (after lower-casing). */
  public static final Pattern TASK_TYPE = Pattern.compile("[a-z0-9_\\-]{1,64}");
  /** Provider instance names, after lower-casing. */
  public static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,63}");
  /** {@code TaskSpec}'s limit on titles. */
  public static final int MAX_TITLE = 500;

  private TemplateChecks() {}

  public static List<String> problems(String id, String name, String category, List<String> tags,
      List<TemplateParameter> parameters, List<TemplateTask> tasks) {
    List<String> problems = new ArrayList<>();
    if (!Template.ID.matcher(id).matches()) {
      problems.add("id must be 1 to 100 lower-case letters, digits, '_' or '-', starting with a letter or digit"
          + " (was '" + id + "'): rename the file or set the 'id' field");
    }
    if (name.isBlank()) {
      problems.add("name must not be blank: name the template after what it does, such as \"Blog Post Pipeline\"");
    } else if (name.length() > 200) {
      problems.add("name is " + name.length() + " characters long, more than 200: shorten it");
    }
    if (!Template.ID.matcher(category).matches()) {
      problems.add("category must be lower-case letters, digits, '_' or '-' such as \"marketing\" (was '"
          + category + "')");
    }
    Set<String> seenTags = new HashSet<>();
    for (String tag : tags) {
      if (tag.isBlank() || tag.length() > 64) {
        problems.add("tags must be 1 to 64 characters, not blank (was '" + tag + "')");
      } else if (!seenTags.add(tag.toLowerCase(java.util.Locale.ROOT))) {
        problems.add("tag '" + tag + "' is listed twice: list each tag once");
      }
    }

    Set<String> declared = new LinkedHashSet<>();
    for (TemplateParameter p : parameters) {
      if (!declared.add(p.name())) {
        problems.add("parameter '" + p.name() + "' is declared twice: declare each parameter once");
      }
    }

    if (tasks.isEmpty()) {
      problems.add("tasks must not be empty: add at least one task such as {\"id\": 1, \"title\": \"...\"}");
    }
    Set<String> ids = new HashSet<>();
    for (TemplateTask t : tasks) {
      if (!TASK_ID.matcher(t.id()).matches()) {
        problems.add("task id must be 1 to 100 letters, digits, '_' or '-', or a number (was '" + t.id() + "')");
        continue;
      }
      if (!ids.add(t.id())) {
        problems.add("task id '" + t.id() + "' is used twice: give each task its own id");
      }
      checkTask(t, declared, problems);
    }
    if (problems.isEmpty()) {
      trialBuild(name, tasks, problems);
    }
    return problems;
  }

  private static void checkTask(TemplateTask t, Set<String> declared, List<String> problems) {
    String where = "task '" + t.id() + "'";
    if (t.title() != null) {
      if (t.title().isBlank()) {
        problems.add(where + ": title must not be blank: leave it out to use the id, or name the step");
      } else if (t.title().length() > MAX_TITLE) {
        problems.add(where + ": title is " + t.title().length() + " characters long, more than " + MAX_TITLE
            + ": shorten it and move the detail to 'instructions'");
      }
      text(where, "title", t.title(), declared, true, problems);
    }
    if (t.instructions() != null) {
      if (t.instructions().isBlank()) {
        problems.add(where + ": instructions must not be blank: leave them out to use the title, or write the prompt");
      }
      text(where, "instructions", t.instructions(), declared, true, problems);
    }
    boolean usesInput = uses(t.title(), PromptTemplate.INPUT) || uses(t.instructions(), PromptTemplate.INPUT);
    if (usesInput && t.question() == null) {
      problems.add(where + " uses {{input}} but asks no question: add a 'question' whose answer fills {{input}}");
    }
    blankOrText(where, "system", t.system(), declared, problems);
    blankOrText(where, "question", t.question(), declared, problems);
    if (t.review() != null) {
      text(where, "review instructions", t.review().instructions(), declared, false, problems);
      for (String p : t.review().providers()) {
        provider(where, "review 'by'", p, problems);
        if (p.equals(dev.orchestrator.workflow.TaskSpec.AUTO_PROVIDER)) {
          problems.add(where + ": review 'by' has 'auto', which only \"assigned_to\" accepts: name the reviewing"
              + " provider instance, such as \"claude\"");
        }
      }
    }
    ExpectedOutput out = t.expectedOutput();
    if (out != null && out.kind() == ExpectedOutput.Kind.TEXT) {
      text(where, "expected_output", out.content(), declared, false, problems);
    }
    Set<String> seen = new HashSet<>();
    for (String p : t.providers()) {
      provider(where, "assigned_to", p, problems);
      if (!seen.add(p)) {
        problems.add(where + ": assigned_to lists '" + p + "' twice: name each candidate once");
      }
    }
    for (String dep : t.dependsOn()) {
      if (!TASK_ID.matcher(dep).matches()) {
        problems.add(where + ": depends_on has '" + dep + "', which is not a task id");
      }
    }
    if (t.taskType() != null && !TASK_TYPE.matcher(t.taskType()).matches()) {
      problems.add(where + ": task_type must be 1 to 64 lower-case letters, digits, '_' or '-' such as"
          + " \"code_generation\" (was '" + t.taskType() + "')");
    }
    if (t.maxOutputTokens() != null && t.maxOutputTokens() < 1) {
      problems.add(where + ": max_output_tokens must be >= 1 (was " + t.maxOutputTokens() + ")");
    }
    if (t.timeout() != null && (t.timeout().isNegative() || t.timeout().isZero())) {
      problems.add(where + ": timeout must be positive (was " + t.timeout() + "): write for example \"5m\"");
    }
    if (t.maxCost() != null && t.maxCost().isNegative()) {
      problems.add(where + ": max_cost must not be negative (was " + t.maxCost() + ")");
    }
    if (t.schedule() != null) {
      String problem = cronProblem(t.schedule());
      if (problem != null) {
        problems.add(where + ": schedule: " + problem);
      }
    }
    if (t.repeat() && t.schedule() == null) {
      problems.add(where + ": repeat is true but there is no schedule: add \"schedule\": \"0 9 * * *\" or remove"
          + " \"repeat\"");
    }
  }

  private static void provider(String where, String field, String p, List<String> problems) {
    if (!PROVIDER.matcher(p).matches()) {
      problems.add(where + ": " + field + " has '" + p + "', which is not a provider instance name: use a"
          + " configured name such as \"claude\", \"chatgpt\" or \"gemini\"");
    }
  }

  private static void blankOrText(String where, String field, @Nullable String value, Set<String> declared,
      List<String> problems) {
    if (value != null && value.isBlank()) {
      problems.add(where + ": " + field + " must not be blank: leave it out or fill it in");
    }
    text(where, field, value, declared, false, problems);
  }

  /**
   * The trigger of a task's {@code schedule} and {@code repeat}, a macro such as {@code @daily} written as the
   * 5-field expression it stands for. The schedule must have passed the checks.
   */
  public static Trigger trigger(String schedule, boolean repeat) {
    return Trigger.cron(schedule, repeat);
  }

  /**
   * What is wrong with a task's cron schedule, or null. The same shapes as everywhere else (5-field Unix, 6- or
   * 7-field Quartz, a macro); the fields themselves are checked when the schedule is added.
   */
  static @Nullable String cronProblem(String schedule) {
    try {
      Trigger.cron(schedule);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static boolean uses(@Nullable String text, String placeholder) {
    return text != null && PromptTemplate.of(text).placeholders().contains(placeholder);
  }

  /**
   * Checks one text field: every {@code {{} opens a well-formed placeholder; every parameter is declared; the
   * engine's own placeholders appear only where the engine fills them.
   */
  static void text(String where, String field, @Nullable String text, Set<String> declared, boolean engineAllowed,
      List<String> problems) {
    if (text == null) {
      return;
    }
    PromptTemplate template = PromptTemplate.of(text);
    // Blank out every placeholder the engine's grammar accepts; a "{{" left over opens nothing it understands.
    String rest = template.render(n -> "\u0000");
    int bad = rest.indexOf("{{");
    if (bad >= 0) {
      int end = Math.min(rest.length(), bad + 30);
      String snippet = rest.substring(bad, end).replace("\u0000", "{{...}}");
      problems.add(where + ": " + field + " has '" + snippet + (end < rest.length() ? "..." : "")
          + "', which is not a placeholder: write {{name}} with letters, digits, '_', '-' or '.'"
          + " (Mustache sections, partials and triple braces are not supported)");
    }
    for (String name : template.placeholders()) {
      boolean engine = name.equals(PromptTemplate.INPUT) || name.startsWith(PromptTemplate.TASKS_PREFIX);
      if (engine) {
        if (name.startsWith(PromptTemplate.TASKS_PREFIX) && PromptTemplate.taskReference(name) == null) {
          problems.add(where + ": " + field + " uses {{" + name + "}}, which is not a task reference:"
              + " write {{tasks.<id>.output}}");
        } else if (!engineAllowed) {
          problems.add(where + ": " + field + " uses {{" + name + "}}, which the engine fills only in title and"
              + " instructions: move it there");
        }
      } else if (!declared.contains(name)) {
        problems.add(where + ": " + field + " uses {{" + name + "}}, which is not a declared parameter: declare it"
            + " in 'parameters' or fix the name" + suggestion(name, declared));
      }
    }
  }

  private static String suggestion(String name, Set<String> declared) {
    String best = Similarity.closest(name, declared);
    return best != null ? " (did you mean {{" + best + "}}?)" : " (declared: " + declared + ")";
  }

  /** Builds the workflow with the text as written, so the graph rules of {@link Workflow} run at load time. */
  private static void trialBuild(String name, List<TemplateTask> tasks, List<String> problems) {
    try {
      Instantiator.workflow(name, "", tasks, Map.of());
    } catch (InvalidWorkflowException e) {
      problems.addAll(e.problems());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }
}
