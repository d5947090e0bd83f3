package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.ScheduleMisfiredEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.notifiers.NotifiedEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps engine events to rule events. A new event type (such as a schedule misfire) plugs in by adding one branch
 * to {@link #map} and one to {@link #interesting}.
 *
 * <p>Remembers each task's priority from the first time it was queued ({@link TaskReadyEvent#lane()}), because
 * rules match the task's priority and later events do not carry it; a run's entries are dropped when it finishes.
 * A task it did not see queued gets its priority from the {@link PriorityLookup} (the task's lane in the store), or
 * medium.
 * Not thread-safe: confined to the dispatcher's serial executor.
 */
public final class EventMapper {
  /** Where a task's priority is looked up when this mapper did not see it queued. */
  @FunctionalInterface
  public interface PriorityLookup {
    /** The task's priority, if known. */
    Optional<Priority> priority(String project, String runId, String taskId);
  }

  /** Run id to task id to priority. */
  private final Map<String, Map<String, Priority>> priorities = new HashMap<>();
  private final PriorityLookup fallback;

  /** A mapper that knows only the priorities it saw queued (medium otherwise). */
  public EventMapper() {
    this((p, r, t) -> Optional.empty());
  }

  /**
   * A mapper that asks {@code fallback} for the priority of a task it did not see queued: another process relayed
   * the event that queued it.
   */
  public EventMapper(PriorityLookup fallback) {
    this.fallback = fallback;
  }

  /** Whether the listener needs to see this event at all; cheap, called on the engine's thread. */
  public static boolean interesting(Event e) {
    return e instanceof TaskReadyEvent || e instanceof TaskFailedEvent || e instanceof TaskSucceededEvent
        || e instanceof RunFinishedEvent || e instanceof InputRequestedEvent || e instanceof BudgetLimitReachedEvent
        || e instanceof BudgetThresholdCrossedEvent || e instanceof CircuitOpenedEvent
        || e instanceof ScheduleMisfiredEvent || e instanceof dev.orchestrator.event.ProviderDemotedEvent;
  }

  /** The rule event for an engine event, if it has one. */
  public Optional<Occurrence> map(Event e) {
    if (e instanceof TaskReadyEvent r) {
      priorities.computeIfAbsent(r.runId(), k -> new HashMap<>()).putIfAbsent(r.taskId(), r.lane());
      return Optional.empty();
    }
    if (e instanceof TaskFailedEvent f) {
      String kind = f.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      return Optional.of(task(NotifiedEvent.TASK_FAILED, e, f.taskId(), f.provider(), List.of(kind, f.message())));
    }
    if (e instanceof TaskSucceededEvent s) {
      return Optional.of(task(NotifiedEvent.TASK_COMPLETED, e, s.taskId(), s.provider(),
          List.of(s.cost().toString(), "")));
    }
    if (e instanceof InputRequestedEvent q) {
      Occurrence o = task(NotifiedEvent.INPUT_REQUESTED, e, q.taskId(), null, List.of(q.question(), q.questionId()));
      Map<String, String> ids = new LinkedHashMap<>(o.ids());
      ids.put("question", q.questionId());
      return Optional.of(new Occurrence(o.event(), o.project(), o.runId(), o.taskId(), o.priority(), o.at(),
          o.provider(), o.details(), ids, "/projects/" + enc(e.project()) + "/questions/" + enc(q.questionId())));
    }
    if (e instanceof BudgetLimitReachedEvent b) {
      String what = "budget " + b.scope() + " reached: " + b.spent() + " spent and " + b.reserved() + " reserved of "
          + b.limit();
      return Optional.of(budget(NotifiedEvent.BUDGET_EXCEEDED, e, what));
    }
    if (e instanceof BudgetThresholdCrossedEvent b) {
      String what = "budget " + b.scope() + " at " + Math.round(b.threshold() * 100) + "%: " + b.spent() + " of "
          + b.limit();
      return Optional.of(budget(NotifiedEvent.BUDGET_THRESHOLD, e, what));
    }
    if (e instanceof ScheduleMisfiredEvent m) {
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("schedule", m.scheduleId());
      String what = "schedule " + m.scheduleId() + " (" + m.workflow() + ") missed its fire at " + m.fireTime() + ": "
          + m.reason();
      return Optional.of(new Occurrence(NotifiedEvent.SCHEDULE_MISFIRED, m.project(), "", null,
          NotifiedEvent.SCHEDULE_MISFIRED.defaultPriority(), m.at(), null, List.of(what, ""), ids,
          "/projects/" + enc(m.project()) + "/schedules"));
    }
    if (e instanceof dev.orchestrator.event.ProviderDemotedEvent d) {
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("provider", d.provider());
      ids.put("task_type", d.taskType());
      return Optional.of(new Occurrence(NotifiedEvent.PROVIDER_DEMOTED, d.project(), "", null,
          NotifiedEvent.PROVIDER_DEMOTED.defaultPriority(), d.at(), d.provider(), List.of(d.evidence(), ""),
          ids, "/providers"));
    }
    if (e instanceof CircuitOpenedEvent c) {
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("provider", c.provider());
      String what = c.recentFailures() + " failures; no call for " + c.openFor();
      return Optional.of(new Occurrence(NotifiedEvent.CIRCUIT_OPENED, c.project(), c.runId(), null,
          NotifiedEvent.CIRCUIT_OPENED.defaultPriority(), c.at(), c.provider(), List.of(what, ""), ids, "/providers"));
    }
    if (e instanceof RunFinishedEvent r) {
      priorities.remove(r.runId());
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("run", r.runId());
      ids.put("status", r.status().name().toLowerCase(Locale.ROOT));
      return Optional.of(new Occurrence(NotifiedEvent.RUN_COMPLETED, r.project(), r.runId(), null,
          NotifiedEvent.RUN_COMPLETED.defaultPriority(), r.at(), null, List.of(r.status(), r.cost().toString()), ids,
          runPath(r.project(), r.runId())));
    }
    return Optional.empty();
  }

  private Occurrence task(NotifiedEvent kind, Event e, String taskId, @org.jspecify.annotations.Nullable String provider,
      List<Object> details) {
    Map<String, Priority> run = priorities.get(e.runId());
    Priority p = run == null ? null : run.get(taskId);
    if (p == null) {
      p = fallback.priority(e.project(), e.runId(), taskId).orElse(null);
    }
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("run", e.runId());
    ids.put("task", taskId);
    if (provider != null) {
      ids.put("provider", provider);
    }
    return new Occurrence(kind, e.project(), e.runId(), taskId, p != null ? p : Priority.MEDIUM, e.at(), provider,
        details, ids, runPath(e.project(), e.runId()));
  }

  private static Occurrence budget(NotifiedEvent kind, Event e, String what) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("run", e.runId());
    return new Occurrence(kind, e.project(), e.runId(), null, kind.defaultPriority(), e.at(), null,
        List.of(what, ""), ids, "/projects/" + enc(e.project()) + "/budget");
  }

  private static String runPath(String project, String runId) {
    return "/projects/" + enc(project) + "/runs/" + enc(runId);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** How many runs' task priorities are remembered; for tests. */
  int trackedRuns() {
    return priorities.size();
  }
}
