package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One account of the cost report: a scope's spending in one period. Immutable.
 *
 * @param scope the scope
 * @param day the calendar day for a daily scope, else null
 * @param spent settled cost, measured and estimated
 * @param reserved worst-case cost of calls in flight
 * @param limit the limit, or null when none is set
 * @param paused whether work is held back by this limit
 * @param estimated the part of {@code spent} settled as an estimate (calls that may have been billed without
 *     reporting their usage, counted at their reservation)
 * @param overrun what calls cost beyond their reservations
 * @since 0.1
 */
public record BudgetLine(BudgetScope scope, @Nullable LocalDate day, Money spent, Money reserved,
    @Nullable Money limit, boolean paused, Money estimated, Money overrun) {

  public BudgetLine {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(estimated, "estimated");
    Objects.requireNonNull(overrun, "overrun");
  }

  /** A line with nothing estimated and no overrun. */
  public BudgetLine(BudgetScope scope, @Nullable LocalDate day, Money spent, Money reserved, @Nullable Money limit,
      boolean paused) {
    this(scope, day, spent, reserved, limit, paused, Money.ZERO, Money.ZERO);
  }

  /** The part of {@code spent} measured from the vendors' usage. */
  public Money measured() {
    return spent.minus(estimated);
  }

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
