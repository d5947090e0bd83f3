package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a budget account holds: spent (settled costs) and reserved (the worst cases of calls in flight), with the part
 * of spent that was settled as an estimate and what calls cost beyond their reservations. Amounts are in US dollars.
 *
 * <p>Made by {@link #of} or {@link #builder()}; the constructor is private, so ledgers keep compiling when fields are
 * added. Immutable and thread-safe; two balances are equal when every value is equal (amounts compare with
 * {@link BigDecimal#equals}, scale included, as they did when this was a record).
 *
 * <pre>{@code
 * Balance b = Balance.builder(account).spent(spent).reserved(reserved).estimated(estimated).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Balance {
  private final Account account;
  private final BigDecimal spent;
  private final BigDecimal reserved;
  private final BigDecimal estimated;
  private final BigDecimal overrun;

  private Balance(Builder b) {
    this.account = b.account;
    this.spent = b.spent;
    this.reserved = b.reserved;
    this.estimated = b.estimated;
    this.overrun = b.overrun;
  }

  /**
   * A balance with nothing estimated and no overrun.
   *
   * @throws NullPointerException when a value is null
   */
  public static Balance of(Account account, BigDecimal spent, BigDecimal reserved) {
    return builder(account).spent(spent).reserved(reserved).build();
  }

  /** Starts a balance of {@code account}: nothing spent, reserved, estimated or overrun. */
  public static Builder builder(Account account) {
    return new Builder(account);
  }

  /** A builder holding this balance's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The account. */
  public Account account() {
    return account;
  }

  /** Settled costs, measured and estimated, in US dollars. */
  public BigDecimal spent() {
    return spent;
  }

  /** Reservations of calls in flight, in US dollars. */
  public BigDecimal reserved() {
    return reserved;
  }

  /**
   * The part of {@link #spent()} settled as an estimate (calls that may have been billed without reporting their
   * usage, recorded at their reservation), in US dollars.
   */
  public BigDecimal estimated() {
    return estimated;
  }

  /**
   * What settlements cost beyond the reservations they released, summed over settlements (each adds
   * {@code max(0, actual - reservation)} when its reservation was still held), in US dollars.
   */
  public BigDecimal overrun() {
    return overrun;
  }

  /** The part of {@code spent} measured from the vendors' usage: spent minus estimated. */
  public BigDecimal measured() {
    return spent.subtract(estimated);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Balance b && account.equals(b.account) && spent.equals(b.spent)
        && reserved.equals(b.reserved) && estimated.equals(b.estimated) && overrun.equals(b.overrun);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, spent, reserved, estimated, overrun);
  }

  @Override
  public String toString() {
    return "Balance[account=" + account + ", spent=" + spent + ", reserved=" + reserved + ", estimated=" + estimated
        + ", overrun=" + overrun + "]";
  }

  /**
   * Builds a {@link Balance}. Each setter checks its value at once: a null throws {@link NullPointerException}
   * naming the setting, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never
   * changes a balance already built.
   */
  public static final class Builder {
    private final Account account;
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal reserved = BigDecimal.ZERO;
    private BigDecimal estimated = BigDecimal.ZERO;
    private BigDecimal overrun = BigDecimal.ZERO;

    private Builder(Account account) {
      this.account = Objects.requireNonNull(account, "account");
    }

    private Builder(Balance from) {
      this.account = from.account;
      this.spent = from.spent;
      this.reserved = from.reserved;
      this.estimated = from.estimated;
      this.overrun = from.overrun;
    }

    /** Settled costs, measured and estimated, in US dollars; zero by default. */
    public Builder spent(BigDecimal spent) {
      this.spent = Objects.requireNonNull(spent, "spent");
      return this;
    }

    /** Reservations of calls in flight, in US dollars; zero by default. */
    public Builder reserved(BigDecimal reserved) {
      this.reserved = Objects.requireNonNull(reserved, "reserved");
      return this;
    }

    /** The part of spent settled as an estimate, in US dollars; zero by default. */
    public Builder estimated(BigDecimal estimated) {
      this.estimated = Objects.requireNonNull(estimated, "estimated");
      return this;
    }

    /** What settlements cost beyond their reservations, in US dollars; zero by default. */
    public Builder overrun(BigDecimal overrun) {
      this.overrun = Objects.requireNonNull(overrun, "overrun");
      return this;
    }

    /** Builds the balance; every value was checked when it was set. */
    public Balance build() {
      return new Balance(this);
    }
  }
}
