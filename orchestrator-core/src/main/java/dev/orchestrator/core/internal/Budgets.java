package dev.orchestrator.core.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.CostOverrunEvent;
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
  /** The accounts whose limit currently stops work (each announced once); shared with {@link #pauses}. */
  private final Set<Account> limitReached = new HashSet<>();
  private final BudgetPauses pauses;

  Budgets(EngineContext ctx, ZoneId zone, Providers providers, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.ledger = ctx.store.ledger();
    this.zone = zone;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.pauses = new BudgetPauses(ctx, ledger, zone, lifecycle, limitReached);
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

  /**
   * The least left under the limits of the accounts every call of the task touches (global, project, run and task;
   * provider limits depend on the candidate; global and project alone for an empty run id, as in a dry run), never
   * below zero; null when none of them has a limit.
   */
  @Nullable Money remaining(String project, String runId, String taskId) {
    BigDecimal least = null;
    List<BudgetScope> scopes = runId.isEmpty() ? List.of(BudgetScope.global(), BudgetScope.project(project))
        : List.of(BudgetScope.global(), BudgetScope.project(project), BudgetScope.run(runId),
            BudgetScope.task(runId, taskId));
    for (BudgetScope scope : scopes) {
      Budget limit = limits.get(scope);
      if (limit == null) {
        continue;
      }
      Balance b = ledger.balance(new Account(scope, null));
      BigDecimal left = limit.limit().amount().subtract(b.spent()).subtract(b.reserved());
      least = least == null || left.compareTo(least) < 0 ? left : least;
    }
    return least == null ? null : Money.usd(least.max(BigDecimal.ZERO));
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
      limitReached.clear();
      pauses.resume();
    });
    return true;
  }

  /** The accounts a call of {@code n} on {@code slot} touches, today in the budget zone. */
  private List<Account> keys(TaskNode n, Slot slot) {
    return keys(n, slot, ctx.now());
  }

  /** The accounts a call of {@code n} on {@code slot} made at {@code at} touches. */
  private List<Account> keys(TaskNode n, Slot slot, Instant at) {
    return accounts(n, slot, LocalDate.ofInstant(at, zone));
  }

  /** The accounts a call of {@code n} on {@code slot} touches on {@code today}. */
  static List<Account> accounts(TaskNode n, Slot slot, LocalDate today) {
    return List.of(new Account(BudgetScope.global(), null),
        new Account(BudgetScope.project(n.run.project), null),
        new Account(BudgetScope.provider(slot.name), null),
        new Account(BudgetScope.providerDaily(slot.name), today),
        new Account(BudgetScope.run(n.run.id), null),
        new Account(BudgetScope.task(n.run.id, n.id()), null));
  }

  /** The provider's estimate of a request; one that fails is unknown, never free. */
  static CostEstimate estimate(Slot slot, ProviderRequest request) {
    try {
      CostEstimate e = slot.provider.estimate(request);
      if (e == null) {
        return CostEstimate.unknown("the estimate failed: " + slot.provider.getClass().getName()
            + " returned no estimate", Duration.ZERO);
      }
      return e;
    } catch (RuntimeException e) {
      log.warn("Estimate failed; the call's cost is unknown (provider={}, error={})", slot.name, e.toString());
      log.debug("Estimate failure of provider {}", slot.name, e);
      return CostEstimate.unknown("the estimate failed: " + e.getMessage(), Duration.ZERO);
    }
  }

  /**
   * The first limit among {@code scopes} (or the task's own maxCost) that applies to a call, as the user would name
   * it, or null when none does.
   */
  @Nullable String limitOn(List<BudgetScope> scopes, @Nullable BigDecimal maxCost) {
    for (BudgetScope s : scopes) {
      if (limits.containsKey(s)) {
        return "budget " + s;
      }
    }
    return maxCost == null ? null : "maxCost " + Money.usd(maxCost);
  }

  /**
   * Why a call whose cost cannot be bounded is not made under {@code limit}, and how to fix it.
   *
   * @param why what the provider said is missing
   */
  static String unbounded(String provider, String why, String limit) {
    String head = "the " + limit + " applies to a call of provider " + provider + " whose cost cannot be bounded: ";
    // the bundled providers' reasons already say what to set; a plugin's may not
    return why.contains("maxCostPerCall") ? head + why
        : head + why + "; set maxCostPerCall on provider " + provider + ", or a price for its model, so the budget "
            + "can reserve the call";
  }

  static @Nullable BigDecimal maxCost(TaskNode n) {
    return n.spec.maxCost() == null ? null : n.spec.maxCost().amount();
  }

  /**
   * Reserves the call's worst case on every account it touches; when any limit would break, pauses the task instead
   * and returns false. A free call reserves nothing. A call whose cost cannot be bounded is made only when no limit
   * applies to it; otherwise its task fails at once (a budget could not hold it).
   */
  boolean reserve(TaskNode n, Slot slot, ProviderRequest request) {
    CostEstimate estimate = estimate(slot, request);
    n.unbounded = !estimate.isKnown();
    if (n.unbounded) {
      List<Account> keys = keys(n, slot);
      String limit = limitOn(keys.stream().map(Account::scope).toList(), maxCost(n));
      if (limit == null) {
        return true;
      }
      String message = unbounded(slot.name, Objects.requireNonNull(estimate.unknown()), limit);
      log.warn("Call not made: its cost cannot be bounded under a limit (project={}, run={}, task={}, provider={}, "
          + "limit={})", n.run.project, n.run.id, n.id(), slot.name, limit);
      n.reviewing = false;
      lifecycle.fail(n, ErrorKind.BUDGET, message);
      return false;
    }
    BigDecimal worst = estimate.high().amount();
    if (worst.signum() <= 0) {
      return true; // a free call touches no account
    }
    List<Account> keys = keys(n, slot);
    String id = UUID.randomUUID().toString();
    LimitBreach breach = ledger.reserve(id, Objects.requireNonNull(n.run.lease), keys, worst, maxCost(n));
    if (breach == null) {
      TaskNode.Extras e = n.extras();
      e.reservedKeys = keys;
      e.reservationId = id;
      n.reserved = worst;
      return true;
    }
    pauses.pause(n, breach);
    return false;
  }

  /**
   * Reserves one turn of a task's conversation (a consultation on {@code slot}, or the author's next turn) as
   * {@link #reserve} does, but leaves the task as it is: returns null when the turn is reserved (its reservation is
   * held in {@code turn}, and also on the node when {@code onNode}, for the pipeline to settle), else the breach,
   * or a breach-less refusal in {@code turn.refusal} when its cost cannot be bounded under a limit.
   */
  @Nullable LimitBreach reserveTurn(TaskNode n, Slot slot, ProviderRequest request, Conversation.Turn turn,
      boolean onNode) {
    CostEstimate estimate = estimate(slot, request);
    turn.unbounded = !estimate.isKnown();
    List<Account> keys = keys(n, slot);
    if (turn.unbounded) {
      String limit = limitOn(keys.stream().map(Account::scope).toList(), maxCost(n));
      if (limit != null) {
        turn.refusal = unbounded(slot.name, Objects.requireNonNull(estimate.unknown()), limit);
      }
    } else if (estimate.high().amount().signum() > 0) {
      BigDecimal worst = estimate.high().amount();
      String id = UUID.randomUUID().toString();
      LimitBreach breach = ledger.reserve(id, Objects.requireNonNull(n.run.lease), keys, worst, maxCost(n));
      if (breach != null) {
        return breach;
      }
      turn.keys = keys;
      turn.reservationId = id;
      turn.reserved = worst;
    }
    if (onNode) {
      n.unbounded = turn.unbounded;
      n.reserved = turn.reserved;
      if (turn.reservationId != null) {
        n.extras().reservedKeys = turn.keys;
        n.extras().reservationId = turn.reservationId;
      }
    }
    return null;
  }

  /** Settles a consultation's turn reserved by {@link #reserveTurn} (not on the node) at its real cost. */
  void settleTurn(TaskNode n, Slot slot, Conversation.Turn turn, CallCost cost) {
    List<Account> keys = turn.keys;
    String reservation = turn.reservationId;
    turn.keys = null;
    turn.reservationId = null;
    turn.reserved = BigDecimal.ZERO;
    if (keys == null) {
      if (cost.amount().signum() <= 0) {
        return;
      }
      keys = keys(n, slot);
    }
    charge(n, slot.name, reservation, keys, cost);
  }

  /** Holds a task back whose conversation's next turn would break a limit; it resumes when room is made. */
  void pause(TaskNode n, LimitBreach breach) {
    pauses.pause(n, breach);
  }

  /**
   * Whether two calls of a run yet to start in {@code project}, on {@code a} and {@code b} at these worst cases,
   * would break a limit now (the run's own accounts are new and empty): the limit's account, or null when they fit.
   * Nothing is reserved; the run's calls reserve for themselves when they are made.
   */
  @Nullable String wouldBreak(String project, Slot a, BigDecimal worstA, Slot b, BigDecimal worstB) {
    // a and b are two providers: a comparison's challenger is never its judge
    LocalDate today = LocalDate.ofInstant(ctx.now(), zone);
    LimitBreach shared = ledger.check(List.of(new Account(BudgetScope.global(), null),
        new Account(BudgetScope.project(project), null)), worstA.add(worstB), null);
    if (shared != null) {
      return shared.account().scope().toString();
    }
    LimitBreach own = providerBreach(a, worstA, today);
    if (own == null) {
      own = providerBreach(b, worstB, today);
    }
    return own == null ? null : own.account().scope().toString();
  }

  private @Nullable LimitBreach providerBreach(Slot s, BigDecimal worst, LocalDate today) {
    return ledger.check(List.of(new Account(BudgetScope.provider(s.name), null),
        new Account(BudgetScope.providerDaily(s.name), today)), worst, null);
  }

  /** Releases the reservation of a call that was not made, if it holds one. */
  void release(TaskNode n) {
    if (n.reservationId() != null) {
      settle(n, CallCost.NONE, null);
    }
  }

  /**
   * Releases a call's reservation and records its cost; a cost above the reservation is reported as an overrun.
   * Paused tasks that now fit go back to their lanes.
   *
   * @param model the model that answered, when the reply said
   */
  void settle(TaskNode n, CallCost cost, @Nullable String model) {
    List<Account> keys = n.reservedKeys();
    String reservation = n.reservationId();
    BigDecimal reserved = n.reserved;
    n.clearReservation();
    n.reserved = BigDecimal.ZERO;
    boolean unbounded = n.unbounded;
    n.unbounded = false;
    BigDecimal actual = cost.amount();
    if (actual.compareTo(reserved) > 0 && !unbounded && cost.basis() != CostBasis.UNPRICED) {
      overrun(n, model, reserved, actual);
    }
    if (keys == null) {
      if (actual.signum() <= 0) {
        return;
      }
      keys = keys(n, n.callSlot);
    }
    charge(n, n.callSlot.name, reservation, keys, cost);
  }

  /**
   * Settles a call whose end was lost with the process that made it, at what it reserved (estimated): the run's new
   * lease has released the old reservation, and the call may have been billed up to it.
   *
   * @param provider the provider the attempt called
   * @param startedAt when it was made (its daily account is that day's)
   */
  void settleInterrupted(TaskNode n, Slot provider, Instant startedAt, CallCost cost) {
    if (cost.amount().signum() > 0) {
      charge(n, provider.name, null, keys(n, provider, startedAt), cost);
    }
  }

  private void overrun(TaskNode n, @Nullable String model, BigDecimal reserved, BigDecimal actual) {
    String provider = n.callSlot.name;
    log.warn("Call cost more than it reserved (project={}, run={}, task={}, provider={}, model={}, reserved={}, "
        + "actual={})", n.run.project, n.run.id, n.id(), provider, model, reserved, actual);
    ctx.emit(n.run, new CostOverrunEvent(n.run.project, n.run.id, n.id(), ctx.now(), provider, model,
        Money.usd(reserved), Money.usd(actual)));
  }

  private void charge(TaskNode n, String provider, @Nullable String reservation, List<Account> keys, CallCost cost) {
    BigDecimal actual = cost.amount();
    List<ThresholdCrossing> crossings = ledger.settle(reservation, keys, actual, cost.estimated());
    if (actual.signum() > 0) {
      n.run.cost = n.run.cost.add(actual);
    }
    for (ThresholdCrossing c : crossings) {
      log.info("Budget threshold crossed (scope={}, threshold={}, spent={}, limit={})", c.account().scope(),
          c.threshold(), c.spent(), c.limit());
      ctx.emit(n.run, new BudgetThresholdCrossedEvent(n.run.project, n.run.id, ctx.now(), c.account().scope(),
          c.threshold(), Money.usd(c.spent()), Money.usd(c.limit())));
    }
    pauses.resume();
  }

  /** Forgets a task a budget held back (it was cancelled, or its run went elsewhere). */
  void forget(TaskNode n) {
    pauses.forget(n);
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
