package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * What has been spent, what is reserved, what is left and where spending is heading, read from the store, so every
 * process that shares it reports the same figures. Immutable.
 *
 * @param at when it was made
 * @param project the project it covers, or null for all
 * @param spent settled cost, measured and estimated (the covering account of the ledger)
 * @param reserved worst-case cost of calls in flight
 * @param limit the covering limit (the project's, or the global one), or null
 * @param forecast spent + reserved + the expected cost of the tasks still to run
 * @param byProvider the finished calls' cost per provider
 * @param byTaskType the finished calls' cost per task type
 * @param byDay the finished calls' cost per calendar day (budget time zone) on which they ended
 * @param lines every account with a limit or spending, projects and providers included
 * @param estimated the part of {@code spent} counted at reservations: calls that may have been billed without
 *     reporting their usage (a cut stream, a timeout after sending, a cancellation or crash in flight)
 * @param overrun what calls cost beyond their reservations (the covering account)
 * @param providers per provider: what this report's calls cost on it, with its own limit
 * @param unpricedCalls how many finished calls had no price (recorded at zero)
 * @since 0.1
 */
public record CostReport(Instant at, @Nullable String project, Money spent, Money reserved, @Nullable Money limit,
    Money forecast, Map<String, Money> byProvider, Map<String, Money> byTaskType, Map<String, Money> byDay,
    List<BudgetLine> lines, Money estimated, Money overrun, List<ProviderCost> providers, int unpricedCalls) {

  public CostReport {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(forecast, "forecast");
    byProvider = Map.copyOf(byProvider);
    byTaskType = Map.copyOf(byTaskType);
    byDay = Map.copyOf(byDay);
    lines = List.copyOf(lines);
    Objects.requireNonNull(estimated, "estimated");
    Objects.requireNonNull(overrun, "overrun");
    providers = List.copyOf(providers);
    if (unpricedCalls < 0) {
      throw new IllegalArgumentException("unpricedCalls must be >= 0 (was " + unpricedCalls + ")");
    }
  }

  /** A report with nothing estimated, no overrun and no per-provider lines. */
  public CostReport(Instant at, @Nullable String project, Money spent, Money reserved, @Nullable Money limit,
      Money forecast, Map<String, Money> byProvider, Map<String, Money> byTaskType, Map<String, Money> byDay,
      List<BudgetLine> lines) {
    this(at, project, spent, reserved, limit, forecast, byProvider, byTaskType, byDay, lines, Money.ZERO, Money.ZERO,
        List.of(), 0);
  }

  /** The part of {@link #spent} measured from the vendors' usage. */
  public Money measured() {
    return spent.minus(estimated);
  }

  /** The providers whose calls cost more than their reservations, in name order. */
  public List<String> overrunProviders() {
    return providers.stream().filter(p -> p.overrun().amount().signum() > 0).map(ProviderCost::provider).toList();
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
   * The roadmap's {@code budget report}, with a line for estimated spend, overruns and unpriced calls only when
   * there are any:
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
    sb.append("Total spent: ").append(format(spent)).append('\n');
    if (!estimated.isZero()) {
      sb.append("Estimated: ").append(format(estimated)).append(" of it (calls that may have been billed without "
          + "reporting usage, counted at their reservation)\n");
    }
    if (!reserved.isZero()) {
      sb.append("Reserved (in flight): ").append(format(reserved)).append('\n');
    }
    Money left = remaining();
    sb.append("Remaining: ").append(left == null ? "no limit set" : format(left)).append('\n');
    sb.append("Projected total: ").append(format(forecast));
    if (limit != null) {
      sb.append(forecastWithinBudget() ? " (within budget)"
          : " (over budget by " + format(forecast.minus(limit)) + ")");
    }
    sb.append('\n');
    if (!overrun.isZero()) {
      List<String> names = overrunProviders();
      sb.append("Overruns: ").append(format(overrun)).append(" above reservations");
      if (!names.isEmpty()) {
        StringJoiner j = new StringJoiner(", ", " (", ")");
        names.forEach(n -> j.add(capitalize(n)));
        sb.append(j);
      }
      sb.append('\n');
    }
    if (unpricedCalls > 0) {
      sb.append("Unpriced calls: ").append(unpricedCalls)
          .append(" (recorded at $0.00; configure a price for their models)\n");
    }
    for (ProviderCost p : providers) {
      sb.append(capitalize(p.provider())).append(": ").append(format(p.spent()));
      if (!p.estimated().isZero()) {
        sb.append(" of which ").append(format(p.estimated())).append(" estimated");
      }
      BudgetLine line = p.limit();
      if (line != null && line.limit() != null) {
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

  /**
   * An amount for people, with at least two significant digits: cents from ten cents up ({@code $45.23}), more
   * decimals below ({@code $0.0042}, {@code $0.012}), so a cost that is not zero never shows as {@code $0.00}.
   */
  public static String format(Money m) {
    BigDecimal a = m.amount();
    BigDecimal shown;
    if (a.signum() == 0 || a.abs().compareTo(new BigDecimal("0.1")) >= 0) {
      shown = a.setScale(2, RoundingMode.HALF_UP);
    } else {
      shown = a.round(new MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros();
      if (shown.scale() < 2) {
        shown = shown.setScale(2, RoundingMode.UNNECESSARY);
      }
    }
    return (shown.signum() < 0 ? "-$" + shown.negate().toPlainString() : "$" + shown.toPlainString());
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
