package dev.orchestrator.templates.internal;

import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.TaskReview;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.templates.TemplateTask;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Fills a template's placeholders and builds the workflow.
 *
 * <p>The workflow keeps its placeholders: the engine fills parameters, upstream outputs and answers together, in
 * one pass of the API's {@link PromptTemplate}, when it submits and runs the tasks, so a value is never expanded
 * again. Here the values are checked and written as text ({@link BoundTemplate#values()}, what the caller passes
 * to {@code submit}), and each filled text is checked once (not blank, titles not too long).
 */
public final class Instantiator {
  private Instantiator() {}

  public static BoundTemplate bind(Template template, Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    List<String> problems = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    for (TemplateParameter p : template.parameters()) {
      declared.add(p.name());
    }
    for (Object key : values.keySet()) {
      if (!declared.contains(key)) {
        String k = String.valueOf(key);
        String hint = Similarity.closest(k, declared);
        problems.add("'" + k + "' is not a parameter of this template (value " + Values.describe(values.get(key))
            + "): " + (hint != null ? "did you mean '" + hint + "'?" : "the parameters are " + declared));
      }
    }
    Map<String, String> written = new LinkedHashMap<>();
    for (TemplateParameter p : template.parameters()) {
      Object raw = values.get(p.name());
      Object typed;
      if (raw == null) {
        if (p.defaultValue() != null) {
          typed = p.defaultValue();
        } else if (p.required()) {
          problems.add("parameter '" + p.name() + "' is required (type " + p.type().jsonName() + "): give "
              + (p.example() != null ? "a value such as " + Values.describe(p.render(p.example()))
                  : p.type().expected()));
          continue;
        } else {
          written.put(p.name(), "");
          continue;
        }
      } else {
        try {
          typed = p.coerce(raw);
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
          continue;
        }
      }
      written.put(p.name(), p.render(typed));
    }
    if (!problems.isEmpty()) {
      throw new InvalidParameterException(template.id(), problems);
    }

    UnaryOperator<String> fill = text -> PromptTemplate.of(text).render(written::get);

    for (TemplateTask t : template.tasks()) {
      String where = "task '" + t.id() + "'";
      if (t.title() != null) {
        String title = fill.apply(t.title());
        if (title.isBlank()) {
          problems.add(where + ": the title is blank once filled" + usedBy(t.title(), written));
        } else if (title.length() > TemplateChecks.MAX_TITLE) {
          problems.add(where + ": the title is " + title.length() + " characters long once filled, more than "
              + TemplateChecks.MAX_TITLE + usedBy(t.title(), written).replace("give", "shorten"));
        }
      }
      blank(where, "instructions", t.instructions(), fill, written, problems);
      blank(where, "system", t.system(), fill, written, problems);
      blank(where, "question", t.question(), fill, written, problems);
      if (t.expectedOutput() != null && t.expectedOutput().kind() == ExpectedOutput.Kind.TEXT) {
        blank(where, "expected_output", t.expectedOutput().content(), fill, written, problems);
      }
      if (t.review() != null) {
        blank(where, "review instructions", t.review().instructions(), fill, written, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParameterException(template.id(), problems);
    }

    Workflow workflow = workflow(template.name(), template.description(), template.tasks(), written);
    Map<String, String> schedules = new HashMap<>();
    Map<String, Trigger> triggers = new HashMap<>();
    for (TemplateTask t : template.tasks()) {
      if (t.schedule() != null) {
        schedules.put(t.id(), t.schedule());
        triggers.put(t.id(), TemplateChecks.trigger(t.schedule(), t.repeat()));
      }
    }
    return new BoundTemplate(template, workflow, written, schedules, triggers);
  }

  private static void blank(String where, String field, String text, UnaryOperator<String> fill,
      Map<String, String> written, List<String> problems) {
    if (text != null && fill.apply(text).isBlank()) {
      problems.add(where + ": " + field + " are blank once filled" + usedBy(text, written));
    }
  }

  private static String usedBy(String text, Map<String, String> written) {
    List<String> params = PromptTemplate.of(text).parameters();
    List<String> shown = new ArrayList<>();
    for (String p : params) {
      shown.add(p + "=" + Values.describe(written.get(p)));
    }
    return " (" + String.join(", ", shown) + "): give those parameters a value";
  }

  /**
   * Builds the workflow of {@code tasks} with its placeholders kept, and {@code values} as the parameters'
   * defaults: the engine fills them at submit, in the same single pass as upstream outputs and answers.
   */
  static Workflow workflow(String name, String description, List<TemplateTask> tasks, Map<String, String> values) {
    UnaryOperator<String> fill = UnaryOperator.identity();
    Workflow.Builder wb = Workflow.builder(name).description(description);
    values.forEach(wb::defaultValue);
    for (TemplateTask t : tasks) {
      TaskSpec.Builder b = TaskSpec.builder(t.id());
      if (t.title() != null) {
        b.title(fill.apply(t.title()));
      }
      if (t.instructions() != null) {
        b.instructions(fill.apply(t.instructions()));
      }
      if (t.system() != null) {
        b.system(fill.apply(t.system()));
      }
      if (!t.providers().isEmpty()) {
        b.providers(t.providers().toArray(String[]::new));
      }
      if (t.taskType() != null) {
        b.taskType(t.taskType());
      }
      if (t.priority() != null) {
        b.priority(t.priority());
      }
      if (!t.dependsOn().isEmpty()) {
        b.dependsOn(t.dependsOn().toArray(String[]::new));
      }
      if (t.timeout() != null) {
        b.timeout(t.timeout());
      }
      if (t.maxCost() != null) {
        b.maxCost(t.maxCost());
      }
      if (t.maxOutputTokens() != null) {
        b.maxOutputTokens(t.maxOutputTokens());
      }
      ExpectedOutput out = t.expectedOutput();
      if (out != null) {
        b.expectedOutput(out.kind() == ExpectedOutput.Kind.TEXT ? ExpectedOutput.text(fill.apply(out.content())) : out);
      }
      if (t.question() != null) {
        b.question(fill.apply(t.question()));
      }
      b.approval(t.approval());
      TaskReview r = t.review();
      if (r != null) {
        // The default rounds and passing score; the engine fills the criteria's placeholders.
        b.review(Review.builder().reviewers(r.providers())
            .criteria(r.instructions() != null ? fill.apply(r.instructions()) : TaskReview.DEFAULT_INSTRUCTIONS)
            .build());
      }
      if (t.context() != null) {
        b.context(t.context());
      }
      if (!t.collaborators().isEmpty()) {
        b.collaborators(t.collaborators().toArray(String[]::new));
      }
      if (t.maxExchanges() != null) {
        b.maxExchanges(t.maxExchanges());
      }
      wb.task(b.build());
    }
    return wb.build();
  }
}
