package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dry run: what would run, in which order, where, for how much, and what stands in the way. No provider was
 * called to make it. Create one with {@link #builder()}; the constructor is private, so callers keep compiling when
 * figures are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * Plan plan = Plan.builder().workflow("Blog Post Pipeline").project("blog")
 *     .waves(List.of(List.of(research), List.of(outline, draft)))
 *     .low(Money.usd("0.01")).expected(Money.usd("0.05")).high(Money.usd("0.20")).duration(Duration.ofMinutes(3))
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Plan {
  private final String workflow;
  private final String project;
  private final List<List<Step>> waves;
  private final Money low;
  private final Money expected;
  private final Money high;
  private final Duration duration;
  private final List<BudgetLine> budgets;
  private final List<String> problems;
  private final List<String> notes;

  private Plan(Builder b) {
    if (b.workflow == null) {
      throw new IllegalStateException("a plan needs the workflow's name: call workflow(\"...\")");
    }
    if (b.project == null) {
      throw new IllegalStateException("the plan of " + b.workflow + " needs a project: call project(\"...\")");
    }
    this.workflow = b.workflow;
    this.project = b.project;
    this.waves = b.waves;
    this.low = b.low;
    this.expected = b.expected;
    this.high = b.high;
    this.duration = b.duration;
    this.budgets = b.budgets;
    this.problems = b.problems;
    this.notes = b.notes;
  }

  /**
   * Starts a plan: workflow and project are required; no waves, amounts and duration zero, no budgets, problems or
   * notes.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The workflow's name. */
  public String workflow() {
    return workflow;
  }

  /** The project. */
  public String project() {
    return project;
  }

  /** The tasks in execution waves: every task of a wave depends only on earlier waves; unmodifiable. */
  public List<List<Step>> waves() {
    return waves;
  }

  /** The total if every reply is short. */
  public Money low() {
    return low;
  }

  /** The most likely total. */
  public Money expected() {
    return expected;
  }

  /** The worst case (every call uses its maximum output). */
  public Money high() {
    return high;
  }

  /** The expected duration along the critical path. */
  public Duration duration() {
    return duration;
  }

  /** Every limit that applies, with what is already spent; unmodifiable. */
  public List<BudgetLine> budgets() {
    return budgets;
  }

  /** What would stop the run or break a budget, one sentence each; empty when none. */
  public List<String> problems() {
    return problems;
  }

  /**
   * What the run would do that a reader should know but that stops nothing, such as calls to an unpriced model
   * recorded at $0; empty when none.
   */
  public List<String> notes() {
    return notes;
  }

  /**
   * One task as it would run. Create one with {@link #builder()}. Immutable and thread-safe.
   *
   * @since 0.1
   */
  public static final class Step {
    private final String taskId;
    private final String title;
    private final @Nullable String provider;
    private final String kind;
    private final Money low;
    private final Money expected;
    private final Money high;
    private final Duration duration;
    private final boolean bounded;
    private final @Nullable String choice;

    private Step(Builder b) {
      if (b.taskId == null) {
        throw new IllegalStateException("a plan step needs a task: call taskId(\"...\")");
      }
      this.taskId = b.taskId;
      this.title = b.title;
      this.provider = b.provider;
      this.kind = b.kind;
      this.low = b.low;
      this.expected = b.expected;
      this.high = b.high;
      this.duration = b.duration;
      this.bounded = b.bounded;
      this.choice = b.choice;
    }

    /**
     * Starts a step: the task is required; empty title, no provider, kind {@code "task"}, amounts and duration zero,
     * bounded.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this step's values, to derive a changed copy. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** The task. */
    public String taskId() {
      return taskId;
    }

    /** Its title, parameters filled in. */
    public String title() {
      return title;
    }

    /** The provider that would run it, or null when none could. */
    public @Nullable String provider() {
      return provider;
    }

    /** What the step is: {@code "task"}, or a later gate such as a review. */
    public String kind() {
      return kind;
    }

    /** Its cost if the reply is short. */
    public Money low() {
      return low;
    }

    /** Its likely cost. */
    public Money expected() {
      return expected;
    }

    /** Its worst case. */
    public Money high() {
      return high;
    }

    /** Its expected duration. */
    public Duration duration() {
      return duration;
    }

    /**
     * Whether {@code high} bounds its cost; false when the provider cannot say what a call may cost (an unpriced
     * model, an agent without {@code maxCostPerCall}), whose amounts are then zero and shown as unknown.
     */
    public boolean bounded() {
      return bounded;
    }

    /**
     * For a task with more than one candidate, how its provider is chosen in words: what the project's learning
     * strategy would pick and why, or that it runs as assigned; null otherwise.
     */
    public @Nullable String choice() {
      return choice;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Step s && taskId.equals(s.taskId) && title.equals(s.title)
          && Objects.equals(provider, s.provider) && kind.equals(s.kind) && low.equals(s.low)
          && expected.equals(s.expected) && high.equals(s.high) && duration.equals(s.duration)
          && bounded == s.bounded && Objects.equals(choice, s.choice);
    }

    @Override
    public int hashCode() {
      return Objects.hash(taskId, title, provider, kind, low, expected, high, duration, bounded, choice);
    }

    @Override
    public String toString() {
      return "Step[taskId=" + taskId + ", title=" + title + ", provider=" + provider + ", kind=" + kind + ", low="
          + low + ", expected=" + expected + ", high=" + high + ", duration=" + duration + ", bounded=" + bounded
          + ", choice=" + choice + "]";
    }

    /**
     * Builds a {@link Step}. Each setter checks its value at once. Mutable and not thread-safe; reusing a builder
     * never changes a step already built.
     */
    public static final class Builder {
      private @Nullable String taskId;
      private String title = "";
      private @Nullable String provider;
      private String kind = "task";
      private Money low = Money.ZERO;
      private Money expected = Money.ZERO;
      private Money high = Money.ZERO;
      private Duration duration = Duration.ZERO;
      private boolean bounded = true;
      private @Nullable String choice;

      private Builder() {}

      private Builder(Step from) {
        this.taskId = from.taskId;
        this.title = from.title;
        this.provider = from.provider;
        this.kind = from.kind;
        this.low = from.low;
        this.expected = from.expected;
        this.high = from.high;
        this.duration = from.duration;
        this.bounded = from.bounded;
        this.choice = from.choice;
      }

      /** The task. Required. */
      public Builder taskId(String taskId) {
        this.taskId = Objects.requireNonNull(taskId, "taskId");
        return this;
      }

      /** Its title, parameters filled in; empty by default. */
      public Builder title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return this;
      }

      /** The provider that would run it; none by default (no provider could), and null clears it. */
      public Builder provider(@Nullable String provider) {
        this.provider = provider;
        return this;
      }

      /** What the step is; {@code "task"} by default, or a later gate such as {@code "review"}. */
      public Builder kind(String kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        return this;
      }

      /** Its cost if the reply is short; zero by default. */
      public Builder low(Money low) {
        this.low = Objects.requireNonNull(low, "low");
        return this;
      }

      /** Its likely cost; zero by default. */
      public Builder expected(Money expected) {
        this.expected = Objects.requireNonNull(expected, "expected");
        return this;
      }

      /** Its worst case; zero by default. */
      public Builder high(Money high) {
        this.high = Objects.requireNonNull(high, "high");
        return this;
      }

      /**
       * Its expected duration; zero by default.
       *
       * @throws IllegalArgumentException when negative
       */
      public Builder duration(Duration duration) {
        this.duration = checkDuration(duration);
        return this;
      }

      /** Whether {@code high} bounds its cost; true by default. */
      public Builder bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
      }

      /** How its provider is chosen, in words; none by default, and null clears it. */
      public Builder choice(@Nullable String choice) {
        this.choice = choice;
        return this;
      }

      /**
       * Builds the step.
       *
       * @throws IllegalStateException when the task is missing
       */
      public Step build() {
        return new Step(this);
      }
    }
  }

  /** Whether nothing stands in the way. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** The plan table the command line prints. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Dry run of ").append(workflow).append(" in project ").append(project).append(" (no provider called)\n");
    sb.append(String.format("  %-5s %-28s %-12s %10s %10s %10s %9s%n", "WAVE", "TASK", "PROVIDER", "LOW",
        "EXPECTED", "HIGH", "TIME"));
    int wave = 1;
    for (List<Step> w : waves) {
      for (Step s : w) {
        sb.append(String.format("  %-5d %-28s %-12s %10s %10s %10s %9s%n", wave, trim(s.taskId() + " " + s.title()),
            s.provider() == null ? "-" : s.provider(), amount(s, s.low()), amount(s, s.expected()),
            amount(s, s.high()), human(s.duration())));
      }
      wave++;
    }
    sb.append(String.format("  %-5s %-28s %-12s %10s %10s %10s %9s%n", "", "TOTAL", "", low, expected, high,
        human(duration)));
    for (BudgetLine b : budgets) {
      sb.append("  Budget ").append(b.scope()).append(": ").append(b.spent()).append(" spent of ")
          .append(b.limit()).append('\n');
    }
    boolean chosen = false;
    for (List<Step> w : waves) {
      for (Step s : w) {
        if (s.choice() != null) {
          if (!chosen) {
            sb.append("Provider choices:\n");
            chosen = true;
          }
          sb.append("  - ").append(s.taskId()).append(": ").append(s.choice()).append('\n');
        }
      }
    }
    if (!notes.isEmpty()) {
      sb.append("Notes:\n");
      for (String n : notes) {
        sb.append("  - ").append(n).append('\n');
      }
    }
    if (problems.isEmpty()) {
      sb.append("No problems found.\n");
    } else {
      sb.append("Problems:\n");
      for (String p : problems) {
        sb.append("  - ").append(p).append('\n');
      }
    }
    return sb.toString();
  }

  private static String trim(String s) {
    return s.length() <= 28 ? s : s.substring(0, 25) + "...";
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }

  private static String amount(Step s, Money m) {
    return s.bounded() ? m.toString() : "unknown";
  }

  private static Duration checkDuration(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative (was " + duration
          + "): give the expected time, or Duration.ZERO when unknown");
    }
    return duration;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Plan p && workflow.equals(p.workflow) && project.equals(p.project) && waves.equals(p.waves)
        && low.equals(p.low) && expected.equals(p.expected) && high.equals(p.high) && duration.equals(p.duration)
        && budgets.equals(p.budgets) && problems.equals(p.problems) && notes.equals(p.notes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workflow, project, waves, low, expected, high, duration, budgets, problems, notes);
  }

  @Override
  public String toString() {
    return "Plan[workflow=" + workflow + ", project=" + project + ", waves=" + waves + ", low=" + low + ", expected="
        + expected + ", high=" + high + ", duration=" + duration + ", budgets=" + budgets + ", problems=" + problems
        + ", notes=" + notes + "]";
  }

  /**
   * Builds a {@link Plan}. Each setter checks its value at once; lists are copied when set, so reusing a builder
   * never changes a plan already built. Mutable and not thread-safe.
   */
  public static final class Builder {
    private @Nullable String workflow;
    private @Nullable String project;
    private List<List<Step>> waves = List.of();
    private Money low = Money.ZERO;
    private Money expected = Money.ZERO;
    private Money high = Money.ZERO;
    private Duration duration = Duration.ZERO;
    private List<BudgetLine> budgets = List.of();
    private List<String> problems = List.of();
    private List<String> notes = List.of();

    private Builder() {}

    private Builder(Plan from) {
      this.workflow = from.workflow;
      this.project = from.project;
      this.waves = from.waves;
      this.low = from.low;
      this.expected = from.expected;
      this.high = from.high;
      this.duration = from.duration;
      this.budgets = from.budgets;
      this.problems = from.problems;
      this.notes = from.notes;
    }

    /** The workflow's name. Required. */
    public Builder workflow(String workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /** The project. Required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The tasks in execution waves, replacing any given before; none by default. */
    public Builder waves(List<List<Step>> waves) {
      Objects.requireNonNull(waves, "waves");
      this.waves = waves.stream().map(List::copyOf).toList();
      return this;
    }

    /** The total if every reply is short; zero by default. */
    public Builder low(Money low) {
      this.low = Objects.requireNonNull(low, "low");
      return this;
    }

    /** The most likely total; zero by default. */
    public Builder expected(Money expected) {
      this.expected = Objects.requireNonNull(expected, "expected");
      return this;
    }

    /** The worst case; zero by default. */
    public Builder high(Money high) {
      this.high = Objects.requireNonNull(high, "high");
      return this;
    }

    /**
     * The expected duration along the critical path; zero by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder duration(Duration duration) {
      this.duration = checkDuration(duration);
      return this;
    }

    /** Every limit that applies, replacing any given before; none by default. */
    public Builder budgets(List<BudgetLine> budgets) {
      this.budgets = List.copyOf(Objects.requireNonNull(budgets, "budgets"));
      return this;
    }

    /** What would stop the run, one sentence each, replacing any given before; none by default. */
    public Builder problems(List<String> problems) {
      this.problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
      return this;
    }

    /** What a reader should know that stops nothing, replacing any given before; none by default. */
    public Builder notes(List<String> notes) {
      this.notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
      return this;
    }

    /**
     * Builds the plan.
     *
     * @throws IllegalStateException when the workflow or the project is missing
     */
    public Plan build() {
      return new Plan(this);
    }
  }
}
