package dev.orchestrator.core.internal;

import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The request an author call sends: the task's instructions with placeholders, feedback, repairs and answers. */
final class Prompts {
  private Prompts() {}

  /**
   * The request a task would send, its placeholders filled from {@code values}: what estimates (the dry run, the
   * forecast) price before the task runs.
   */
  static ProviderRequest planned(TaskSpec spec, java.util.function.Function<String, @Nullable String> values) {
    return new ProviderRequest(PromptTemplate.of(spec.instructions()).render(values),
        spec.system() == null ? null : PromptTemplate.of(spec.system()).render(values), spec.maxOutputTokens(),
        spec.expectedOutput(), spec.taskType(), spec.timeout());
  }

  static ProviderRequest request(TaskNode n) {
    TaskSpec spec = n.spec;
    return new ProviderRequest(prompt(n), fill(n, spec.system()), spec.maxOutputTokens(), expected(n),
        spec.taskType(), spec.timeout());
  }

  /** A text with its placeholders filled in one pass, like the prompt. */
  private static @Nullable String fill(TaskNode n, @Nullable String text) {
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
