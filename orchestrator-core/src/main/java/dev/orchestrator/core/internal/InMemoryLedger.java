package dev.orchestrator.core.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.LimitBreach;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.ThresholdCrossing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The budget accounts of the in-memory store. One lock guards every account and reservation, so a reservation is
 * all or nothing and the hard limit holds whatever the number of threads reserving at once.
 */
public final class InMemoryLedger implements Ledger {
  private static final class AccountState {
    BigDecimal spent = BigDecimal.ZERO;
    BigDecimal reserved = BigDecimal.ZERO;
    BigDecimal estimated = BigDecimal.ZERO;
    BigDecimal overrun = BigDecimal.ZERO;
    final Set<Double> crossed = new HashSet<>();

    Balance balance(Account a) {
      return Balance.builder(a).spent(spent).reserved(reserved).estimated(estimated).overrun(overrun).build();
    }
  }

  private record Reservation(String runKey, long fence, List<Account> accounts, BigDecimal amount) {}

  private final Object lock = new Object();
  private final Function<BudgetScope, @Nullable Budget> limits;
  /** Guarded by {@link #lock}. */
  private final Map<Account, AccountState> accounts = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private final Map<String, Reservation> reservations = new HashMap<>();

  /** @param limits the stored limit of a scope, or null */
  public InMemoryLedger(Function<BudgetScope, @Nullable Budget> limits) {
    this.limits = limits;
  }

  /** The key of a run in {@link #releaseRun}. */
  public static String runKey(String project, String runId) {
    return project + '\u0000' + runId;
  }

  @Override
  public @Nullable LimitBreach reserve(String reservationId, RunLease holder, List<Account> accounts,
      BigDecimal amount, @Nullable BigDecimal implicitTaskLimit) {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(holder, "holder");
    checkAmount("amount", amount);
    List<Account> copy = List.copyOf(accounts);
    synchronized (lock) {
      if (reservations.containsKey(reservationId)) {
        throw new IllegalArgumentException("reservation id " + reservationId + " is in use: pass a new one");
      }
      LimitBreach breach = breach(copy, amount, implicitTaskLimit);
      if (breach != null) {
        return breach;
      }
      for (Account a : copy) {
        AccountState s = this.accounts.computeIfAbsent(a, k -> new AccountState());
        s.reserved = s.reserved.add(amount);
      }
      reservations.put(reservationId, new Reservation(runKey(holder.project(), holder.runId()), holder.fence(), copy,
          amount));
      return null;
    }
  }

  @Override
  public @Nullable LimitBreach check(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit) {
    checkAmount("amount", amount);
    synchronized (lock) {
      return breach(accounts, amount, implicitTaskLimit);
    }
  }

  private @Nullable LimitBreach breach(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit) {
    for (Account a : accounts) {
      Budget b = limits.apply(a.scope());
      BigDecimal limit = b != null ? b.limit().amount()
          : a.scope().kind() == BudgetScope.Kind.TASK ? implicitTaskLimit : null;
      if (limit == null) {
        continue;
      }
      AccountState s = this.accounts.get(a);
      BigDecimal spent = s == null ? BigDecimal.ZERO : s.spent;
      BigDecimal reserved = s == null ? BigDecimal.ZERO : s.reserved;
      if (spent.add(reserved).add(amount).compareTo(limit) > 0) {
        return LimitBreach.builder(a).spent(spent).reserved(reserved).limit(limit).wanted(amount).build();
      }
    }
    return null;
  }

  @Override
  public List<ThresholdCrossing> settle(@Nullable String reservationId, List<Account> accounts, BigDecimal actual,
      boolean estimated) {
    checkAmount("actual", actual);
    List<ThresholdCrossing> crossings = new ArrayList<>(0);
    synchronized (lock) {
      Reservation r = reservationId == null ? null : reservations.remove(reservationId);
      BigDecimal overrun = BigDecimal.ZERO;
      if (r != null) {
        release(r);
        overrun = actual.subtract(r.amount()).max(BigDecimal.ZERO);
      }
      if (actual.signum() == 0) {
        return crossings;
      }
      for (Account a : new LinkedHashSet<>(accounts)) {
        AccountState s = this.accounts.computeIfAbsent(a, k -> new AccountState());
        s.spent = s.spent.add(actual);
        if (estimated) {
          s.estimated = s.estimated.add(actual);
        }
        s.overrun = s.overrun.add(overrun);
        Budget b = limits.apply(a.scope());
        if (b != null && b.limit().amount().signum() > 0) {
          double share = s.spent.divide(b.limit().amount(), MathContext.DECIMAL64).doubleValue();
          for (double t : b.thresholds()) {
            if (share >= t && s.crossed.add(t)) {
              crossings.add(ThresholdCrossing.builder(a).threshold(t).spent(s.spent)
                  .limit(b.limit().amount()).build());
            }
          }
        }
      }
    }
    return crossings;
  }

  private void release(Reservation r) {
    for (Account a : r.accounts()) {
      AccountState s = accounts.get(a);
      if (s != null) {
        s.reserved = s.reserved.subtract(r.amount()).max(BigDecimal.ZERO);
      }
    }
  }

  /** Releases the reservations made for a run under leases older than {@code fence}. */
  public void releaseRun(String runKey, long fence) {
    synchronized (lock) {
      reservations.values().removeIf(r -> {
        if (r.runKey().equals(runKey) && r.fence() < fence) {
          release(r);
          return true;
        }
        return false;
      });
    }
  }

  /** A limit was stored: when it was raised, thresholds above each account's new share may fire again. */
  public void limitSaved(@Nullable Budget previous, Budget budget) {
    if (previous == null || budget.limit().amount().compareTo(previous.limit().amount()) <= 0
        || budget.limit().amount().signum() == 0) {
      return;
    }
    synchronized (lock) {
      accounts.forEach((a, s) -> {
        if (a.scope().equals(budget.scope())) {
          double share = s.spent.divide(budget.limit().amount(), MathContext.DECIMAL64).doubleValue();
          s.crossed.removeIf(t -> t > share);
        }
      });
    }
  }

  @Override
  public Balance balance(Account account) {
    synchronized (lock) {
      AccountState s = accounts.get(account);
      return s == null ? Balance.builder(account).build() : s.balance(account);
    }
  }

  @Override
  public List<Balance> balances() {
    synchronized (lock) {
      List<Balance> out = new ArrayList<>(accounts.size());
      accounts.forEach((a, s) -> out.add(s.balance(a)));
      return out;
    }
  }

  private static void checkAmount(String field, BigDecimal amount) {
    Objects.requireNonNull(amount, field);
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + amount.toPlainString() + ")");
    }
  }
}
