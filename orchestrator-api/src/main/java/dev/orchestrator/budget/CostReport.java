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
 * process that shares it reports the same figures. Create one with {@link #builder()}; the constructor is private,
 * so callers keep compiling when figures are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * CostReport report = CostReport.builder().at(clock.instant()).project("blog")
 *     .spent(Money.usd("45.23")).limit(Money.usd("100")).forecast(Money.usd("87.50")).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class CostReport {
  private final Instant at;
  private final @Nullable String project;
  private final Money spent;
  private final Money reserved;
  private final @Nullable Money limit;
  private final Money forecast;
  private final Map<String, Money> byProvider;
  private final Map<String, Money> byTaskType;
  private final Map<String, Money> byDay;
  private final List<BudgetLine> lines;
  private final Money estimated;
  private final Money overrun;
  private final List<ProviderCost> providers;
  private final int unpricedCalls;

  private CostReport(Builder b) {
    if (b.at == null) {
      throw new IllegalStateException("a cost report needs the instant it was made: call at(clock.instant())");
    }
    this.at = b.at;
    this.project = b.project;
    this.spent = b.spent;
    this.reserved = b.reserved;
    this.limit = b.limit;
    this.forecast = b.forecast;
    this.byProvider = b.byProvider;
    this.byTaskType = b.byTaskType;
    this.byDay = b.byDay;
    this.lines = b.lines;
    this.estimated = b.estimated;
    this.overrun = b.overrun;
    this.providers = b.providers;
    this.unpricedCalls = b.unpricedCalls;
  }

  /**
   * Starts a report: the instant is required; amounts are zero, maps and lists empty, no project, no limit, no
   * unpriced calls.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this report's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** When it was made. */
  public Instant at() {
    return at;
  }

  /** The project it covers, or null for all. */
  public @Nullable String project() {
    return project;
  }

  /** Settled cost, measured and estimated (the covering account of the ledger). */
  public Money spent() {
    return spent;
  }

  /** Worst-case cost of calls in flight. */
  public Money reserved() {
    return reserved;
  }

  /** The covering limit (the project's, or the global one), or null. */
  public @Nullable Money limit() {
    return limit;
  }

  /** Spent + reserved + the expected cost of the tasks still to run. */
  public Money forecast() {
    return forecast;
  }

  /** The finished calls' cost per provider; unmodifiable. */
  public Map<String, Money> byProvider() {
    return byProvider;
  }

  /** The finished calls' cost per task type; unmodifiable. */
  public Map<String, Money> byTaskType() {
    return byTaskType;
  }

  /** The finished calls' cost per calendar day (budget time zone) on which they ended; unmodifiable. */
  public Map<String, Money> byDay() {
    return byDay;
  }

  /** Every account with a limit or spending, projects and providers included; unmodifiable. */
  public List<BudgetLine> lines() {
    return lines;
  }

  /**
   * The part of {@link #spent()} counted at reservations: calls that may have been billed without reporting their
   * usage (a cut stream, a timeout after sending, a cancellation or crash in flight).
   */
  public Money estimated() {
    return estimated;
  }

  /** What calls cost beyond their reservations (the covering account). */
  public Money overrun() {
    return overrun;
  }

  /** Per provider: what this report's calls cost on it, with its own limit; unmodifiable. */
  public List<ProviderCost> providers() {
    return providers;
  }

  /** How many finished calls had no price (recorded at zero). */
  public int unpricedCalls() {
    return unpricedCalls;
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

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CostReport r && at.equals(r.at) && Objects.equals(project, r.project)
        && spent.equals(r.spent) && reserved.equals(r.reserved) && Objects.equals(limit, r.limit)
        && forecast.equals(r.forecast) && byProvider.equals(r.byProvider) && byTaskType.equals(r.byTaskType)
        && byDay.equals(r.byDay) && lines.equals(r.lines) && estimated.equals(r.estimated)
        && overrun.equals(r.overrun) && providers.equals(r.providers) && unpricedCalls == r.unpricedCalls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, project, spent, reserved, limit, forecast, byProvider, byTaskType, byDay, lines,
        estimated, overrun, providers, unpricedCalls);
  }

  @Override
  public String toString() {
    return "CostReport[at=" + at + ", project=" + project + ", spent=" + spent + ", reserved=" + reserved
        + ", limit=" + limit + ", forecast=" + forecast + ", byProvider=" + byProvider + ", byTaskType=" + byTaskType
        + ", byDay=" + byDay + ", lines=" + lines + ", estimated=" + estimated + ", overrun=" + overrun
        + ", providers=" + providers + ", unpricedCalls=" + unpricedCalls + "]";
  }

  /**
   * Builds a {@link CostReport}. Each setter checks its value at once; maps and lists are copied when set, so
   * reusing a builder never changes a report already built. Mutable and not thread-safe.
   */
  public static final class Builder {
    private @Nullable Instant at;
    private @Nullable String project;
    private Money spent = Money.ZERO;
    private Money reserved = Money.ZERO;
    private @Nullable Money limit;
    private Money forecast = Money.ZERO;
    private Map<String, Money> byProvider = Map.of();
    private Map<String, Money> byTaskType = Map.of();
    private Map<String, Money> byDay = Map.of();
    private List<BudgetLine> lines = List.of();
    private Money estimated = Money.ZERO;
    private Money overrun = Money.ZERO;
    private List<ProviderCost> providers = List.of();
    private int unpricedCalls;

    private Builder() {}

    private Builder(CostReport from) {
      this.at = from.at;
      this.project = from.project;
      this.spent = from.spent;
      this.reserved = from.reserved;
      this.limit = from.limit;
      this.forecast = from.forecast;
      this.byProvider = from.byProvider;
      this.byTaskType = from.byTaskType;
      this.byDay = from.byDay;
      this.lines = from.lines;
      this.estimated = from.estimated;
      this.overrun = from.overrun;
      this.providers = from.providers;
      this.unpricedCalls = from.unpricedCalls;
    }

    /** When it was made. Required. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /** The project it covers; null (the default) for all. */
    public Builder project(@Nullable String project) {
      this.project = project;
      return this;
    }

    /** Settled cost, measured and estimated; zero by default. */
    public Builder spent(Money spent) {
      this.spent = Objects.requireNonNull(spent, "spent");
      return this;
    }

    /** Worst-case cost of calls in flight; zero by default. */
    public Builder reserved(Money reserved) {
      this.reserved = Objects.requireNonNull(reserved, "reserved");
      return this;
    }

    /** The covering limit; none by default, and null clears it. */
    public Builder limit(@Nullable Money limit) {
      this.limit = limit;
      return this;
    }

    /** Spent + reserved + the expected cost of the tasks still to run; zero by default. */
    public Builder forecast(Money forecast) {
      this.forecast = Objects.requireNonNull(forecast, "forecast");
      return this;
    }

    /** The finished calls' cost per provider, replacing any given before; empty by default. */
    public Builder byProvider(Map<String, Money> byProvider) {
      this.byProvider = Map.copyOf(Objects.requireNonNull(byProvider, "byProvider"));
      return this;
    }

    /** The finished calls' cost per task type, replacing any given before; empty by default. */
    public Builder byTaskType(Map<String, Money> byTaskType) {
      this.byTaskType = Map.copyOf(Objects.requireNonNull(byTaskType, "byTaskType"));
      return this;
    }

    /** The finished calls' cost per calendar day, replacing any given before; empty by default. */
    public Builder byDay(Map<String, Money> byDay) {
      this.byDay = Map.copyOf(Objects.requireNonNull(byDay, "byDay"));
      return this;
    }

    /** Every account with a limit or spending, replacing any given before; empty by default. */
    public Builder lines(List<BudgetLine> lines) {
      this.lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
      return this;
    }

    /** The part of spent counted at reservations; zero by default. */
    public Builder estimated(Money estimated) {
      this.estimated = Objects.requireNonNull(estimated, "estimated");
      return this;
    }

    /** What calls cost beyond their reservations; zero by default. */
    public Builder overrun(Money overrun) {
      this.overrun = Objects.requireNonNull(overrun, "overrun");
      return this;
    }

    /** The per-provider costs, replacing any given before; empty by default. */
    public Builder providers(List<ProviderCost> providers) {
      this.providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
      return this;
    }

    /**
     * How many finished calls had no price; 0 by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder unpricedCalls(int unpricedCalls) {
      if (unpricedCalls < 0) {
        throw new IllegalArgumentException("unpricedCalls must be >= 0 (was " + unpricedCalls
            + "): count the finished calls that had no price");
      }
      this.unpricedCalls = unpricedCalls;
      return this;
    }

    /**
     * Builds the report.
     *
     * @throws IllegalStateException when the instant is missing
     */
    public CostReport build() {
      return new CostReport(this);
    }
  }
}
