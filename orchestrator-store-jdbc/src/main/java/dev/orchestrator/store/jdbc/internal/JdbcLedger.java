package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.LimitBreach;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.ThresholdCrossing;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The budget accounts of a JDBC store, shared by every process that uses its database. Accounts are the rows of
 * {@code budget_accounts} (one per scope and period), limits the rows of {@code budgets}, reservations the rows of
 * {@code budget_reservations}, and the thresholds already reported the rows of {@code budget_alerts}.
 *
 * <p>Every change is one transaction that locks the account rows it touches ({@code SELECT ... FOR UPDATE}) in
 * {@link Sql#ACCOUNT_ORDER}, computes the new figures from the locked ones and writes them: no update is lost under
 * PostgreSQL's READ COMMITTED, a reservation is made on every account or none, and two transactions never wait on
 * each other in a cycle. A reservation also locks its run's row while it checks that the holder's lease still holds,
 * so a claim of the run (which releases the reservations of earlier leases) comes wholly before or wholly after it.
 *
 * <p>Thread-safe.
 */
public final class JdbcLedger implements Ledger {
  private static final int MAX_ID_LENGTH = 200;

  private final Transactor tx;

  public JdbcLedger(Transactor tx) {
    this.tx = tx;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when {@code holder} no longer holds its run (another engine claimed it, or it was
   *     released): nothing is reserved, and the caller should stop the run
   * @throws IllegalArgumentException also when the amount does not fit {@code DECIMAL(38, 18)}
   */
  @Override
  public @Nullable LimitBreach reserve(String reservationId, RunLease holder, List<Account> accounts,
      BigDecimal amount, @Nullable BigDecimal implicitTaskLimit) {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(accounts, "accounts");
    Sql.checkAmount("amount", amount);
    if (reservationId.isBlank() || reservationId.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("reservationId must be 1 to " + MAX_ID_LENGTH + " characters, not blank (was '"
          + reservationId + "'): use a random UUID");
    }
    List<Account> wanted = List.copyOf(new LinkedHashSet<>(accounts));
    // A new account may be inserted by two reservations at once: the loser runs again and finds it.
    return tx.write("reserve " + amount.toPlainString() + " for " + holder.project() + "/" + holder.runId(), true,
        c -> {
          WriteGate.enter(c, tx.dialect(), tx.joined());
          if (Sql.exists(c, "SELECT 1 FROM budget_reservations WHERE id = ?", reservationId)) {
            throw new IllegalArgumentException("reservation id '" + reservationId + "' is in use: give each "
                + "reservation a new id");
          }
          if (!RunLeases.holds(c, tx.dialect(), holder, false)) {
            throw new IllegalStateException("the lease of " + holder.owner() + " on run " + holder.project() + "/"
                + holder.runId() + " (fence " + holder.fence() + ") is no longer held: nothing was reserved; stop "
                + "the run, its new holder carries it on");
          }
          Map<Account, Balance> locked = lockAll(c, wanted, true);
          for (Account a : wanted) {
            Balance b = locked.get(a);
            BigDecimal limit = limit(c, a, implicitTaskLimit);
            if (limit != null && b.spent().add(b.reserved()).add(amount).compareTo(limit) > 0) {
              c.rollback();
              return LimitBreach.builder(a).spent(Sql.plain(b.spent())).reserved(Sql.plain(b.reserved()))
                  .limit(Sql.plain(limit)).wanted(amount).build();
            }
          }
          for (Account a : locked.keySet()) {
            Balance b = locked.get(a);
            write(c, b.toBuilder().reserved(b.reserved().add(amount)).build());
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_reservations (id, project, run_id, fence, "
              + "amount, accounts) VALUES (?, ?, ?, ?, ?, ?)")) {
            Sql.bind(ps, reservationId, holder.project(), holder.runId(), holder.fence(), amount,
                Json.write(wanted));
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public @Nullable LimitBreach check(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit) {
    Objects.requireNonNull(accounts, "accounts");
    Sql.checkAmount("amount", amount);
    List<Account> wanted = List.copyOf(new LinkedHashSet<>(accounts));
    return tx.read("check " + amount.toPlainString() + " against the budgets", c -> {
      for (Account a : wanted) {
        BigDecimal limit = limit(c, a, implicitTaskLimit);
        if (limit == null) {
          continue;
        }
        Balance b = read(c, a);
        if (b.spent().add(b.reserved()).add(amount).compareTo(limit) > 0) {
          return LimitBreach.builder(a).spent(b.spent()).reserved(b.reserved()).limit(Sql.plain(limit))
              .wanted(amount).build();
        }
      }
      return null;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The reservation's row is deleted (if a claim of its run has not deleted it already) and its amount taken out of
   * the accounts it was made on; {@code actual} goes to every account of {@code accounts} (to its {@code estimated}
   * column too when estimated, and what exceeds the deleted reservation to its {@code overrun} column). A threshold crosses when
   * spent reaches {@code limit x threshold} of the account's stored budget, after a settlement of more than zero; its
   * row in {@code budget_alerts} is inserted while the account's row is locked, so it is reported once.
   *
   * @throws IllegalArgumentException when {@code actual} is negative or does not fit {@code DECIMAL(38, 18)}
   */
  @Override
  public List<ThresholdCrossing> settle(@Nullable String reservationId, List<Account> accounts, BigDecimal actual,
      boolean estimated) {
    Objects.requireNonNull(accounts, "accounts");
    Sql.checkAmount("actual", actual);
    Set<Account> charged = new LinkedHashSet<>(accounts);
    return tx.write("settle " + (reservationId == null ? "a call" : "reservation " + reservationId), true, c -> {
      WriteGate.enter(c, tx.dialect(), tx.joined());
      BigDecimal released = BigDecimal.ZERO;
      BigDecimal overrun = BigDecimal.ZERO;
      Set<Account> freed = Set.of();
      if (reservationId != null) {
        // Locked, then deleted: of a settlement and a claim that both find the row, only one releases it.
        try (PreparedStatement ps = c.prepareStatement("SELECT amount, accounts FROM budget_reservations WHERE id = ? "
            + "FOR UPDATE")) {
          Sql.bind(ps, reservationId);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              released = rs.getBigDecimal(1);
              freed = new HashSet<>(Json.readAccounts(rs.getString(2)));
            }
          }
        }
        if (Sql.update(c, "DELETE FROM budget_reservations WHERE id = ?", reservationId) == 0) {
          freed = Set.of();
          released = BigDecimal.ZERO;
        } else {
          overrun = actual.subtract(released).max(BigDecimal.ZERO);
        }
      }
      TreeSet<Account> touched = new TreeSet<>(Sql.ACCOUNT_ORDER);
      if (actual.signum() > 0) {
        touched.addAll(charged);
      }
      touched.addAll(freed);
      List<ThresholdCrossing> crossings = new ArrayList<>(0);
      Map<Account, Balance> locked = lockAll(c, touched, true);
      for (Account a : touched) {
        Balance b = locked.get(a);
        boolean charge = charged.contains(a) && actual.signum() > 0;
        Balance next = Balance.builder(a).spent(charge ? b.spent().add(actual) : b.spent())
            .reserved(freed.contains(a) ? b.reserved().subtract(released).max(BigDecimal.ZERO) : b.reserved())
            .estimated(charge && estimated ? b.estimated().add(actual) : b.estimated())
            .overrun(charge ? b.overrun().add(overrun) : b.overrun()).build();
        write(c, next);
        BigDecimal spent = next.spent();
        if (charged.contains(a) && actual.signum() > 0) {
          crossings.addAll(crossed(c, a, spent));
        }
      }
      return crossings;
    });
  }

  @Override
  public Balance balance(Account account) {
    Objects.requireNonNull(account, "account");
    return tx.read("read the balance of " + account.scope() + " " + Sql.period(account), c -> read(c, account));
  }

  @Override
  public List<Balance> balances() {
    return tx.read("read the budget accounts", c -> {
      List<Balance> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT scope_kind, scope_name, period, spent, reserved, "
          + "estimated, overrun FROM budget_accounts");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(balance(Sql.account(rs.getString(1), rs.getString(2), rs.getString(3)), rs, 4));
        }
      }
      return out;
    });
  }

  // ------------------------------------------------------------------ for the store's other writers

  /**
   * Releases the reservations made under the earlier leases of runs just claimed (fence lower than the new one), in
   * the claim's transaction, which holds the runs' rows.
   */
  void releaseEarlierLeases(Connection c, List<RunLease> claimed) throws SQLException {
    if (claimed.isEmpty()) {
      return;
    }
    WriteGate.enter(c, tx.dialect(), tx.joined());
    Map<Account, BigDecimal> free = new TreeMap<>(Sql.ACCOUNT_ORDER);
    // One query for every claimed run (a claim takes runs in batches): the rows of a run's earlier leases.
    Map<String, Long> fences = new HashMap<>();
    StringBuilder in = new StringBuilder();
    List<Object> args = new ArrayList<>();
    for (RunLease lease : claimed) {
      fences.put(lease.project() + '\0' + lease.runId(), lease.fence());
      in.append(args.isEmpty() ? "(?, ?)" : ", (?, ?)");
      args.add(lease.project());
      args.add(lease.runId());
    }
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement find = c.prepareStatement("SELECT id, amount, accounts, project, run_id, fence FROM "
        + "budget_reservations WHERE (project, run_id) IN (" + in + ") ORDER BY id FOR UPDATE")) {
      Sql.bind(find, args.toArray());
      try (ResultSet rs = find.executeQuery()) {
        while (rs.next()) {
          Long fence = fences.get(rs.getString(4) + '\0' + rs.getString(5));
          if (fence != null && rs.getLong(6) < fence) {
            rows.add(new Object[] {rs.getString(1), rs.getBigDecimal(2), Json.readAccounts(rs.getString(3))});
          }
        }
      }
    }
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM budget_reservations WHERE id = ?")) {
      for (Object[] row : rows) {
        Sql.bind(delete, row[0]);
        if (delete.executeUpdate() == 1) {
          @SuppressWarnings("unchecked")
          List<Account> accounts = (List<Account>) row[2];
          for (Account a : new LinkedHashSet<>(accounts)) {
            free.merge(a, (BigDecimal) row[1], BigDecimal::add);
          }
        }
      }
    }
    Map<Account, Balance> locked = lockAll(c, free.keySet(), false);
    for (Map.Entry<Account, Balance> e : locked.entrySet()) {
      Balance b = e.getValue();
      write(c, b.toBuilder().reserved(b.reserved().subtract(free.get(e.getKey())).max(BigDecimal.ZERO)).build());
    }
  }

  /**
   * Called in the transaction that saves {@code budget}, before its row is written: when it raises the scope's limit,
   * the thresholds above each account's new share may fire again, so their rows in {@code budget_alerts} go.
   */
  public void beforeLimitSaved(Connection c, Budget budget) throws SQLException {
    WriteGate.enter(c, tx.dialect(), tx.joined());
    BudgetScope scope = budget.scope();
    BigDecimal before = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT limit_amount FROM budgets WHERE scope_kind = ? "
        + "AND scope_name = ?")) {
      Sql.bind(ps, scope.kind().name(), scope.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          before = rs.getBigDecimal(1);
        }
      }
    }
    BigDecimal limit = budget.limit().amount();
    if (before == null || limit.compareTo(before) <= 0) {
      return;
    }
    // The scope's accounts are locked (in the settlements' order) so no settlement reports between read and delete.
    Map<String, BigDecimal> spentByPeriod = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT period, spent FROM budget_accounts WHERE scope_kind = ? "
        + "AND scope_name = ? ORDER BY period FOR UPDATE")) {
      Sql.bind(ps, scope.kind().name(), scope.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spentByPeriod.put(rs.getString(1), rs.getBigDecimal(2));
        }
      }
    }
    try (PreparedStatement alerts = c.prepareStatement("SELECT period, threshold FROM budget_alerts "
        + "WHERE scope_kind = ? AND scope_name = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM budget_alerts WHERE scope_kind = ? "
            + "AND scope_name = ? AND period = ? AND threshold = ?")) {
      Sql.bind(alerts, scope.kind().name(), scope.name());
      List<Object[]> rearm = new ArrayList<>();
      try (ResultSet rs = alerts.executeQuery()) {
        while (rs.next()) {
          String period = rs.getString(1);
          double t = rs.getDouble(2);
          BigDecimal spent = spentByPeriod.getOrDefault(period, BigDecimal.ZERO);
          if (limit.multiply(BigDecimal.valueOf(t)).compareTo(spent) > 0) {
            rearm.add(new Object[] {period, t});
          }
        }
      }
      for (Object[] r : rearm) {
        Sql.bind(delete, scope.kind().name(), scope.name(), r[0]);
        delete.setDouble(4, (Double) r[1]);
        delete.executeUpdate();
      }
    }
  }

  // ------------------------------------------------------------------ rows

  /**
   * Locks the rows of {@code accounts} in {@link Sql#ACCOUNT_ORDER}, creating the missing ones when {@code create}
   * (else skipping them), and returns their balances.
   */
  private Map<Account, Balance> lockAll(Connection c, Iterable<Account> accounts, boolean create)
      throws SQLException {
    TreeSet<Account> sorted = new TreeSet<>(Sql.ACCOUNT_ORDER);
    accounts.forEach(sorted::add);
    Map<Account, Balance> out = new TreeMap<>(Sql.ACCOUNT_ORDER);
    for (Account a : sorted) {
      if (create) {
        ensure(c, a);
      }
      Balance b = row(c, a, true);
      if (b != null) {
        out.put(a, b);
      }
    }
    return out;
  }

  /** An account's balance, zero when it has no row. */
  private static Balance read(Connection c, Account a) throws SQLException {
    Balance b = row(c, a, false);
    return b != null ? b : Balance.builder(a).build();
  }

  /** An account's row, or null; with {@code lock}, the row is locked until the transaction ends. */
  private static @Nullable Balance row(Connection c, Account a, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT spent, reserved, estimated, overrun FROM budget_accounts "
        + "WHERE scope_kind = ? AND scope_name = ? AND period = ?" + (lock ? " FOR UPDATE" : ""))) {
      Sql.bind(ps, a.scope().kind().name(), a.scope().name(), Sql.period(a));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? balance(a, rs, 1) : null;
      }
    }
  }

  /** The balance in the row's spent, reserved, estimated and overrun columns, from column {@code first} on. */
  private static Balance balance(Account a, ResultSet rs, int first) throws SQLException {
    return Balance.builder(a).spent(Sql.plain(rs.getBigDecimal(first)))
        .reserved(Sql.plain(rs.getBigDecimal(first + 1))).estimated(Sql.plain(rs.getBigDecimal(first + 2)))
        .overrun(Sql.plain(rs.getBigDecimal(first + 3))).build();
  }

  private static void write(Connection c, Balance b) throws SQLException {
    Account a = b.account();
    Sql.update(c, "UPDATE budget_accounts SET spent = ?, reserved = ?, estimated = ?, overrun = ? WHERE scope_kind = ? "
        + "AND scope_name = ? AND period = ?", b.spent(), b.reserved(), b.estimated(), b.overrun(),
        a.scope().kind().name(), a.scope().name(), Sql.period(a));
  }

  /** Inserts the account's row unless it exists; a row inserted meanwhile by another writer is fine. */
  private void ensure(Connection c, Account a) throws SQLException {
    String kind = a.scope().kind().name();
    if (tx.dialect() == Dialect.POSTGRESQL) {
      Sql.update(c, "INSERT INTO budget_accounts (scope_kind, scope_name, period) VALUES (?, ?, ?) "
          + "ON CONFLICT DO NOTHING", kind, a.scope().name(), Sql.period(a));
    } else {
      // A concurrent insert of the same key fails this one with a duplicate key: the transaction runs again.
      Sql.update(c, "INSERT INTO budget_accounts (scope_kind, scope_name, period) SELECT CAST(? AS VARCHAR), "
          + "CAST(? AS VARCHAR), CAST(? AS VARCHAR) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM budget_accounts "
          + "WHERE scope_kind = ? AND scope_name = ? AND period = ?)", kind, a.scope().name(), Sql.period(a), kind,
          a.scope().name(), Sql.period(a));
    }
  }

  /** The stored limit of the account's scope (each day's account of a daily scope has the whole limit). */
  private static @Nullable BigDecimal limit(Connection c, Account a, @Nullable BigDecimal implicitTaskLimit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT limit_amount FROM budgets WHERE scope_kind = ? "
        + "AND scope_name = ?")) {
      Sql.bind(ps, a.scope().kind().name(), a.scope().name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getBigDecimal(1);
        }
      }
    }
    return a.scope().kind() == BudgetScope.Kind.TASK ? implicitTaskLimit : null;
  }

  /** The thresholds of the account's budget that {@code spent} reaches and that were not reported yet; records them. */
  private static List<ThresholdCrossing> crossed(Connection c, Account a, BigDecimal spent) throws SQLException {
    BigDecimal limit = null;
    List<Double> thresholds = List.of();
    try (PreparedStatement ps = c.prepareStatement("SELECT limit_amount, thresholds FROM budgets WHERE scope_kind = ? "
        + "AND scope_name = ?")) {
      Sql.bind(ps, a.scope().kind().name(), a.scope().name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          limit = rs.getBigDecimal(1);
          thresholds = Json.readDoubles(rs.getString(2));
        }
      }
    }
    if (limit == null || limit.signum() <= 0 || thresholds.isEmpty()) {
      return List.of();
    }
    Set<Double> reported = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT threshold FROM budget_alerts WHERE scope_kind = ? "
        + "AND scope_name = ? AND period = ?")) {
      Sql.bind(ps, a.scope().kind().name(), a.scope().name(), Sql.period(a));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reported.add(rs.getDouble(1));
        }
      }
    }
    List<ThresholdCrossing> out = new ArrayList<>(0);
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO budget_alerts (scope_kind, scope_name, period, "
        + "threshold) VALUES (?, ?, ?, ?)")) {
      for (double t : new TreeSet<>(thresholds)) {
        if (!reported.contains(t) && spent.compareTo(limit.multiply(BigDecimal.valueOf(t))) >= 0) {
          Sql.bind(insert, a.scope().kind().name(), a.scope().name(), Sql.period(a));
          insert.setDouble(4, t);
          insert.executeUpdate();
          out.add(ThresholdCrossing.builder(a).threshold(t).spent(Sql.plain(spent)).limit(Sql.plain(limit))
              .build());
        }
      }
    }
    return out;
  }
}
