package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one report's project (or everything) spent on one provider instance, with the provider's own limit. Create
 * one with {@link #builder()}; the constructor is private, so callers keep compiling when figures are added.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ProviderCost {
  private final String provider;
  private final Money spent;
  private final Money estimated;
  private final int unpricedCalls;
  private final Money overrun;
  private final @Nullable BudgetLine limit;

  private ProviderCost(Builder b) {
    if (b.provider == null) {
      throw new IllegalStateException("a provider cost needs a provider: call provider(\"claude\")");
    }
    this.provider = b.provider;
    this.spent = b.spent;
    this.estimated = b.estimated;
    this.unpricedCalls = b.unpricedCalls;
    this.overrun = b.overrun;
    this.limit = b.limit;
  }

  /** Starts a provider's cost: the provider is required; amounts are zero, no unpriced calls, no limit. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this cost's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The provider instance's name. */
  public String provider() {
    return provider;
  }

  /** What the report's finished calls on it cost, measured and estimated. */
  public Money spent() {
    return spent;
  }

  /**
   * The part of {@link #spent()} counted at the calls' reservations (calls that may have been billed without
   * reporting their usage).
   */
  public Money estimated() {
    return estimated;
  }

  /** How many of the report's finished calls on it had no price (recorded at zero). */
  public int unpricedCalls() {
    return unpricedCalls;
  }

  /** What the provider's calls cost beyond their reservations, from its account, which every project shares. */
  public Money overrun() {
    return overrun;
  }

  /**
   * The provider's limited account shown beside it (its daily one when both are limited, the one that holds work
   * back first), or null when it has no limit.
   */
  public @Nullable BudgetLine limit() {
    return limit;
  }

  /** The part of {@code spent} measured from the vendor's usage. */
  public Money measured() {
    return spent.minus(estimated);
  }

  /** Whether the provider's limit holds work back now. */
  public boolean paused() {
    return limit != null && limit.paused();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProviderCost p && provider.equals(p.provider) && spent.equals(p.spent)
        && estimated.equals(p.estimated) && unpricedCalls == p.unpricedCalls && overrun.equals(p.overrun)
        && Objects.equals(limit, p.limit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, spent, estimated, unpricedCalls, overrun, limit);
  }

  @Override
  public String toString() {
    return "ProviderCost[provider=" + provider + ", spent=" + spent + ", estimated=" + estimated + ", unpricedCalls="
        + unpricedCalls + ", overrun=" + overrun + ", limit=" + limit + "]";
  }

  /**
   * Builds a {@link ProviderCost}. Each setter checks its value at once. Mutable and not thread-safe; reusing a
   * builder never changes a value already built.
   */
  public static final class Builder {
    private @Nullable String provider;
    private Money spent = Money.ZERO;
    private Money estimated = Money.ZERO;
    private int unpricedCalls;
    private Money overrun = Money.ZERO;
    private @Nullable BudgetLine limit;

    private Builder() {}

    private Builder(ProviderCost from) {
      this.provider = from.provider;
      this.spent = from.spent;
      this.estimated = from.estimated;
      this.unpricedCalls = from.unpricedCalls;
      this.overrun = from.overrun;
      this.limit = from.limit;
    }

    /** The provider instance's name. Required. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** What the finished calls on it cost; zero by default. */
    public Builder spent(Money spent) {
      this.spent = Objects.requireNonNull(spent, "spent");
      return this;
    }

    /** The part of spent counted at reservations; zero by default. */
    public Builder estimated(Money estimated) {
      this.estimated = Objects.requireNonNull(estimated, "estimated");
      return this;
    }

    /**
     * How many finished calls on it had no price; 0 by default.
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

    /** What its calls cost beyond their reservations; zero by default. */
    public Builder overrun(Money overrun) {
      this.overrun = Objects.requireNonNull(overrun, "overrun");
      return this;
    }

    /** The provider's limited account; none by default, and null clears it. */
    public Builder limit(@Nullable BudgetLine limit) {
      this.limit = limit;
      return this;
    }

    /**
     * Builds the provider's cost.
     *
     * @throws IllegalStateException when the provider is missing
     */
    public ProviderCost build() {
      return new ProviderCost(this);
    }
  }
}
