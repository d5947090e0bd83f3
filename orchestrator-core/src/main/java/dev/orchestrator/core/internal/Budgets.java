package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.LimitBreach;
import dev.orchestrator.spi.store.ThresholdCrossing;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cost budgets: before a call its worst case is reserved on every account it touches in the store's ledger (a
 * breach pauses the task instead), after it the reservation is settled with the real cost. Paused tasks resume when
 * a settlement, a raised limit or the next day (for daily limits) makes room. Also the limits.
 *
 * <p>Confined to the drain loop, except {@link #limits}, which the store sync refreshes from the timer thread.
 */
final class Budgets {
  private static final Logger log = LoggerFactory.getLogger(Budgets.class);

  private final EngineContext ctx;
  private final Ledger ledger;
  private final ZoneId zone;
  private final Providers providers;
  private final Lifecycle lifecycle;
  /** The stored limits by scope, refreshed from the store by {@link StoreSync}; read by any thread. */
  private final ConcurrentHashMap<BudgetScope, Budget> limits = new ConcurrentHashMap<>();
  /** Tasks a budget holds back, oldest first. */
  private final List<TaskNode> paused = new ArrayList<>();
  /** The accounts whose limit currently stops work (each announced once). */
  private final Set<Account> limitReached = new HashSet<>();
  private Scheduler.@Nullable Cancellable midnightTimer;

  Budgets(EngineContext ctx, ZoneId zone, Providers providers, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.ledger = ctx.store.ledger();
    this.zone = zone;
    this.providers = providers;
    this.lifecycle = lifecycle;
  }

  ZoneId zone() {
    return zone;
  }

  Balance balance(Account account) {
    return ledger.balance(account);
  }

  /** The accounts whose limit this engine saw stop work, a copy (read in the drain loop). */
  Set<Account> limitsReached() {
    return Set.copyOf(limitReached);
  }

  /** Whether the account's limit stops work now. */
  boolean stopsWork(Account account) {
    return limitReached.contains(account);
  }

  /**
   * Saves the limits given to the builder (they win over stored ones) and loads every stored limit. Runs before the
   * engine takes any work.
   */
  void load(List<Budget> initial) {
    for (Budget b : initial) {
      ctx.store.saveBudget(b);
    }
    refreshLimits(ctx.store.budgets());
  }

  /**
   * Replaces the cached limits with the stored ones (read on a timer thread); when any changed, tasks that a budget
   * held back and that now fit resume. Returns whether any changed.
   */
  boolean refreshLimits(List<Budget> stored) {
    Map<BudgetScope, Budget> now = new HashMap<>();
    for (Budget b : stored) {
      now.put(b.scope(), b);
    }
    if (now.equals(limits)) {
      return false;
    }
    limits.keySet().retainAll(now.keySet());
    limits.putAll(now);
    ctx.post(() -> {
      limitReached.removeIf(k -> !limits.containsKey(k.scope()));
      limitReached.clear();
      resumePaused();
    });
    return true;
  }

  /** The accounts a call of {@code n} on {@code slot} touches, today in the budget zone. */
  private List<Account> keys(TaskNode n, Slot slot) {
    LocalDate today = LocalDate.ofInstant(ctx.now(), zone);
    return List.of(new Account(BudgetScope.global(), null),
        new Account(BudgetScope.project(n.run.project), null),
        new Account(BudgetScope.provider(slot.name), null),
        new Account(BudgetScope.providerDaily(slot.name), today),
        new Account(BudgetScope.run(n.run.id), null),
        new Account(BudgetScope.task(n.run.id, n.id()), null));
  }

  static CostEstimate estimate(Slot slot, ProviderRequest request) {
    try {
      return slot.provider.estimate(request);
    } catch (RuntimeException e) {
      log.warn("Estimate failed; the call is reserved as free (provider={})", slot.name, e);
      return CostEstimate.free();
    }
  }

  private static @Nullable BigDecimal maxCost(TaskNode n) {
    return n.spec.maxCost() == null ? null : n.spec.maxCost().amount();
  }

  /**
   * Reserves the call's worst case on every account it touches; when any limit would break, pauses the task instead
   * and returns false. A free call reserves nothing.
   */
  boolean reserve(TaskNode n, Slot slot, ProviderRequest request) {
    BigDecimal worst = estimate(slot, request).high().amount();
    if (worst.signum() <= 0) {
      return true;
    }
    List<Account> keys = keys(n, slot);
    String id = UUID.randomUUID().toString();
    LimitBreach breach = ledger.reserve(id, Objects.requireNonNull(n.run.lease), keys, worst, maxCost(n));
    if (breach == null) {
      n.reservedKeys = keys;
      n.reservationId = id;
      n.reserved = worst;
      return true;
    }
    pause(n, breach);
    return false;
  }

  private void pause(TaskNode n, LimitBreach b) {
    Instant now = ctx.now();
    n.pausedEstimate = b.wanted();
    String scope = b.account().scope() + (b.account().day() == null ? "" : " " + b.account().day());
    String reason = "budget " + scope + " would be exceeded: spent " + Money.usd(b.spent()) + " + reserved "
        + Money.usd(b.reserved()) + " + this call up to " + Money.usd(b.wanted()) + " > limit " + Money.usd(b.limit())
        + "; raise the limit" + (b.account().day() == null ? "" : " or wait for the next day");
    paused.add(n);
    if (!n.reviewing) {
      ctx.update(n, n.record.moveTo(TaskState.PAUSED, now));
      ctx.emit(n.run, new TaskPausedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, reason));
    }
    if (limitReached.add(b.account())) {
      log.warn("Budget limit stops work (scope={}, spent={}, reserved={}, limit={})", scope, b.spent(), b.reserved(),
          b.limit());
      ctx.emit(n.run, new BudgetLimitReachedEvent(n.run.project, n.run.id, now, b.account().scope(),
          Money.usd(b.spent()), Money.usd(b.reserved()), Money.usd(b.limit()), Money.usd(b.wanted())));
    }
    if (b.account().day() != null) {
      scheduleMidnight();
    }
  }

  private void scheduleMidnight() {
    if (midnightTimer != null) {
      return;
    }
    Instant now = ctx.now();
    Instant next = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
    midnightTimer = ctx.later(Duration.between(now, next), () -> {
      midnightTimer = null;
      resumePaused();
    });
  }

  /** Releases the reservation of a call that was not made, if it holds one. */
  void release(TaskNode n) {
    if (n.reservationId != null) {
      settle(n, BigDecimal.ZERO);
    }
  }

  /** Releases a call's reservation and records its real cost; paused tasks that now fit go back to their lanes. */
  void settle(TaskNode n, BigDecimal actual) {
    List<Account> keys = n.reservedKeys;
    String reservation = n.reservationId;
    n.reservedKeys = null;
    n.reservationId = null;
    n.reserved = BigDecimal.ZERO;
    if (keys == null) {
      if (actual.signum() <= 0) {
        return;
      }
      keys = keys(n, n.callSlot);
    }
    List<ThresholdCrossing> crossings = ledger.settle(reservation, keys, actual);
    if (actual.signum() > 0) {
      n.run.cost = n.run.cost.add(actual);
    }
    for (ThresholdCrossing c : crossings) {
      log.info("Budget threshold crossed (scope={}, threshold={}, spent={}, limit={})", c.account().scope(),
          c.threshold(), c.spent(), c.limit());
      ctx.emit(n.run, new BudgetThresholdCrossedEvent(n.run.project, n.run.id, ctx.now(), c.account().scope(),
          c.threshold(), Money.usd(c.spent()), Money.usd(c.limit())));
    }
    resumePaused();
  }

  private void resumePaused() {
    if (paused.isEmpty()) {
      return;
    }
    boolean daily = false;
    for (TaskNode n : new ArrayList<>(paused)) {
      if (n.state() != TaskState.PAUSED && !(n.reviewing && n.state() == TaskState.AWAITING_REVIEW)) {
        paused.remove(n);
        continue;
      }
      List<Account> keys = keys(n, n.reviewing ? n.reviewSlot : n.slot);
      if (ledger.check(keys, n.pausedEstimate, maxCost(n)) == null) {
        paused.remove(n);
        if (n.reviewing) {
          n.reviewSlot.enqueue(n, ctx.clock.millis());
        } else {
          lifecycle.enqueue(n);
        }
      } else {
        daily = true;
      }
    }
    if (daily) {
      scheduleMidnight();
    }
    if (paused.isEmpty()) {
      limitReached.clear();
    }
  }

  /** Forgets a task a budget held back (it was cancelled, or its run went elsewhere). */
  void forget(TaskNode n) {
    paused.remove(n);
  }

  /** Sets or replaces a limit for every engine sharing the store; tasks it held back and that now fit resume. */
  void set(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    checkScope(budget.scope());
    ctx.store.saveBudget(budget);
    refreshLimits(ctx.store.budgets());
  }

  /** Removes a limit; returns whether there was one. */
  boolean remove(BudgetScope scope) {
    boolean removed = ctx.store.deleteBudget(scope);
    refreshLimits(ctx.store.budgets());
    return removed;
  }

  /** Every limit set. */
  List<Budget> budgets() {
    return ctx.store.budgets();
  }

  @Nullable Budget limit(BudgetScope scope) {
    return limits.get(scope);
  }

  private void checkScope(BudgetScope scope) {
    if ((scope.kind() == BudgetScope.Kind.PROVIDER || scope.kind() == BudgetScope.Kind.PROVIDER_DAILY)
        && !providers.contains(scope.name())) {
      throw new IllegalArgumentException("budget names provider '" + scope.name() + "', which is not configured "
          + "(configured: " + providers.names() + "): fix the name");
    }
  }
}
