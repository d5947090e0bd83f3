package dev.orchestrator.core.internal;

import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.UpstreamContext;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The section of a prompt that holds the outputs of the task's dependencies, in the format and within the budget
 * that {@link UpstreamContext} documents: a heading line per dependency, its output, an end line; outputs over
 * their fair share of the budget lose their middle to one line saying how much was cut.
 *
 * <p>Only tasks with dependencies come here, when their call starts; a task without any allocates nothing.
 */
final class UpstreamOutputs {
  static final String INTRO = "The tasks this one depends on produced the following.";
  /** UTF-8 bytes per estimated token: {@link UpstreamContext#estimateTokens(CharSequence)} rounds bytes / 3 up. */
  private static final int BYTES_PER_TOKEN = 3;

  private UpstreamOutputs() {}

  /**
   * An output as placed: whole, or its first {@code head} characters and the characters from {@code tail} on, around
   * a line saying how much was cut.
   */
  record Placed(String output, int head, int tail) {
    boolean cut() {
      return head < tail;
    }

    /** The estimated tokens of what is kept of the output, the cut line not counted. */
    int keptTokens() {
      return cut()
          ? UpstreamContext.estimateTokens(new StringBuilder(head + output.length() - tail)
              .append(output, 0, head).append(output, tail, output.length()))
          : UpstreamContext.estimateTokens(output);
    }

    void appendTo(StringBuilder sb) {
      if (!cut()) {
        sb.append(output);
        return;
      }
      sb.append(output, 0, head);
      if (head > 0 && output.charAt(head - 1) != '\n') {
        sb.append('\n');
      }
      sb.append(marker(output, head, tail));
      if (tail < output.length() && output.charAt(tail) != '\n') {
        sb.append('\n');
      }
      sb.append(output, tail, output.length());
    }
  }

  /** The line that replaces {@code output[head, tail)}. */
  static String marker(String output, int head, int tail) {
    int chars = output.codePointCount(head, tail);
    int tokens = UpstreamContext.estimateTokens(output.subSequence(head, tail));
    return "[... " + chars + " characters (about " + tokens + " tokens) cut from the middle to fit the context"
        + " budget ...]";
  }

  /**
   * Fits outputs into {@code budget} estimated tokens together: when they fit, each is placed whole; otherwise each
   * gets a fair share (max-min: an output below an equal share of what is left keeps its size, the others share the
   * rest equally) and an output over its share keeps its beginning and its end, half the share each.
   */
  static Placed[] fit(String[] outputs, int budget) {
    int n = outputs.length;
    int[] size = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      size[i] = UpstreamContext.estimateTokens(outputs[i]);
      total += size[i];
    }
    Placed[] placed = new Placed[n];
    if (total <= budget) {
      for (int i = 0; i < n; i++) {
        placed[i] = new Placed(outputs[i], outputs[i].length(), outputs[i].length());
      }
      return placed;
    }
    Integer[] bySize = new Integer[n];
    for (int i = 0; i < n; i++) {
      bySize[i] = i;
    }
    Arrays.sort(bySize, (a, b) -> Integer.compare(size[a], size[b]));
    long left = budget;
    for (int k = 0; k < n; k++) {
      int i = bySize[k];
      int others = n - k;
      if (size[i] <= left / others) {
        placed[i] = new Placed(outputs[i], outputs[i].length(), outputs[i].length());
        left -= size[i];
        continue;
      }
      // Every larger output is over the share too: they split what is left equally, the remainder one each.
      long share = left / others;
      long extra = left % others;
      for (int j = k; j < n; j++) {
        int o = bySize[j];
        placed[o] = cut(outputs[o], (int) (share + (j - k < extra ? 1 : 0)));
      }
      break;
    }
    return placed;
  }

  /** {@code output} kept within {@code allowance} estimated tokens: its beginning and its end, half each. */
  static Placed cut(String output, int allowance) {
    long bytes = (long) allowance * BYTES_PER_TOKEN;
    long headBytes = bytes / 2;
    int head = 0;
    long used = 0;
    while (head < output.length()) {
      int cp = output.codePointAt(head);
      int b = utf8(cp);
      if (used + b > headBytes) {
        break;
      }
      used += b;
      head += Character.charCount(cp);
    }
    long tailBytes = bytes - used;
    int tail = output.length();
    used = 0;
    while (tail > head) {
      int cp = output.codePointBefore(tail);
      int at = tail - Character.charCount(cp);
      int b = utf8(cp);
      if (used + b > tailBytes) {
        break;
      }
      used += b;
      tail = at;
    }
    return new Placed(output, head, tail);
  }

  /** The UTF-8 bytes of a code point; an unpaired surrogate counts as its replacement's 3. */
  private static int utf8(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp > 0xFFFF ? 4 : 3;
  }

  /**
   * Appends the section of {@code node}'s dependencies to its rendered prompt, or returns the prompt as it is when
   * its context is off or no dependency is left once those placed by placeholders are taken out.
   */
  static String append(String prompt, TaskNode node) {
    RunState run = node.run;
    UpstreamContext context = run.workflow.context(node.index);
    int count = node.dependencyCount();
    if (!context.included() || count == 0) {
      return prompt;
    }
    PromptTemplate instructions = node.prompt();
    String system = node.spec.system();
    PromptTemplate systemTemplate = system != null && system.indexOf("{{") >= 0 ? PromptTemplate.of(system) : null;
    TaskNode[] parents = new TaskNode[count];
    String[] outputs = new String[count];
    int m = 0;
    for (int k = 0; k < count; k++) {
      TaskNode p = run.nodes[node.dependency(k)];
      if (p.output == null || places(instructions, p.id()) || places(systemTemplate, p.id())) {
        continue;
      }
      parents[m] = p;
      outputs[m++] = p.output;
    }
    if (m == 0) {
      return prompt;
    }
    String[] titles = new String[m];
    String[] ids = new String[m];
    for (int k = 0; k < m; k++) {
      ids[k] = parents[k].id();
      titles[k] = Prompts.title(parents[k]);
    }
    return render(prompt, ids, titles, Arrays.copyOf(outputs, m), context.maxTokens());
  }

  /** The prompt with the section of these dependencies: ids, titles and outputs in dependsOn order. */
  static String render(String prompt, String[] ids, String[] titles, String[] outputs, int budget) {
    Placed[] placed = fit(outputs, budget);
    int size = prompt.length() + INTRO.length() + 4;
    for (int k = 0; k < ids.length; k++) {
      size += 48 + 2 * ids[k].length() + titles[k].length() + outputs[k].length();
    }
    StringBuilder sb = new StringBuilder(size);
    sb.append(prompt).append("\n\n").append(INTRO).append('\n');
    for (int k = 0; k < ids.length; k++) {
      sb.append("\n=== Task ").append(ids[k]);
      if (!titles[k].equals(ids[k])) {
        sb.append(": ").append(titles[k]);
      }
      sb.append(" ===\n");
      placed[k].appendTo(sb);
      if (sb.charAt(sb.length() - 1) != '\n') {
        sb.append('\n');
      }
      sb.append("=== End of task ").append(ids[k]).append(" ===\n");
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /** Whether {@code template} places the output of task {@code id} ({@code {{tasks.<id>.output}}}). */
  static boolean places(@Nullable PromptTemplate template, String id) {
    if (template == null) {
      return false;
    }
    List<String> names = template.placeholders();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name.length() == PromptTemplate.TASKS_PREFIX.length() + id.length() + ".output".length()
          && name.startsWith(PromptTemplate.TASKS_PREFIX) && name.startsWith(id, PromptTemplate.TASKS_PREFIX.length())
          && name.endsWith(".output")) {
        return true;
      }
    }
    return false;
  }
}
