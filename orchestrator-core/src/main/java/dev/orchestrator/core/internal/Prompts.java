package dev.orchestrator.core.internal;

import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.UpstreamContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The request an author call sends: the task's instructions with placeholders, its dependencies' outputs
 * ({@link UpstreamOutputs}), feedback, repairs and answers.
 */
final class Prompts {
  private Prompts() {}

  /**
   * The request a task would send, its placeholders filled from {@code values}: what estimates (the dry run, the
   * forecast) price before the task runs.
   *
   * <p>Its dependencies' outputs are appended as the engine will append them. An output {@code values} does not know
   * yet ({@code tasks.<id>.output} gives null) is priced at its most: a stand-in of ordinary text as long as the
   * dependency's {@code maxOutputTokens} allows, or as the whole context budget when it sets none; the budget then
   * cuts the stand-ins as it would cut real outputs.
   *
   * @param context the task's context, resolved against its workflow's default
   * @param parents the specs of the tasks it depends on, in its dependsOn order
   */
  static ProviderRequest planned(TaskSpec spec, UpstreamContext context, List<TaskSpec> parents,
      Function<String, @Nullable String> values) {
    String prompt = PromptTemplate.of(spec.instructions()).render(values);
    if (context.included() && !parents.isEmpty()) {
      prompt = plannedContext(spec, context, parents, values, prompt);
    }
    return ProviderRequest.builder().prompt(prompt)
        .system(spec.system() == null ? null : PromptTemplate.of(spec.system()).render(values))
        .maxOutputTokens(spec.maxOutputTokens()).expectedOutput(spec.expectedOutput()).taskType(spec.taskType())
        .timeout(spec.timeout()).build();
  }

  /** The specs of the tasks the task at {@code index} depends on, in its dependsOn order. */
  static List<TaskSpec> parents(dev.orchestrator.workflow.Workflow workflow, int index) {
    int count = workflow.dependencyCount(index);
    if (count == 0) {
      return List.of();
    }
    List<TaskSpec> parents = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      parents.add(workflow.tasks().get(workflow.dependency(index, k)));
    }
    return parents;
  }

  private static String plannedContext(TaskSpec spec, UpstreamContext context, List<TaskSpec> parents,
      Function<String, @Nullable String> values, String prompt) {
    PromptTemplate instructions = PromptTemplate.of(spec.instructions());
    PromptTemplate system = spec.system() == null ? null : PromptTemplate.of(spec.system());
    List<String> ids = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (TaskSpec p : parents) {
      if (UpstreamOutputs.places(instructions, p.id()) || UpstreamOutputs.places(system, p.id())) {
        continue;
      }
      String output = values.apply(PromptTemplate.TASKS_PREFIX + p.id() + ".output");
      if (output == null) {
        int tokens = p.maxOutputTokens() != null ? Math.min(p.maxOutputTokens(), context.maxTokens())
            : context.maxTokens();
        output = standIn(tokens);
      }
      ids.add(p.id());
      titles.add(PromptTemplate.of(p.title()).render(values));
      outputs.add(output);
    }
    if (ids.isEmpty()) {
      return prompt;
    }
    return UpstreamOutputs.render(prompt, ids.toArray(String[]::new), titles.toArray(String[]::new),
        outputs.toArray(String[]::new), context.maxTokens());
  }

  /**
   * Text of {@code tokens} estimated tokens made of a common word, which tokenizers count about as they count
   * prose (4 bytes a token), so a provider's estimate prices it like a real output of that size.
   */
  private static String standIn(int tokens) {
    return "the ".repeat((int) Math.min(Integer.MAX_VALUE / 4, (long) tokens * 3 / 4));
  }

  static ProviderRequest request(TaskNode n) {
    TaskSpec spec = n.spec;
    return ProviderRequest.builder().prompt(prompt(n)).system(fill(n, spec.system()))
        .maxOutputTokens(spec.maxOutputTokens()).expectedOutput(expected(n)).taskType(spec.taskType())
        .timeout(spec.timeout()).build();
  }

  /** A text with its placeholders filled in one pass, like the prompt. */
  static @Nullable String fill(TaskNode n, @Nullable String text) {
    return text == null || text.indexOf("{{") < 0 ? text : PromptTemplate.of(text).render(name -> lookup(n, name));
  }

  private static @Nullable ExpectedOutput expected(TaskNode n) {
    ExpectedOutput e = n.spec.expectedOutput();
    if (e == null || e.kind() != ExpectedOutput.Kind.TEXT) {
      return e;
    }
    return ExpectedOutput.text(fill(n, e.content()));
  }

  static String prompt(TaskNode n) {
    PromptTemplate prompt = n.prompt();
    String text = prompt == null ? n.spec.instructions() : prompt.render(name -> lookup(n, name));
    if (n.dependencyCount() > 0) {
      text = UpstreamOutputs.append(text, n);
    }
    if (n.feedback() != null) {
      text = text + "\n\nA reviewer rejected your previous answer. Their feedback:\n" + n.feedback()
          + "\n\nYour previous answer:\n" + n.pendingOutput() + "\n\nWrite an improved answer.";
    }
    if (n.repair() != null) {
      text = text + "\n\n" + n.repair();
    }
    List<String> dialogue = n.dialogue();
    if (dialogue != null && (prompt == null || !prompt.placeholders().contains(PromptTemplate.INPUT))) {
      StringBuilder sb = new StringBuilder(text);
      for (int i = 0; i < dialogue.size(); i += 2) {
        sb.append("\n\nQuestion: ").append(dialogue.get(i)).append("\nAnswer: ").append(dialogue.get(i + 1));
      }
      text = sb.toString();
    }
    return text;
  }

  /** The task's title with its placeholders filled. */
  static String title(TaskNode n) {
    PromptTemplate t = n.run.workflow.titleIfTemplated(n.index);
    return t == null ? n.spec.title() : t.render(name -> lookup(n, name));
  }

  private static @Nullable String lookup(TaskNode n, String name) {
    if (name.equals(PromptTemplate.INPUT)) {
      String a = n.lastAnswer();
      return a == null ? "" : a;
    }
    String ref = PromptTemplate.taskReference(name);
    if (ref != null) {
      int i = n.run.workflow.indexOf(ref);
      return i < 0 ? null : n.run.nodes[i].output;
    }
    return n.run.params.get(name);
  }
}
