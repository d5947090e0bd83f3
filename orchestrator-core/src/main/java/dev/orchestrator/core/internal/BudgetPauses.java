package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.LimitBreach;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks a budget holds back: paused when their call's worst case would break a limit, resumed when a settlement,
 * a raised limit or the next day (for daily limits) makes room. Confined to the drain loop.
 */
final class BudgetPauses {
  private static final Logger log = LoggerFactory.getLogger(BudgetPauses.class);

  private final EngineContext ctx;
  private final Ledger ledger;
  private final ZoneId zone;
  private final Lifecycle lifecycle;
  /** Tasks a budget holds back, oldest first. */
  private final List<TaskNode> paused = new ArrayList<>();
  /** The accounts whose limit currently stops work (each announced once); the cost report reads it too. */
  private final Set<Account> limitReached;
  private Scheduler.@Nullable Cancellable midnightTimer;

  BudgetPauses(EngineContext ctx, Ledger ledger, ZoneId zone, Lifecycle lifecycle, Set<Account> limitReached) {
    this.ctx = ctx;
    this.ledger = ledger;
    this.zone = zone;
    this.lifecycle = lifecycle;
    this.limitReached = limitReached;
  }

  /** Holds {@code n} back: the limit it would break is named on the task, and announced once per account. */
  void pause(TaskNode n, LimitBreach b) {
    Instant now = ctx.now();
    n.extras().pausedEstimate = b.wanted();
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
      resume();
    });
  }

  /** Puts the tasks held back that now fit back in their lanes; called when money is freed or a limit changes. */
  void resume() {
    if (paused.isEmpty()) {
      return;
    }
    boolean daily = false;
    for (TaskNode n : new ArrayList<>(paused)) {
      if (n.state() != TaskState.PAUSED && !(n.reviewing && n.state() == TaskState.AWAITING_REVIEW)) {
        paused.remove(n);
        continue;
      }
      List<Account> keys = Budgets.accounts(n, n.reviewing ? n.reviewSlot : n.slot,
          LocalDate.ofInstant(ctx.now(), zone));
      if (ledger.check(keys, n.pausedEstimate(), Budgets.maxCost(n)) == null) {
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
}
