package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a reservation was refused: the account whose limit it would break, with the figures that show it. Amounts are
 * in US dollars.
 *
 * <p>Made by {@link #builder(Account)}; the constructor is private, so ledgers keep compiling when fields are added
 * (and four amounts are never passed in the wrong order). Immutable and thread-safe; two breaches are equal when
 * every value is equal.
 *
 * <pre>{@code
 * LimitBreach breach = LimitBreach.builder(account)
 *     .spent(spent).reserved(reserved).limit(limit).wanted(amount)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class LimitBreach {
  private final Account account;
  private final BigDecimal spent;
  private final BigDecimal reserved;
  private final BigDecimal limit;
  private final BigDecimal wanted;

  private LimitBreach(Builder b) {
    this.account = b.account;
    this.spent = b.spent;
    this.reserved = b.reserved;
    this.limit = required(b.limit, "limit");
    this.wanted = required(b.wanted, "wanted");
  }

  /** Starts a breach of {@code account}'s limit: nothing spent or reserved; the limit and the amount are required. */
  public static Builder builder(Account account) {
    return new Builder(account);
  }

  /** The account. */
  public Account account() {
    return account;
  }

  /** What it had spent. */
  public BigDecimal spent() {
    return spent;
  }

  /** What it had reserved. */
  public BigDecimal reserved() {
    return reserved;
  }

  /** Its limit. */
  public BigDecimal limit() {
    return limit;
  }

  /** The amount asked for. */
  public BigDecimal wanted() {
    return wanted;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LimitBreach b && account.equals(b.account) && spent.equals(b.spent)
        && reserved.equals(b.reserved) && limit.equals(b.limit) && wanted.equals(b.wanted);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, spent, reserved, limit, wanted);
  }

  @Override
  public String toString() {
    return "LimitBreach[account=" + account + ", spent=" + spent + ", reserved=" + reserved + ", limit=" + limit
        + ", wanted=" + wanted + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link LimitBreach}. Each setter checks its value at once: a null throws {@link NullPointerException}
   * naming the setting, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never
   * changes a breach already built.
   */
  public static final class Builder {
    private final Account account;
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal reserved = BigDecimal.ZERO;
    private @Nullable BigDecimal limit;
    private @Nullable BigDecimal wanted;

    private Builder(Account account) {
      this.account = Objects.requireNonNull(account, "account");
    }

    /** What the account had spent; zero by default. */
    public Builder spent(BigDecimal spent) {
      this.spent = Objects.requireNonNull(spent, "spent");
      return this;
    }

    /** What the account had reserved; zero by default. */
    public Builder reserved(BigDecimal reserved) {
      this.reserved = Objects.requireNonNull(reserved, "reserved");
      return this;
    }

    /** The account's limit; required. */
    public Builder limit(BigDecimal limit) {
      this.limit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The amount asked for; required. */
    public Builder wanted(BigDecimal wanted) {
      this.wanted = Objects.requireNonNull(wanted, "wanted");
      return this;
    }

    /**
     * Builds the breach.
     *
     * @throws IllegalStateException when the limit or the amount wanted was not given
     */
    public LimitBreach build() {
      return new LimitBreach(this);
    }
  }
}
