package dev.orchestrator.cli.internal;

import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.CostOverrunEvent;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.event.ProjectPausedEvent;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.ProviderDemotedEvent;
import dev.orchestrator.event.ProjectResumedEvent;
import dev.orchestrator.event.ProviderPausedEvent;
import dev.orchestrator.event.ProviderResumedEvent;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.RunReopenedEvent;
import dev.orchestrator.event.ScheduleFiredEvent;
import dev.orchestrator.event.ScheduleMisfiredEvent;
import dev.orchestrator.event.ShadowComparedEvent;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.event.TaskBlockedEvent;
import dev.orchestrator.event.TaskPriorityBoostedEvent;
import dev.orchestrator.event.TaskPriorityChangedEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskSkippedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import java.util.Set;

/** One sentence per event, for {@code logs} and the progress lines: never a record's raw fields. */
final class EventText {
  private EventText() {}

  static String type(Event e) {
    String n = e.getClass().getSimpleName();
    return n.endsWith("Event") ? n.substring(0, n.length() - 5) : n;
  }

  /** The length of the longest {@link #type} of any event: the width of a column that any event may fill. */
  static int longestType() {
    return longestType(Event.class);
  }

  private static int longestType(Class<?> c) {
    if (c.isRecord()) {
      String n = c.getSimpleName();
      return n.endsWith("Event") ? n.length() - 5 : n.length();
    }
    int max = 0;
    Class<?>[] subtypes = c.getPermittedSubclasses();
    for (Class<?> sub : subtypes == null ? new Class<?>[0] : subtypes) {
      max = Math.max(max, longestType(sub));
    }
    return max;
  }

  static String task(Event e) {
    return e instanceof TaskEvent t ? t.taskId() : "-";
  }

  static String describe(Event e, Set<String> simulated) {
    if (e instanceof RunSubmittedEvent s) {
      return Messages.get("event.submitted", s.workflow(), s.tasks());
    } else if (e instanceof RunFinishedEvent f) {
      return Messages.get("event.finished", f.status(), Tables.money(f.cost()));
    } else if (e instanceof RunRecoveredEvent r) {
      return Messages.get("event.recovered", String.join(", ", r.interrupted()));
    } else if (e instanceof TaskReadyEvent r) {
      return Messages.get("event.ready", r.lane());
    } else if (e instanceof TaskStartedEvent s) {
      return Messages.get("event.started", name(s.provider(), simulated), s.attempt());
    } else if (e instanceof TaskSucceededEvent s) {
      return Messages.get("event.succeeded", name(s.provider(), simulated), s.usage().inputTokens(),
          s.usage().outputTokens(), Tables.cost(s.cost(), s.costBasis()));
    } else if (e instanceof CostOverrunEvent o) {
      return Messages.get("event.overrun", name(o.provider(), simulated), o.model() == null ? "-" : o.model(),
          Tables.money(o.actual()), Tables.money(o.reserved()));
    } else if (e instanceof TaskFailedEvent f) {
      return Messages.get("event.failed", f.provider() == null ? "-" : name(f.provider(), simulated), f.kind(),
          f.message());
    } else if (e instanceof TaskRetryScheduledEvent r) {
      return Messages.get("event.retry", r.kind(), Durations.format(r.delay()), r.nextAttempt());
    } else if (e instanceof TaskCancelledEvent c) {
      return Messages.get("event.cancelled", c.by(), c.reason());
    } else if (e instanceof TaskSkippedEvent s) {
      return Messages.get("event.skipped", s.upstream());
    } else if (e instanceof TaskPausedEvent p) {
      return Messages.get("event.paused", p.reason());
    } else if (e instanceof InputRequestedEvent q) {
      return Messages.get("event.question", q.question(), q.questionId());
    } else if (e instanceof BudgetThresholdCrossedEvent b) {
      return Messages.get("event.threshold", BudgetCommand.describe(b.scope()), Math.round(b.threshold() * 100),
          Tables.money(b.spent()), Tables.money(b.limit()));
    } else if (e instanceof BudgetLimitReachedEvent b) {
      return Messages.get("event.limit", BudgetCommand.describe(b.scope()), Tables.money(b.wanted()),
          Tables.money(b.spent()), Tables.money(b.reserved()), Tables.money(b.limit()));
    } else if (e instanceof CircuitOpenedEvent c) {
      return Messages.get("event.circuitOpened", c.provider(), c.recentFailures(), Durations.format(c.openFor()));
    } else if (e instanceof CircuitHalfOpenedEvent c) {
      return Messages.get("event.circuitHalfOpened", c.provider());
    } else if (e instanceof CircuitClosedEvent c) {
      return Messages.get("event.circuitClosed", c.provider());
    } else if (e instanceof ProviderPausedEvent p) {
      return Messages.get("event.providerPaused", p.provider(), p.reason());
    } else if (e instanceof ProviderResumedEvent p) {
      return Messages.get("event.providerResumed", p.provider());
    } else if (e instanceof ProjectPausedEvent p) {
      return Messages.get("event.projectPaused", p.project(), p.reason());
    } else if (e instanceof ProjectResumedEvent p) {
      return Messages.get("event.projectResumed", p.project());
    } else if (e instanceof GuardTriggeredEvent g) {
      return Messages.get("event.guard", g.guard(), g.phase(), g.action(), g.reason());
    } else if (e instanceof ReviewCompletedEvent r) {
      return Messages.get(r.approved() ? "event.reviewApproved" : "event.reviewRejected", r.reviewer(), r.round(),
          r.score(), Texts.shorten(r.feedback(), 120));
    } else if (e instanceof RunReopenedEvent r) {
      return Messages.get("event.reopened", r.taskId());
    } else if (e instanceof ScheduleFiredEvent f) {
      return Messages.get("event.scheduleFired", f.scheduleId(), f.workflow(), f.fireTime());
    } else if (e instanceof ScheduleMisfiredEvent m) {
      return Messages.get("event.scheduleMisfired", m.scheduleId(), m.fireTime(), m.reason());
    } else if (e instanceof TaskAwaitingReviewEvent a) {
      return Messages.get("event.awaitingReview", a.reviewer());
    } else if (e instanceof TaskBlockedEvent) {
      return Messages.get("event.blocked");
    } else if (e instanceof TaskPriorityChangedEvent p) {
      return Messages.get("event.priorityChanged", p.from(), p.to());
    } else if (e instanceof TaskPriorityBoostedEvent p) {
      return Messages.get("event.priorityBoosted", p.from(), p.to());
    } else if (e instanceof ProviderChosenEvent c) {
      return Messages.get("event.providerChosen", c.provider(), c.strategy(), Texts.shorten(c.reason(), 160));
    } else if (e instanceof ProviderDemotedEvent d) {
      return Messages.get("event.providerDemoted", d.provider(), d.taskType(), d.evidence());
    } else if (e instanceof ShadowComparedEvent c) {
      return Messages.get("event.shadowCompared", c.winner(), c.incumbent(), c.challenger(), c.taskType(), c.judge(),
          Tables.money(c.cost()), Texts.shorten(c.reason(), 120));
    } else if (e instanceof TaskCommittedEvent c) {
      return Messages.get("event.committed", c.action(), c.commit().substring(0, Math.min(12, c.commit().length())),
          c.branch(), c.files().size(), Texts.shorten(String.join(", ", c.files()), 160));
    }
    // An event this release does not know yet: its kind, never the record's raw fields.
    return Messages.get("event.other", type(e));
  }

  private static String name(String provider, Set<String> simulated) {
    return simulated.contains(provider) ? Messages.get("table.simulatedProvider", provider) : provider;
  }
}
