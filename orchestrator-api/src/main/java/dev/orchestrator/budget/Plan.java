package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dry run: what would run, in which order, where, for how much, and what stands in the way. No provider was
 * called to make it. Immutable.
 *
 * @param workflow the workflow's name
 * @param project the project
 * @param waves the tasks in execution waves: every task of a wave depends only on earlier waves
 * @param low the total if every reply is short
 * @param expected the most likely total
 * @param high the worst case (every call uses its maximum output)
 * @param duration the expected duration along the critical path
 * @param budgets every limit that applies, with what is already spent
 * @param problems what would stop the run or break a budget, one sentence each; empty when none
 * @param notes what the run would do that a reader should know but that stops nothing, such as calls to an unpriced
 *     model recorded at $0; empty when none
 *
 * @since 0.1
 */
public record Plan(String workflow, String project, List<List<Step>> waves, Money low, Money expected, Money high,
    Duration duration, List<BudgetLine> budgets, List<String> problems, List<String> notes) {

  public Plan {
    Objects.requireNonNull(workflow, "workflow");
    waves = waves.stream().map(List::copyOf).toList();
    budgets = List.copyOf(budgets);
    problems = List.copyOf(problems);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** A plan without notes. */
  public Plan(String workflow, String project, List<List<Step>> waves, Money low, Money expected, Money high,
      Duration duration, List<BudgetLine> budgets, List<String> problems) {
    this(workflow, project, waves, low, expected, high, duration, budgets, problems, List.of());
  }

  /**
   * One task as it would run.
   *
   * @param taskId the task
   * @param title its title, parameters filled in
   * @param provider the provider that would run it, or null when none could
   * @param kind what the step is: {@code "task"}, or a later gate such as a review
   * @param low its cost if the reply is short
   * @param expected its likely cost
   * @param high its worst case
   * @param duration its expected duration
   * @param bounded whether {@code high} bounds its cost; false when the provider cannot say what a call may cost (an
   *     unpriced model, an agent without {@code maxCostPerCall}), whose amounts are then zero and shown as unknown
   */
  public record Step(String taskId, String title, @Nullable String provider, String kind, Money low, Money expected,
      Money high, Duration duration, boolean bounded) {
    /** A step whose cost is bounded. */
    public Step(String taskId, String title, @Nullable String provider, String kind, Money low, Money expected,
        Money high, Duration duration) {
      this(taskId, title, provider, kind, low, expected, high, duration, true);
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
}
