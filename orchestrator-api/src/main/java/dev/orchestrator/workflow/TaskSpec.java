package dev.orchestrator.workflow;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.policy.RetryPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One task of a {@link Workflow}: what to ask, whom to ask, and what it waits for. Immutable and thread-safe;
 * build one with {@link #builder(String)} or inside {@link Workflow.Builder#task(String, java.util.function.Consumer)}.
 *
 * @param id unique within its workflow: letters, digits, {@code _} and {@code -} (numeric ids such as {@code "1"} work)
 * @param title a short name for people; defaults to the id
 * @param instructions the prompt, with {@code {{param}}}, {@code {{tasks.<id>.output}}} and {@code {{input}}}
 *     placeholders; defaults to the title. When the task runs, the outputs of the tasks it depends on that no
 *     placeholder places follow it, unless its {@code context} is {@link UpstreamContext#none()}
 * @param system an optional system prompt
 * @param providers the provider instance names to use, in order of preference (lower case); empty means the
 *     engine's default provider
 * @param taskType the kind of work, for statistics and learning; {@code "general"} by default
 * @param priority the lane the task waits in when ready; {@link Priority#MEDIUM} by default
 * @param dependsOn ids of the tasks that must succeed before this one starts
 * @param timeout the longest one provider call may take, or null for no limit
 * @param maxCost the most this task may spend, or null for no task-level limit
 * @param maxOutputTokens the most output tokens to ask the provider for, or null for the provider's default
 * @param expectedOutput what the output should look like, or null
 * @param question a question put to a human before the task runs (the answer fills {@code {{input}}}), or null
 * @param retry how this task is retried, overriding the provider's and the engine's policy, or null
 * @param review peer review of the output by another provider, or null
 * @param context whether the outputs of the tasks it depends on are appended to its prompt, and how much of them
 *     (see {@link UpstreamContext}); null for the workflow's {@link Workflow#context() default}
 *
 * <p>The Bean Validation annotations declare the rules for applications that validate with their own validator.
 * The library checks the same rules itself, in plain Java, in {@link Workflow.Builder#build()}: it needs no
 * validator at run time.
 */
public record TaskSpec(
    @NotBlank(message = TaskRules.ID_BLANK) @Pattern(regexp = TaskRules.ID_REGEX, message = TaskRules.ID_FORMAT)
    String id,
    @NotBlank(message = TaskRules.TITLE_BLANK) @Size(max = TaskRules.TITLE_MAX, message = TaskRules.TITLE_SIZE)
    String title,
    @NotBlank(message = TaskRules.INSTRUCTIONS_BLANK) String instructions,
    @Nullable String system,
    @NotNull List<@NotBlank(message = TaskRules.PROVIDER_BLANK) String> providers,
    @NotBlank(message = TaskRules.TASK_TYPE_BLANK)
    @Pattern(regexp = TaskRules.TASK_TYPE_REGEX, message = TaskRules.TASK_TYPE_FORMAT)
    String taskType,
    @NotNull Priority priority,
    @NotNull List<@NotBlank(message = TaskRules.DEPENDENCY_BLANK) String> dependsOn,
    @Nullable Duration timeout,
    @Nullable Money maxCost,
    @Nullable @Positive(message = TaskRules.MAX_OUTPUT_TOKENS_POSITIVE) Integer maxOutputTokens,
    @Nullable @Valid ExpectedOutput expectedOutput,
    @Nullable String question,
    @Nullable RetryPolicy retry,
    @Nullable Review review,
    @Nullable UpstreamContext context) {

  /** The task type used when none is given. */
  public static final String DEFAULT_TASK_TYPE = "general";

  public TaskSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(instructions, "instructions");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(priority, "priority");
    providers = List.copyOf(providers);
    dependsOn = List.copyOf(dependsOn);
  }

  /** A task that takes its workflow's {@link Workflow#context() default context}. */
  public TaskSpec(String id, String title, String instructions, @Nullable String system, List<String> providers,
      String taskType, Priority priority, List<String> dependsOn, @Nullable Duration timeout, @Nullable Money maxCost,
      @Nullable Integer maxOutputTokens, @Nullable ExpectedOutput expectedOutput, @Nullable String question,
      @Nullable RetryPolicy retry, @Nullable Review review) {
    this(id, title, instructions, system, providers, taskType, priority, dependsOn, timeout, maxCost, maxOutputTokens,
        expectedOutput, question, retry, review, null);
  }

  /** Starts a task with the given id. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this task's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.title = title;
    b.instructions = instructions;
    b.system = system;
    b.providers.addAll(providers);
    b.taskType = taskType;
    b.priority = priority;
    b.dependsOn.addAll(dependsOn);
    b.timeout = timeout;
    b.maxCost = maxCost;
    b.maxOutputTokens = maxOutputTokens;
    b.expectedOutput = expectedOutput;
    b.question = question;
    b.retry = retry;
    b.review = review;
    b.context = context;
    return b;
  }

  /** The instructions as a template. */
  public PromptTemplate prompt() {
    return PromptTemplate.of(instructions);
  }

  /**
   * Builds a {@link TaskSpec}. Each setter checks its value at once and throws
   * {@link IllegalArgumentException} naming the value and the fix. Mutable and not thread-safe;
   * {@link #build()} copies, so reusing a builder never changes a task already built.
   */
  public static final class Builder {
    private final String id;
    private @Nullable String title;
    private @Nullable String instructions;
    private @Nullable String system;
    private final List<String> providers = new ArrayList<>(2);
    private String taskType = DEFAULT_TASK_TYPE;
    private Priority priority = Priority.MEDIUM;
    private final List<String> dependsOn = new ArrayList<>(2);
    private @Nullable Duration timeout;
    private @Nullable Money maxCost;
    private @Nullable Integer maxOutputTokens;
    private @Nullable ExpectedOutput expectedOutput;
    private @Nullable String question;
    private @Nullable RetryPolicy retry;
    private @Nullable Review review;
    private @Nullable UpstreamContext context;

    Builder(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("task id must not be blank (was " + quote(id) + "): give every task an id");
      }
      if (!TaskRules.ID.matcher(id).matches()) {
        throw new IllegalArgumentException("task id " + TaskRules.ID_FORMAT + " (was " + quote(id) + ")");
      }
      this.id = id;
    }

    /** The task's id. */
    public String id() {
      return id;
    }

    /** A short name for people; defaults to the id. Placeholders are allowed. */
    public Builder title(String title) {
      this.title = requireText("title", title);
      return this;
    }

    /** The prompt text, with {@code {{placeholders}}}; defaults to the title. */
    public Builder instructions(String instructions) {
      this.instructions = requireText("instructions", instructions);
      return this;
    }

    /** A system prompt sent before the instructions. */
    public Builder system(String system) {
      this.system = requireText("system", system);
      return this;
    }

    /** The single provider instance to run on (replaces earlier choices). Names are case-insensitive. */
    public Builder provider(String name) {
      providers.clear();
      providers.add(providerName(name));
      return this;
    }

    /**
     * Candidate provider instances in order of preference (replaces earlier choices): the first available
     * one runs the task, the next ones are for failover.
     */
    public Builder providers(String... names) {
      List<String> list = new ArrayList<>(names.length);
      for (String n : names) {
        String p = providerName(n);
        if (list.contains(p)) {
          throw new IllegalArgumentException(
              "task '" + id + "': provider '" + n + "' is listed twice: name each candidate once");
        }
        list.add(p);
      }
      providers.clear();
      providers.addAll(list);
      return this;
    }

    /** The kind of work, for statistics and learning, such as {@code code_generation}. */
    public Builder taskType(String taskType) {
      String t = requireText("taskType", taskType).toLowerCase(Locale.ROOT);
      if (!TaskRules.TASK_TYPE.matcher(t).matches()) {
        throw new IllegalArgumentException(
            "task '" + id + "': taskType must be 1 to 64 letters, digits, '_' or '-' (was '" + taskType + "')");
      }
      this.taskType = t;
      return this;
    }

    /** The lane the task waits in when ready. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Adds tasks that must succeed before this one starts. */
    public Builder dependsOn(String... ids) {
      for (String dep : ids) {
        if (dep == null || dep.isBlank()) {
          throw new IllegalArgumentException("task '" + id + "': dependsOn must not contain a blank id");
        }
        if (dep.equals(id)) {
          throw new IllegalArgumentException(
              "task '" + id + "' cannot depend on itself: remove '" + id + "' from dependsOn");
        }
        if (!dependsOn.contains(dep)) {
          dependsOn.add(dep);
        }
      }
      return this;
    }

    /** The longest one provider call may take. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "task '" + id + "': timeout must be positive (was " + timeout + "): use for example Duration.ofMinutes(5)");
      }
      this.timeout = timeout;
      return this;
    }

    /** The most this task may spend. */
    public Builder maxCost(Money maxCost) {
      Objects.requireNonNull(maxCost, "maxCost");
      if (maxCost.isNegative()) {
        throw new IllegalArgumentException(
            "task '" + id + "': maxCost must not be negative (was " + maxCost + ")");
      }
      this.maxCost = maxCost;
      return this;
    }

    /** The most output tokens to ask for. */
    public Builder maxOutputTokens(int maxOutputTokens) {
      if (maxOutputTokens < 1) {
        throw new IllegalArgumentException(
            "task '" + id + "': maxOutputTokens must be >= 1 (was " + maxOutputTokens + ")");
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /** What the output should look like. */
    public Builder expectedOutput(ExpectedOutput expectedOutput) {
      this.expectedOutput = Objects.requireNonNull(expectedOutput, "expectedOutput");
      return this;
    }

    /** A question put to a human before the task runs; the answer fills {@code {{input}}}. */
    public Builder question(String question) {
      this.question = requireText("question", question);
      return this;
    }

    /** How this task is retried, overriding the provider's and the engine's policy. */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Has another provider review the output, sending rejections back for revision. */
    public Builder review(Review review) {
      this.review = Objects.requireNonNull(review, "review");
      return this;
    }

    /**
     * Whether the outputs of the tasks it depends on are appended to its prompt, and how much of them; by default
     * the workflow's {@link Workflow.Builder#context(UpstreamContext) context}, itself
     * {@link UpstreamContext#parents()} unless set.
     */
    public Builder context(UpstreamContext context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Leaves the outputs of the tasks it depends on out of its prompt: it sees only what its
     * {@code {{tasks.<id>.output}}} placeholders place. The same as {@code context(UpstreamContext.none())}.
     */
    public Builder noContext() {
      return context(UpstreamContext.none());
    }

    /** Builds the task; the graph-level checks happen in {@link Workflow.Builder#build()}. */
    public TaskSpec build() {
      String t = title != null ? title : id;
      String i = instructions != null ? instructions : t;
      return new TaskSpec(id, t, i, system, providers, taskType, priority, dependsOn, timeout, maxCost,
          maxOutputTokens, expectedOutput, question, retry, review, context);
    }

    private String requireText(String field, @Nullable String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(
            "task '" + id + "': " + field + " must not be blank (was " + quote(value) + ")");
      }
      return value;
    }

    private String providerName(@Nullable String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "task '" + id + "': provider name must not be blank (was " + quote(name) + "): name a configured provider such as 'claude'");
      }
      return name.trim().toLowerCase(Locale.ROOT);
    }
  }

  static String quote(@Nullable String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
