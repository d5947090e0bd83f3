package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One account of the cost report: a scope's spending in one period.
 *
 * @param scope the scope
 * @param day the calendar day for a daily scope, else null
 * @param spent settled cost
 * @param reserved worst-case cost of calls in flight
 * @param limit the limit, or null when none is set
 * @param paused whether work is held back by this limit
 */
public record BudgetLine(BudgetScope scope, @Nullable LocalDate day, Money spent, Money reserved,
    @Nullable Money limit, boolean paused) {

  /** What is left before the limit, never negative; null without a limit. */
  public @Nullable Money remaining() {
    if (limit == null) {
      return null;
    }
    Money left = limit.minus(spent).minus(reserved);
    return left.isNegative() ? Money.usd("0") : left;
  }

  /** Spent as a share of the limit (1.17 for 117%), or 0 without a limit. */
  public double usedShare() {
    if (limit == null || limit.isZero()) {
      return 0;
    }
    return spent.amount().doubleValue() / limit.amount().doubleValue();
  }
}
