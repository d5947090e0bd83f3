package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One account of the cost report: a scope's spending in one period. Create one with {@link #builder()}; the
 * constructor is private, so callers keep compiling when figures are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * BudgetLine line = BudgetLine.builder().scope(BudgetScope.providerDaily("claude")).day(today)
 *     .spent(Money.usd("23.40")).limit(Money.usd("20")).paused(true).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class BudgetLine {
  private final BudgetScope scope;
  private final @Nullable LocalDate day;
  private final Money spent;
  private final Money reserved;
  private final @Nullable Money limit;
  private final boolean paused;
  private final Money estimated;
  private final Money overrun;

  private BudgetLine(Builder b) {
    if (b.scope == null) {
      throw new IllegalStateException("a budget line needs a scope: call scope(...)");
    }
    this.scope = b.scope;
    this.day = b.day;
    this.spent = b.spent;
    this.reserved = b.reserved;
    this.limit = b.limit;
    this.paused = b.paused;
    this.estimated = b.estimated;
    this.overrun = b.overrun;
  }

  /** Starts a line: the scope is required; amounts are zero, no day, no limit, not paused. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this line's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The scope. */
  public BudgetScope scope() {
    return scope;
  }

  /** The calendar day for a daily scope, else null. */
  public @Nullable LocalDate day() {
    return day;
  }

  /** Settled cost, measured and estimated. */
  public Money spent() {
    return spent;
  }

  /** Worst-case cost of calls in flight. */
  public Money reserved() {
    return reserved;
  }

  /** The limit, or null when none is set. */
  public @Nullable Money limit() {
    return limit;
  }

  /** Whether work is held back by this limit. */
  public boolean paused() {
    return paused;
  }

  /**
   * The part of {@link #spent()} settled as an estimate (calls that may have been billed without reporting their
   * usage, counted at their reservation).
   */
  public Money estimated() {
    return estimated;
  }

  /** What calls cost beyond their reservations. */
  public Money overrun() {
    return overrun;
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

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BudgetLine l && scope.equals(l.scope) && Objects.equals(day, l.day) && spent.equals(l.spent)
        && reserved.equals(l.reserved) && Objects.equals(limit, l.limit) && paused == l.paused
        && estimated.equals(l.estimated) && overrun.equals(l.overrun);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scope, day, spent, reserved, limit, paused, estimated, overrun);
  }

  @Override
  public String toString() {
    return "BudgetLine[scope=" + scope + ", day=" + day + ", spent=" + spent + ", reserved=" + reserved + ", limit="
        + limit + ", paused=" + paused + ", estimated=" + estimated + ", overrun=" + overrun + "]";
  }

  /**
   * Builds a {@link BudgetLine}. Each setter checks its value at once. Mutable and not thread-safe; reusing a
   * builder never changes a line already built.
   */
  public static final class Builder {
    private @Nullable BudgetScope scope;
    private @Nullable LocalDate day;
    private Money spent = Money.ZERO;
    private Money reserved = Money.ZERO;
    private @Nullable Money limit;
    private boolean paused;
    private Money estimated = Money.ZERO;
    private Money overrun = Money.ZERO;

    private Builder() {}

    private Builder(BudgetLine from) {
      this.scope = from.scope;
      this.day = from.day;
      this.spent = from.spent;
      this.reserved = from.reserved;
      this.limit = from.limit;
      this.paused = from.paused;
      this.estimated = from.estimated;
      this.overrun = from.overrun;
    }

    /** The scope. Required. */
    public Builder scope(BudgetScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** The calendar day for a daily scope; none by default, and null clears it. */
    public Builder day(@Nullable LocalDate day) {
      this.day = day;
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

    /** The limit; none by default, and null clears it. */
    public Builder limit(@Nullable Money limit) {
      this.limit = limit;
      return this;
    }

    /** Whether work is held back by this limit; false by default. */
    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    /** The part of spent settled as an estimate; zero by default. */
    public Builder estimated(Money estimated) {
      this.estimated = Objects.requireNonNull(estimated, "estimated");
      return this;
    }

    /** What calls cost beyond their reservations; zero by default. */
    public Builder overrun(Money overrun) {
      this.overrun = Objects.requireNonNull(overrun, "overrun");
      return this;
    }

    /**
     * Builds the line.
     *
     * @throws IllegalStateException when the scope is missing
     */
    public BudgetLine build() {
      return new BudgetLine(this);
    }
  }
}
