package dev.orchestrator.workflow;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.policy.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One task of a {@link Workflow}: what to ask, whom to ask, and what it waits for. Immutable and thread-safe; build
 * one with {@link #builder(String)} or inside {@link Workflow.Builder#task(String, java.util.function.Consumer)}.
 *
 * <p>Every task that exists follows the rules of its fields (given with each accessor): the builder's setters refuse
 * a value that breaks one at once, with an {@link IllegalArgumentException} naming the task, the field, the value and
 * the fix, and the task's constructor checks them again by the same code, so no validator is needed. The rules that
 * span tasks (unknown dependencies, cycles, output placeholders) are checked by {@link Workflow.Builder#build()}.
 *
 * <pre>{@code
 * TaskSpec draft = TaskSpec.builder("draft").instructions("Draft a post about {{topic}}")
 *     .providers("claude", "chatgpt").dependsOn("research").timeout(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class TaskSpec {

  /** The task type used when none is given. */
  public static final String DEFAULT_TASK_TYPE = "general";

  /**
   * The provider name that lets the project's learning strategy choose: {@code provider("auto")} is
   * {@link Builder#autoProvider()}, and no provider instance may be named so.
   */
  public static final String AUTO_PROVIDER = "auto";

  /** How many questions a task's provider may ask its collaborators when no {@code maxExchanges} is given. */
  public static final int DEFAULT_MAX_EXCHANGES = 3;

  private final String id;
  private final String title;
  private final String instructions;
  private final @Nullable String system;
  private final List<String> providers;
  private final boolean autoProvider;
  private final String taskType;
  private final Priority priority;
  private final List<String> dependsOn;
  private final @Nullable Duration timeout;
  private final @Nullable Money maxCost;
  private final @Nullable Integer maxOutputTokens;
  private final @Nullable ExpectedOutput expectedOutput;
  private final @Nullable String question;
  private final @Nullable RetryPolicy retry;
  private final @Nullable Review review;
  private final @Nullable UpstreamContext context;
  private final List<String> collaborators;
  private final int maxExchanges;
  private final @Nullable Approval approval;

  private TaskSpec(Builder b) {
    String task = TaskRules.id(b.id);
    this.id = task;
    this.title = TaskRules.title(task, b.title != null ? b.title : task);
    this.instructions = TaskRules.instructions(task, b.instructions != null ? b.instructions : title);
    this.system = b.system == null ? null : TaskRules.system(task, b.system);
    this.providers = TaskRules.providers(task, b.providers);
    this.autoProvider = b.autoProvider;
    this.taskType = TaskRules.taskType(task, b.taskType);
    this.priority = Objects.requireNonNull(b.priority, "priority");
    this.dependsOn = TaskRules.dependsOn(task, b.dependsOn);
    this.timeout = b.timeout == null ? null : TaskRules.timeout(task, b.timeout);
    this.maxCost = b.maxCost == null ? null : TaskRules.maxCost(task, b.maxCost);
    this.maxOutputTokens = b.maxOutputTokens == null ? null : TaskRules.maxOutputTokens(task, b.maxOutputTokens);
    this.expectedOutput = b.expectedOutput;
    this.question = b.question == null ? null : TaskRules.question(task, b.question);
    this.retry = b.retry;
    this.review = b.review;
    this.context = b.context;
    this.collaborators = TaskRules.providers(task, b.collaborators);
    this.maxExchanges = TaskRules.maxExchanges(task, b.maxExchanges);
    this.approval = b.approval;
  }

  /**
   * Starts a task with the given id.
   *
   * @throws IllegalArgumentException when the id is blank or not 1 to 100 letters, digits, {@code _} or {@code -}
   */
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
    b.autoProvider = autoProvider;
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
    b.collaborators.addAll(collaborators);
    b.maxExchanges = maxExchanges;
    b.approval = approval;
    return b;
  }

  /**
   * Unique within its workflow: 1 to 100 letters, digits, {@code _} and {@code -} (numeric ids such as {@code "1"}
   * work).
   */
  public String id() {
    return id;
  }

  /** A short name for people, not blank and at most 500 characters; the id unless set. */
  public String title() {
    return title;
  }

  /**
   * The prompt, not blank, with {@code {{param}}}, {@code {{tasks.<id>.output}}} and {@code {{input}}} placeholders;
   * the title unless set. When the task runs, the outputs of the tasks it depends on that no placeholder places
   * follow it, unless its {@link #context()} is {@link UpstreamContext#none()}.
   */
  public String instructions() {
    return instructions;
  }

  /** A system prompt (not blank), or null. */
  public @Nullable String system() {
    return system;
  }

  /**
   * The provider instance names to use, in order of preference, in lower case and each once; empty means the engine's
   * default provider.
   */
  public List<String> providers() {
    return providers;
  }

  /**
   * Whether the project's learning strategy chooses the provider ({@code "assigned_to": "auto"}): among
   * {@link #providers()} when it lists any, else among every configured provider instance, the default one first.
   * Without a strategy the task runs on the first of those candidates and fails over in their order.
   */
  public boolean autoProvider() {
    return autoProvider;
  }

  /**
   * The kind of work, for statistics and learning: 1 to 64 lower-case letters, digits, {@code _} or {@code -};
   * {@value #DEFAULT_TASK_TYPE} unless set.
   */
  public String taskType() {
    return taskType;
  }

  /** The lane the task waits in when ready; {@link Priority#MEDIUM} unless set. */
  public Priority priority() {
    return priority;
  }

  /** Ids of the tasks that must succeed before this one starts, each once and never its own. */
  public List<String> dependsOn() {
    return dependsOn;
  }

  /** The longest one provider call may take (positive), or null for no limit. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** The most this task may spend (not negative), or null for no task-level limit. */
  public @Nullable Money maxCost() {
    return maxCost;
  }

  /** The most output tokens to ask the provider for (at least 1), or null for the provider's default. */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** What the output should look like, or null. */
  public @Nullable ExpectedOutput expectedOutput() {
    return expectedOutput;
  }

  /** A question (not blank) put to a human before the task runs, the answer filling {@code {{input}}}; or null. */
  public @Nullable String question() {
    return question;
  }

  /** How this task is retried, overriding the provider's and the engine's policy, or null. */
  public @Nullable RetryPolicy retry() {
    return retry;
  }

  /** Peer review of the output by another provider, or null. */
  public @Nullable Review review() {
    return review;
  }

  /**
   * Whether the outputs of the tasks it depends on are appended to its prompt, and how much of them (see
   * {@link UpstreamContext}); null for the workflow's {@link Workflow#context() default}.
   */
  public @Nullable UpstreamContext context() {
    return context;
  }

  /**
   * The providers the task's provider may consult while it works, by name; empty (the default) when it works alone.
   * The working provider gets an {@code ask(provider, question)} tool (see {@code docs/collaboration.md}); each
   * question is a call of its own, costed and budgeted like any call of the task.
   */
  public List<String> collaborators() {
    return collaborators;
  }

  /**
   * How many questions the task's provider may ask its {@link #collaborators()} in all, per attempt; 3 by default.
   * A question past the limit is not sent: the provider is told the limit is reached and answers on its own.
   */
  public int maxExchanges() {
    return maxExchanges;
  }

  /**
   * The human approval this task needs before it runs or of its output, or null for none.
   *
   * @since 0.1
   */
  public @Nullable Approval approval() {
    return approval;
  }

  /** The instructions as a template. */
  public PromptTemplate prompt() {
    return PromptTemplate.of(instructions);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TaskSpec t && id.equals(t.id) && title.equals(t.title)
        && instructions.equals(t.instructions) && Objects.equals(system, t.system) && providers.equals(t.providers)
        && autoProvider == t.autoProvider && taskType.equals(t.taskType) && priority == t.priority && dependsOn.equals(t.dependsOn)
        && Objects.equals(timeout, t.timeout) && Objects.equals(maxCost, t.maxCost)
        && Objects.equals(maxOutputTokens, t.maxOutputTokens) && Objects.equals(expectedOutput, t.expectedOutput)
        && Objects.equals(question, t.question) && Objects.equals(retry, t.retry)
        && Objects.equals(review, t.review) && Objects.equals(context, t.context)
        && collaborators.equals(t.collaborators) && maxExchanges == t.maxExchanges
        && Objects.equals(approval, t.approval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, instructions, system, providers, autoProvider, taskType, priority, dependsOn, timeout, maxCost,
        maxOutputTokens, expectedOutput, question, retry, review, context, collaborators, maxExchanges, approval);
  }

  @Override
  public String toString() {
    return "TaskSpec[id=" + id + ", title=" + title + ", instructions=" + instructions + ", system=" + system
        + ", providers=" + providers + ", autoProvider=" + autoProvider + ", taskType=" + taskType + ", priority=" + priority + ", dependsOn="
        + dependsOn + ", timeout=" + timeout + ", maxCost=" + maxCost + ", maxOutputTokens=" + maxOutputTokens
        + ", expectedOutput=" + expectedOutput + ", question=" + question + ", retry=" + retry + ", review="
        + review + ", context=" + context
        + (collaborators.isEmpty() ? "" : ", collaborators=" + collaborators + ", maxExchanges=" + maxExchanges)
        + (approval == null ? "" : ", approval=" + approval) + "]";
  }

  /**
   * Builds a {@link TaskSpec}. Each setter checks its value at once and throws {@link IllegalArgumentException}
   * naming the task, the field, the value and the fix ({@link NullPointerException} for a null object), so a value
   * that was refused is never kept. Mutable and not thread-safe; {@link #build()} copies, so reusing a builder never
   * changes a task already built.
   */
  public static final class Builder {
    private final String id;
    private @Nullable String title;
    private @Nullable String instructions;
    private @Nullable String system;
    private final List<String> providers = new ArrayList<>(2);
    private boolean autoProvider;
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
    private final List<String> collaborators = new ArrayList<>(2);
    private int maxExchanges = DEFAULT_MAX_EXCHANGES;
    private @Nullable Approval approval;

    Builder(@Nullable String id) {
      this.id = TaskRules.id(id);
    }

    /** The task's id. */
    public String id() {
      return id;
    }

    /** A short name for people, not blank and at most 500 characters; defaults to the id. Placeholders are allowed. */
    public Builder title(String title) {
      this.title = TaskRules.title(id, title);
      return this;
    }

    /** The prompt text, not blank, with {@code {{placeholders}}}; defaults to the title. */
    public Builder instructions(String instructions) {
      this.instructions = TaskRules.instructions(id, instructions);
      return this;
    }

    /** A system prompt sent before the instructions, not blank. */
    public Builder system(String system) {
      this.system = TaskRules.system(id, system);
      return this;
    }

    /**
     * The single provider instance to run on (replaces earlier choices). Names are case-insensitive;
     * {@value #AUTO_PROVIDER} is {@link #autoProvider()} among every configured instance.
     */
    public Builder provider(String name) {
      String p = TaskRules.provider(id, name);
      providers.clear();
      autoProvider = p.equals(AUTO_PROVIDER);
      if (!autoProvider) {
        providers.add(p);
      }
      return this;
    }

    /**
     * Candidate provider instances in order of preference, each once (replaces earlier choices): the first available
     * one runs the task, the next ones are for failover. Names are case-insensitive; {@value #AUTO_PROVIDER} among
     * them makes the task {@link #autoProvider() auto} among the others.
     */
    public Builder providers(String... names) {
      List<String> list = new ArrayList<>(TaskRules.providers(id, Arrays.asList(names)));
      providers.clear();
      autoProvider = list.remove(AUTO_PROVIDER);
      providers.addAll(list);
      return this;
    }

    /**
     * Lets the project's learning strategy choose the provider: among the candidates given with
     * {@link #providers(String...)} (before or after), or among every configured provider instance when none is
     * given. The same as {@code "assigned_to": "auto"} in a template.
     */
    public Builder autoProvider() {
      autoProvider = true;
      return this;
    }

    /**
     * The kind of work, for statistics and learning, such as {@code code_generation}: 1 to 64 letters, digits,
     * {@code _} or {@code -}, kept in lower case.
     */
    public Builder taskType(String taskType) {
      this.taskType = TaskRules.taskType(id, taskType);
      return this;
    }

    /** The lane the task waits in when ready. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Adds tasks that must succeed before this one starts (an id given again is kept once). */
    public Builder dependsOn(String... ids) {
      List<String> added = new ArrayList<>(ids.length);
      for (String dep : ids) {
        added.add(TaskRules.dependency(id, dep));
      }
      for (String dep : added) {
        if (!dependsOn.contains(dep)) {
          dependsOn.add(dep);
        }
      }
      return this;
    }

    /** The longest one provider call may take, positive. */
    public Builder timeout(Duration timeout) {
      this.timeout = TaskRules.timeout(id, timeout);
      return this;
    }

    /** The most this task may spend, not negative. */
    public Builder maxCost(Money maxCost) {
      this.maxCost = TaskRules.maxCost(id, maxCost);
      return this;
    }

    /** The most output tokens to ask for, at least 1. */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = TaskRules.maxOutputTokens(id, maxOutputTokens);
      return this;
    }

    /** What the output should look like. */
    public Builder expectedOutput(ExpectedOutput expectedOutput) {
      this.expectedOutput = Objects.requireNonNull(expectedOutput, "expectedOutput");
      return this;
    }

    /** A question put to a human before the task runs, not blank; the answer fills {@code {{input}}}. */
    public Builder question(String question) {
      this.question = TaskRules.question(id, question);
      return this;
    }

    /**
     * A human approval the task needs, before it runs or of its output ({@link Approval#before()},
     * {@link Approval#after()}); none by default, and null clears it.
     */
    public Builder approval(@Nullable Approval approval) {
      this.approval = approval;
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

    /**
     * Lets the task's provider consult these providers while it works, replacing any named before: it gets an
     * {@code ask(provider, question)} tool, and each question is routed to the named provider as a call of its own.
     * No names (the default) means it works alone.
     *
     * <pre>{@code
     * TaskSpec.builder("draft").provider("chatgpt").collaborators("claude").maxExchanges(2)
     * }</pre>
     *
     * @throws IllegalArgumentException when a name is not a valid provider name or is listed twice
     */
    public Builder collaborators(String... names) {
      List<String> checked = TaskRules.providers(id, Arrays.asList(names));
      collaborators.clear();
      collaborators.addAll(checked);
      return this;
    }

    /**
     * How many questions the task's provider may ask its collaborators in all, per attempt; 3 by default.
     *
     * @throws IllegalArgumentException when not 1 to 100
     */
    public Builder maxExchanges(int maxExchanges) {
      this.maxExchanges = TaskRules.maxExchanges(id, maxExchanges);
      return this;
    }

    /** Builds the task; the rules that span tasks are checked in {@link Workflow.Builder#build()}. */
    public TaskSpec build() {
      return new TaskSpec(this);
    }
  }
}
