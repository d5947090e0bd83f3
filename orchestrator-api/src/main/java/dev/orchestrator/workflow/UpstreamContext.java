package dev.orchestrator.workflow;

import org.jspecify.annotations.Nullable;

/**
 * Whether a task sees the outputs of the tasks it depends on, and how much of them. Immutable and thread-safe.
 *
 * <p>By default ({@link #parents()}) work flows down the graph: when a task starts, the outputs of its direct
 * dependencies are appended to its instructions, one section per dependency in {@link TaskSpec#dependsOn()} order:
 *
 * <pre>{@code
 * Edit and refine
 *
 * The tasks this one depends on produced the following.
 *
 * === Task 2: Write draft on home composting ===
 * <the draft>
 * === End of task 2 ===
 * }</pre>
 *
 * <p>A dependency whose output the instructions or the system prompt already place with
 * {@code {{tasks.<id>.output}}} is not repeated, nor is one without an output; when no dependency is left, nothing is
 * appended. A task without instructions uses its title, so the roadmap's {@code "Edit and refine"} task, which has
 * none, gets its title and its dependency's output.
 *
 * <p><b>The budget.</b> The outputs placed in the sections are at most {@link #maxTokens()} tokens together, counted
 * by {@link #estimateTokens(CharSequence)} (a conservative estimate: one token for every 3 bytes of UTF-8). The
 * budget is split fairly: an output no larger than an equal share is kept whole, and what it leaves is shared among
 * the larger ones, again equally. An output larger than its share loses its middle: its beginning and its end are
 * kept (half of the share each) around one line that says how much was cut, such as
 * {@code [... 1234 characters (about 412 tokens) cut to fit the context budget ...]}. An output is cut only when
 * the outputs together exceed the budget, and the cut line appears exactly when something was cut. The section
 * headings and the cut line are not counted: a few tokens per dependency.
 *
 * <pre>{@code
 * Workflow.builder("blog")
 *     .context(UpstreamContext.parents(4_000))                  // the default of every task of this workflow
 *     .task("research", t -> t.instructions("Research {{topic}}"))
 *     .task("draft", t -> t.instructions("Draft a post").dependsOn("research"))
 *     .task("tweet", t -> t.instructions("Tweet about {{topic}}").dependsOn("draft").noContext())
 *     .build();
 * }</pre>
 *
 * <p>Create one with {@link #parents()}, {@link #parents(int)} or {@link #none()}; the constructor is private, so
 * the context can learn more (how far up the graph it reaches, say) without breaking callers. Two contexts are equal
 * when they are both included with the same budget, or both left out.
 *
 * @since 0.1
 */
public final class UpstreamContext {
  /** The budget of {@link #parents()}: 8,000 estimated tokens, about 24 KB of text. */
  public static final int DEFAULT_MAX_TOKENS = 8_000;

  private static final UpstreamContext PARENTS = new UpstreamContext(true, DEFAULT_MAX_TOKENS);
  private static final UpstreamContext NONE = new UpstreamContext(false, 0);

  private final boolean included;
  private final int maxTokens;

  private UpstreamContext(boolean included, int maxTokens) {
    this.included = included;
    this.maxTokens = maxTokens;
  }

  /** The default: the outputs of the direct dependencies, up to {@link #DEFAULT_MAX_TOKENS} tokens. */
  public static UpstreamContext parents() {
    return PARENTS;
  }

  /**
   * The outputs of the direct dependencies, up to {@code maxTokens} estimated tokens together.
   *
   * @throws IllegalArgumentException when {@code maxTokens < 1}
   */
  public static UpstreamContext parents(int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("context maxTokens must be >= 1 (was " + maxTokens
          + "): use UpstreamContext.none() to leave the dependencies' outputs out");
    }
    return maxTokens == DEFAULT_MAX_TOKENS ? PARENTS : new UpstreamContext(true, maxTokens);
  }

  /** No outputs appended: the task sees only what its placeholders place. */
  public static UpstreamContext none() {
    return NONE;
  }

  /** Whether the outputs of the direct dependencies are appended. */
  public boolean included() {
    return included;
  }

  /**
   * The budget of the appended outputs, estimated by {@link #estimateTokens(CharSequence)}; 0 when not included.
   */
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof UpstreamContext c && included == c.included && maxTokens == c.maxTokens;
  }

  @Override
  public int hashCode() {
    return 31 * Boolean.hashCode(included) + maxTokens;
  }

  @Override
  public String toString() {
    return "UpstreamContext[included=" + included + ", maxTokens=" + maxTokens + "]";
  }

  /**
   * The estimate the budget counts in: one token for every 3 bytes of the text's UTF-8 encoding, rounded up. It is
   * above what common tokenizers give for English prose and code (about 4 bytes a token), and about one token a
   * character for scripts of 3-byte characters. Allocates nothing.
   */
  public static int estimateTokens(CharSequence text) {
    long bytes = utf8Length(text, 0, text.length());
    return (int) Math.min(Integer.MAX_VALUE, (bytes + 2) / 3);
  }

  /** The UTF-8 length of {@code text[from, to)}; an unpaired surrogate counts as the 3 bytes of its replacement. */
  private static long utf8Length(CharSequence text, int from, int to) {
    long bytes = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
