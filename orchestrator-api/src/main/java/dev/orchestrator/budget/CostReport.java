package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What has been spent, what is reserved, what is left and where spending is heading. Immutable.
 *
 * @param at when it was made
 * @param project the project it covers, or null for all
 * @param spent settled cost
 * @param reserved worst-case cost of calls in flight
 * @param limit the covering limit (the project's, or the global one), or null
 * @param forecast spent + reserved + the expected cost of the tasks still to run
 * @param byProvider settled cost per provider
 * @param byTaskType settled cost per task type
 * @param byDay settled cost per calendar day (budget time zone)
 * @param lines every account with a limit or spending, projects and providers included
 */
public record CostReport(Instant at, @Nullable String project, Money spent, Money reserved, @Nullable Money limit,
    Money forecast, Map<String, Money> byProvider, Map<String, Money> byTaskType, Map<String, Money> byDay,
    List<BudgetLine> lines) {

  public CostReport {
    Objects.requireNonNull(at, "at");
    byProvider = Map.copyOf(byProvider);
    byTaskType = Map.copyOf(byTaskType);
    byDay = Map.copyOf(byDay);
    lines = List.copyOf(lines);
  }

  /** What is left of the covering limit, or null. */
  public @Nullable Money remaining() {
    if (limit == null) {
      return null;
    }
    Money left = limit.minus(spent).minus(reserved);
    return left.isNegative() ? Money.usd("0") : left;
  }

  /** Whether the forecast stays within the covering limit (true without one). */
  public boolean forecastWithinBudget() {
    return limit == null || forecast.compareTo(limit) <= 0;
  }

  /**
   * The roadmap's {@code budget report}:
   *
   * <pre>
   * Total spent: $45.23
   * Remaining: $54.77
   * Projected total: $87.50 (within budget)
   * Claude: $23.40 (117% of daily limit - PAUSED)
   * </pre>
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Total spent: ").append(cents(spent)).append('\n');
    if (!reserved.isZero()) {
      sb.append("Reserved (in flight): ").append(cents(reserved)).append('\n');
    }
    sb.append("Remaining: ").append(limit == null ? "no limit set" : cents(remaining())).append('\n');
    sb.append("Projected total: ").append(cents(forecast));
    if (limit != null) {
      sb.append(forecastWithinBudget() ? " (within budget)" : " (over budget by " + cents(forecast.minus(limit)) + ")");
    }
    sb.append('\n');
    // One line per provider: its limited account (the daily one first), else its total.
    java.util.Map<String, BudgetLine> shown = new java.util.TreeMap<>();
    for (BudgetLine line : lines) {
      BudgetScope.Kind kind = line.scope().kind();
      if (kind != BudgetScope.Kind.PROVIDER && kind != BudgetScope.Kind.PROVIDER_DAILY) {
        continue;
      }
      shown.merge(line.scope().name(), line, (a, b) -> rank(b) > rank(a) ? b : a);
    }
    for (BudgetLine line : shown.values()) {
      sb.append(capitalize(line.scope().name())).append(": ").append(cents(line.spent()));
      if (line.limit() != null) {
        sb.append(" (").append(Math.round(line.usedShare() * 100)).append("% of ")
            .append(line.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY ? "daily" : "total").append(" limit");
        if (line.paused()) {
          sb.append(" - PAUSED");
        }
        sb.append(')');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static int rank(BudgetLine l) {
    int r = l.limit() == null ? 0 : 2;
    r += l.paused() ? 4 : 0;
    r += l.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY ? 1 : 0;
    return r;
  }

  /** Rounded to the cent, for people. */
  static String cents(Money m) {
    return "$" + m.amount().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
