package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Spending accounts and their limits. A reservation is all or nothing across every account a call touches: if the
 * worst case would break any limit, nothing is reserved. Thread-safe: one lock guards every account, so the hard
 * limit holds whatever the number of threads reserving at once.
 */
public final class BudgetLedger {
  /** An account: a scope in one period ({@code day} is set only for daily scopes). */
  public record Key(BudgetScope scope, @Nullable LocalDate day) {
    public Key {
      Objects.requireNonNull(scope, "scope");
    }
  }

  /** Why a reservation was refused. */
  public record Breach(Key key, BigDecimal spent, BigDecimal reserved, BigDecimal limit, BigDecimal wanted) {}

  /** A threshold newly crossed by a settlement. */
  public record Crossing(Key key, double threshold, BigDecimal spent, BigDecimal limit) {}

  private static final class Account {
    BigDecimal spent = BigDecimal.ZERO;
    BigDecimal reserved = BigDecimal.ZERO;
    final Set<Double> crossed = new HashSet<>();
    /** The spending at which the next alert fires, for {@link #alertsOf}; null when none is left. */
    @Nullable BigDecimal nextAlert;
    @Nullable Budget alertsOf;

    /** Recomputes {@link #nextAlert} for {@code b}, so a settlement compares one number instead of dividing. */
    void arm(Budget b) {
      alertsOf = b;
      nextAlert = null;
      for (double t : b.thresholds()) {
        if (!crossed.contains(t)) {
          nextAlert = b.limit().amount().multiply(BigDecimal.valueOf(t));
          return;
        }
      }
    }
  }

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Map<BudgetScope, Budget> limits = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private final Map<Key, Account> accounts = new HashMap<>();

  /** Sets or replaces a limit. A raised limit lets thresholds below the new share fire again. */
  public void setLimit(Budget budget) {
    synchronized (lock) {
      Budget previous = limits.put(budget.scope(), budget);
      if (previous != null && budget.limit().compareTo(previous.limit()) > 0) {
        for (Map.Entry<Key, Account> e : accounts.entrySet()) {
          if (e.getKey().scope().equals(budget.scope())) {
            BigDecimal share = share(e.getValue().spent, budget.limit().amount());
            e.getValue().crossed.removeIf(t -> t > share.doubleValue());
          }
        }
      }
    }
  }

  /** Removes a limit; returns whether there was one. */
  public boolean removeLimit(BudgetScope scope) {
    synchronized (lock) {
      return limits.remove(scope) != null;
    }
  }

  /** Every limit, in no particular order. */
  public List<Budget> limits() {
    synchronized (lock) {
      return List.copyOf(limits.values());
    }
  }

  /** The limit of a scope, or null. */
  public @Nullable Budget limit(BudgetScope scope) {
    synchronized (lock) {
      return limits.get(scope);
    }
  }

  /**
   * Reserves {@code amount} on every key, or on none.
   *
   * @param implicitTaskLimit a task's own {@code maxCost}, applied to its {@link BudgetScope.Kind#TASK} key when no
   *     explicit limit is set for it; or null
   * @return null when reserved, else the first limit it would break
   */
  public @Nullable Breach reserve(List<Key> keys, BigDecimal amount, @Nullable BigDecimal implicitTaskLimit) {
    synchronized (lock) {
      for (Key k : keys) {
        BigDecimal limit = limitOf(k, implicitTaskLimit);
        if (limit != null) {
          Account a = accounts.get(k);
          BigDecimal spent = a == null ? BigDecimal.ZERO : a.spent;
          BigDecimal reserved = a == null ? BigDecimal.ZERO : a.reserved;
          if (spent.add(reserved).add(amount).compareTo(limit) > 0) {
            return new Breach(k, spent, reserved, limit, amount);
          }
        }
      }
      for (Key k : keys) {
        Account a = accounts.computeIfAbsent(k, x -> new Account());
        a.reserved = a.reserved.add(amount);
      }
      return null;
    }
  }

  /** Whether {@link #reserve} would succeed now, without reserving. */
  public boolean fits(List<Key> keys, BigDecimal amount, @Nullable BigDecimal implicitTaskLimit) {
    synchronized (lock) {
      for (Key k : keys) {
        BigDecimal limit = limitOf(k, implicitTaskLimit);
        Account a = accounts.get(k);
        if (limit != null && a != null && a.spent.add(a.reserved).add(amount).compareTo(limit) > 0) {
          return false;
        }
        if (limit != null && a == null && amount.compareTo(limit) > 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Releases a reservation and records what the call really cost.
   *
   * @return the alert thresholds this settlement crossed, each reported once per key
   */
  public List<Crossing> settle(List<Key> keys, BigDecimal reserved, BigDecimal actual) {
    List<Crossing> crossings = new ArrayList<>(0);
    synchronized (lock) {
      for (Key k : keys) {
        Account a = accounts.computeIfAbsent(k, x -> new Account());
        a.reserved = a.reserved.subtract(reserved);
        a.spent = a.spent.add(actual);
        Budget b = limits.get(k.scope());
        if (b != null && actual.signum() > 0 && b.limit().amount().signum() > 0) {
          if (a.alertsOf != b) {
            a.arm(b);
          }
          if (a.nextAlert != null && a.spent.compareTo(a.nextAlert) >= 0) {
            BigDecimal share = share(a.spent, b.limit().amount());
            for (double t : b.thresholds()) {
              if (share.doubleValue() >= t && a.crossed.add(t)) {
                crossings.add(new Crossing(k, t, a.spent, b.limit().amount()));
              }
            }
            a.arm(b);
          }
        }
      }
    }
    return crossings;
  }

  /** What an account has spent, zero when unknown. */
  public BigDecimal spent(Key key) {
    synchronized (lock) {
      Account a = accounts.get(key);
      return a == null ? BigDecimal.ZERO : a.spent;
    }
  }

  /** What an account has reserved, zero when unknown. */
  public BigDecimal reserved(Key key) {
    synchronized (lock) {
      Account a = accounts.get(key);
      return a == null ? BigDecimal.ZERO : a.reserved;
    }
  }

  /** Every account with a limit or any spending, as report lines; {@code paused} says which limits stop work. */
  public List<BudgetLine> lines(java.util.function.Predicate<Key> include, Set<Key> paused) {
    List<BudgetLine> out = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<Key, Account> e : accounts.entrySet()) {
        Key k = e.getKey();
        if (!include.test(k)) {
          continue;
        }
        Budget b = limits.get(k.scope());
        out.add(BudgetLine.builder().scope(k.scope()).day(k.day()).spent(Money.usd(e.getValue().spent))
            .reserved(Money.usd(e.getValue().reserved)).limit(b == null ? null : b.limit())
            .paused(paused.contains(k)).build());
      }
    }
    out.sort(java.util.Comparator.comparing((BudgetLine l) -> l.scope().kind())
        .thenComparing(l -> l.scope().name()).thenComparing(l -> String.valueOf(l.day())));
    return out;
  }

  private @Nullable BigDecimal limitOf(Key k, @Nullable BigDecimal implicitTaskLimit) {
    Budget b = limits.get(k.scope());
    if (b != null) {
      return b.limit().amount();
    }
    return k.scope().kind() == BudgetScope.Kind.TASK ? implicitTaskLimit : null;
  }

  private static BigDecimal share(BigDecimal spent, BigDecimal limit) {
    return limit.signum() == 0 ? BigDecimal.ONE : spent.divide(limit, java.math.MathContext.DECIMAL64);
  }
}
