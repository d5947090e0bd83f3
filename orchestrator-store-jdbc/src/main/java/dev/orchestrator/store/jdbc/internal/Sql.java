package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.spi.store.Account;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/** Small JDBC helpers shared by the store's collaborators: binding, instants, amounts and account keys. */
public final class Sql {
  /** The SQLState of a duplicate key. */
  public static final String UNIQUE_VIOLATION = "23505";
  /** Amounts are {@code DECIMAL(38, 18)}. */
  public static final int AMOUNT_SCALE = 18;
  /** Amounts are {@code DECIMAL(38, 18)}. */
  public static final int AMOUNT_INTEGER_DIGITS = 20;

  /**
   * The order in which a transaction locks budget account rows: every writer takes them in this one order, so two
   * transactions never wait on each other in a cycle.
   */
  public static final Comparator<Account> ACCOUNT_ORDER = Comparator
      .comparing((Account a) -> a.scope().kind())
      .thenComparing(a -> a.scope().name())
      .thenComparing(Sql::period);

  private Sql() {}

  /** Binds {@code args} from parameter 1: instants, booleans, longs, amounts and strings (null as a string). */
  public static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant instant) {
        setInstant(ps, i + 1, instant);
      } else if (a instanceof Boolean b) {
        ps.setBoolean(i + 1, b);
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof BigDecimal d) {
        ps.setBigDecimal(i + 1, d);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  /** Instants go in as UTC timestamps to the microsecond, the precision every supported database keeps. */
  public static void setInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  /** A non-null timestamp column. */
  public static Instant instant(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }

  /** Runs an update; returns the row count. */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** Whether the query finds a row. */
  public static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** {@code 12.500000000000000000} as {@code 12.5}, and {@code 100.000...} as {@code 100}, never {@code 1E+2}. */
  public static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /**
   * Checks that an amount is not negative and fits {@code DECIMAL(38, 18)} exactly.
   *
   * @throws IllegalArgumentException naming {@code field} and the value
   */
  public static BigDecimal checkAmount(String field, BigDecimal amount) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + amount.toPlainString() + ")");
    }
    BigDecimal s = amount.stripTrailingZeros();
    if (s.scale() > AMOUNT_SCALE || s.precision() - s.scale() > AMOUNT_INTEGER_DIGITS) {
      throw new IllegalArgumentException(field + " must have at most " + AMOUNT_INTEGER_DIGITS + " integer digits and "
          + AMOUNT_SCALE + " decimal places (was " + amount.toPlainString() + "): round it");
    }
    return amount;
  }

  /** An account's period column: '' for scopes that are not daily, else the ISO day. */
  public static String period(Account a) {
    return a.day() == null ? "" : a.day().toString();
  }

  /** The account of a budget_accounts (or budget_alerts) row, from its scope kind, scope name and period. */
  public static Account account(String kind, String name, String period) {
    return new Account(new BudgetScope(BudgetScope.Kind.valueOf(kind), name),
        period.isEmpty() ? null : LocalDate.parse(period));
  }

  /** A lease's expiry by the database clock: {@code now + lease}, bound with {@link #bindLease}. */
  public static String leaseUntil(Dialect dialect) {
    return dialect == Dialect.POSTGRESQL ? "now() + make_interval(secs => ?)"
        : "DATEADD(MICROSECOND, ?, CURRENT_TIMESTAMP)";
  }

  /** Binds the parameter of {@link #leaseUntil}. */
  public static void bindLease(PreparedStatement ps, int index, Dialect dialect, Duration lease) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      ps.setDouble(index, lease.getSeconds() + lease.getNano() / 1e9);
    } else {
      ps.setLong(index, Math.multiplyExact(lease.getSeconds(), 1_000_000L) + lease.getNano() / 1000);
    }
  }

  /**
   * Checks a lease duration.
   *
   * @throws IllegalArgumentException when it is negative
   */
  public static Duration checkLease(Duration lease) {
    if (lease.isNegative()) {
      throw new IllegalArgumentException("lease must be >= 0 (was " + lease + "): give engines time to renew it");
    }
    return lease;
  }
}
