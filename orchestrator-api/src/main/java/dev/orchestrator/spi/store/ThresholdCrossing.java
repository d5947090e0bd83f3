package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An alert threshold of a budget that a settlement crossed: reported once per account and threshold, whichever
 * process settled (a raised limit lets thresholds above the new share fire again). Amounts are in US dollars.
 *
 * <p>Made by {@link #builder(Account)}; the constructor is private, so ledgers keep compiling when fields are added.
 * Immutable and thread-safe; two crossings are equal when every value is equal.
 *
 * <pre>{@code
 * ThresholdCrossing crossed = ThresholdCrossing.builder(account).threshold(0.8).spent(spent).limit(limit).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ThresholdCrossing {
  private final Account account;
  private final double threshold;
  private final BigDecimal spent;
  private final BigDecimal limit;

  private ThresholdCrossing(Builder b) {
    this.account = b.account;
    this.threshold = required(b.threshold, "threshold");
    this.spent = required(b.spent, "spent");
    this.limit = required(b.limit, "limit");
  }

  /** Starts a crossing of one of {@code account}'s thresholds; threshold, spent and limit are required. */
  public static Builder builder(Account account) {
    return new Builder(account);
  }

  /** The account. */
  public Account account() {
    return account;
  }

  /** The share of the limit, for example 0.5. */
  public double threshold() {
    return threshold;
  }

  /** What the account has spent now. */
  public BigDecimal spent() {
    return spent;
  }

  /** The account's limit. */
  public BigDecimal limit() {
    return limit;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ThresholdCrossing c && account.equals(c.account)
        && Double.compare(threshold, c.threshold) == 0 && spent.equals(c.spent) && limit.equals(c.limit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, threshold, spent, limit);
  }

  @Override
  public String toString() {
    return "ThresholdCrossing[account=" + account + ", threshold=" + threshold + ", spent=" + spent + ", limit="
        + limit + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link ThresholdCrossing}. Each setter checks its value at once: a null throws
   * {@link NullPointerException} naming the setting, and a refused value is never kept. Mutable and not
   * thread-safe; reusing a builder never changes a crossing already built.
   */
  public static final class Builder {
    private final Account account;
    private @Nullable Double threshold;
    private @Nullable BigDecimal spent;
    private @Nullable BigDecimal limit;

    private Builder(Account account) {
      this.account = Objects.requireNonNull(account, "account");
    }

    /** The share of the limit that was crossed, one of the budget's thresholds, for example 0.5; required. */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** What the account has spent now; required. */
    public Builder spent(BigDecimal spent) {
      this.spent = Objects.requireNonNull(spent, "spent");
      return this;
    }

    /** The account's limit; required. */
    public Builder limit(BigDecimal limit) {
      this.limit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /**
     * Builds the crossing.
     *
     * @throws IllegalStateException when the threshold, spent or limit was not given
     */
    public ThresholdCrossing build() {
      return new ThresholdCrossing(this);
    }
  }
}
