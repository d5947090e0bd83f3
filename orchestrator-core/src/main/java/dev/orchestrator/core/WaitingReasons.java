package dev.orchestrator.core;

import dev.orchestrator.core.internal.WorkflowCodec;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.ProviderHealth;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Why each task of a run that neither runs nor has finished is waiting, in words, read from the store as every
 * process sees it: the tasks it depends on, a provider's open circuit or pause, the project's pause, a budget, a
 * retry's backoff, a question or a review. What the command line's {@code status} and the dashboard show beside a
 * task that is not moving. Reads only what the run's waiting tasks need. Thread-safe (stateless).
 *
 * <pre>{@code
 * Map<String, String> why = WaitingReasons.of(store, snapshot, clock.instant());
 * why.get("edit");   // "waits for draft (RUNNING)"
 * }</pre>
 */
public final class WaitingReasons {
  private static final Set<TaskState> WAITING = EnumSet.of(TaskState.BLOCKED, TaskState.READY, TaskState.PAUSED,
      TaskState.RETRY_WAIT, TaskState.AWAITING_INPUT, TaskState.AWAITING_REVIEW);

  private WaitingReasons() {}

  /** The reason of each waiting task of {@code run}, by task id, in the run's order; empty when none waits. */
  public static Map<String, String> of(StoreView store, RunSnapshot run, Instant now) {
    return of(store, run, now, null);
  }

  /**
   * As {@link #of(StoreView, RunSnapshot, Instant)}, naming {@code defaultProvider} for the tasks that name no provider.
   *
   * @param defaultProvider the provider instance tasks without one go to (the engine's default), or null
   */
  public static Map<String, String> of(StoreView store, RunSnapshot run, Instant now, @Nullable String defaultProvider) {
    List<TaskRecord> waiting = run.tasks().stream().filter(t -> WAITING.contains(t.state())).toList();
    Map<String, String> out = new LinkedHashMap<>();
    if (waiting.isEmpty()) {
      return out;
    }
    String project = run.run().project();
    String runId = run.run().id();
    Map<String, TaskRecord> byId = new HashMap<>();
    run.tasks().forEach(t -> byId.put(t.taskId(), t));
    Workflow workflow = needs(waiting, TaskState.BLOCKED, TaskState.READY)
        ? store.definition(project, runId).map(WaitingReasons::readOrNull).orElse(null) : null;
    Map<String, Event> lastPause = new HashMap<>();
    Map<String, TaskRetryScheduledEvent> lastRetry = new HashMap<>();
    if (needs(waiting, TaskState.PAUSED, TaskState.RETRY_WAIT)) {
      for (Event e : store.events(project, runId)) {
        if (e instanceof TaskPausedEvent p) {
          lastPause.put(p.taskId(), p);
        } else if (e instanceof TaskRetryScheduledEvent r) {
          lastRetry.put(r.taskId(), r);
        }
      }
    }
    Providers providers = new Providers(store, project, now);
    for (TaskRecord t : waiting) {
      TaskSpec spec = workflow == null ? null : workflow.task(t.taskId());
      String why = switch (t.state()) {
        case BLOCKED -> blocked(spec, byId);
        case READY -> providers.ready(provider(t, spec, defaultProvider));
        case PAUSED -> lastPause.get(t.taskId()) instanceof TaskPausedEvent p ? "paused: " + p.reason() : "paused";
        case RETRY_WAIT -> retry(t, lastRetry.get(t.taskId()));
        case AWAITING_INPUT -> question(t.question());
        case AWAITING_REVIEW -> "its output waits for its review";
        default -> null;
      };
      if (why != null) {
        out.put(t.taskId(), why);
      }
    }
    return out;
  }

  private static boolean needs(List<TaskRecord> waiting, TaskState a, TaskState b) {
    return waiting.stream().anyMatch(t -> t.state() == a || t.state() == b);
  }

  private static @Nullable Workflow readOrNull(String definition) {
    try {
      return WorkflowCodec.read(definition);
    } catch (RuntimeException e) {
      return null; // a definition this version cannot read: say less rather than fail
    }
  }

  private static String blocked(@Nullable TaskSpec spec, Map<String, TaskRecord> byId) {
    if (spec == null) {
      return "waits for the tasks it depends on";
    }
    List<String> open = new ArrayList<>();
    for (String d : spec.dependsOn()) {
      TaskRecord dep = byId.get(d);
      if (dep != null && dep.state() != TaskState.SUCCEEDED) {
        open.add(d + " (" + dep.state() + ")");
      }
    }
    return open.isEmpty() ? "nothing left to wait for: it is queued as soon as an engine executes the run"
        : "waits for " + String.join(", ", open);
  }

  private static @Nullable String provider(TaskRecord t, @Nullable TaskSpec spec, @Nullable String byDefault) {
    if (t.provider() != null) {
      return t.provider();
    }
    return spec != null && !spec.providers().isEmpty() ? spec.providers().get(0) : byDefault;
  }

  private static String retry(TaskRecord t, @Nullable TaskRetryScheduledEvent r) {
    String error = t.error() == null ? "" : ": " + t.error();
    if (r == null) {
      return "waits to be tried again after a failure" + error;
    }
    return "attempt " + r.nextAttempt() + " at " + r.at().plus(r.delay()) + " after " + r.kind() + error;
  }

  private static String question(@Nullable Question q) {
    if (q == null || !q.isOpen()) {
      return "waits for an answer";
    }
    return "waits for an answer to \"" + q.text() + "\" (orchestrator answer " + q.id() + " \"...\")";
  }

  /** What the store says of the providers and the project, read once per provider. */
  private static final class Providers {
    private final StoreView store;
    private final String project;
    private final Instant now;
    private final Map<String, String> said = new HashMap<>();
    private @Nullable List<Pause> pauses;

    Providers(StoreView store, String project, Instant now) {
      this.store = store;
      this.project = project;
      this.now = now;
    }

    String ready(@Nullable String provider) {
      Pause projectPause = pause(Pause.Kind.PROJECT, project);
      if (projectPause != null) {
        return "project " + project + " is paused: " + projectPause.reason();
      }
      if (provider == null) {
        return "queued for the default provider";
      }
      return said.computeIfAbsent(provider, this::readyOn);
    }

    private String readyOn(String provider) {
      Pause p = pause(Pause.Kind.PROVIDER, provider);
      if (p != null) {
        return "provider " + provider + " is paused: " + p.reason();
      }
      ProviderHealth.Circuit c = store.circuit(provider, now).orElse(null);
      if (c == null) {
        return "queued for " + provider;
      }
      if (c.state() == CircuitState.State.OPEN) {
        return "provider " + provider + "'s circuit is open until " + c.openUntil() + " (it failed repeatedly): "
            + "it is tested again then, or as soon as it answers its health probe";
      }
      if (c.state() == CircuitState.State.HALF_OPEN) {
        return "provider " + provider + " is being tested after failures: one call at a time until it answers";
      }
      return "queued for " + provider + " (waits for a free call slot, a rate limit or its turn by priority)";
    }

    private @Nullable Pause pause(Pause.Kind kind, String name) {
      if (pauses == null) {
        try {
          pauses = store.pauses();
        } catch (UnsupportedOperationException e) {
          pauses = List.of();
        }
      }
      for (Pause p : pauses) {
        if (p.kind() == kind && p.name().equalsIgnoreCase(name)) {
          return p;
        }
      }
      return null;
    }
  }
}
