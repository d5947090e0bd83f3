package dev.orchestrator.cli.internal;

import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.CostOverrunEvent;
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

/** One line per event, for {@code logs}. */
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
      return b.toString();
    } else if (e instanceof BudgetLimitReachedEvent b) {
      return b.toString();
    }
    return "";
  }

  private static String name(String provider, Set<String> simulated) {
    return simulated.contains(provider) ? Messages.get("table.simulatedProvider", provider) : provider;
  }
}
