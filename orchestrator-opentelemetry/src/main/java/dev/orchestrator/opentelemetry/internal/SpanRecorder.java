package dev.orchestrator.opentelemetry.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds spans from the engine's events, each started and ended at its event's instant: a run span from
 * {@link RunSubmittedEvent} to {@link RunFinishedEvent}; a task span, its child, from the task's first
 * {@link TaskReadyEvent} (or its first start) to its terminal event; and an attempt span, the task's child, from each
 * {@link TaskStartedEvent} to the transition out of {@code RUNNING} that ends the call.
 *
 * <p>A task whose run span is not known (the run was submitted before tracing started, or by a process whose events
 * this recorder does not see) gets a root span carrying {@code orchestrator.run.id}; an attempt whose task span is
 * not known is parented the same way. Spans whose end never comes are dropped with their run's end, and at most
 * {@link #MAX_OPEN} of each kind are kept open.
 *
 * <p>Thread-safe: events are handled one at a time.
 */
public final class SpanRecorder implements EventSubscriber {
  static final int MAX_OPEN = 10_000;

  private record RunKey(String project, String runId) {}

  private record TaskKey(String project, String runId, String taskId) {}

  private final Tracer tracer;
  private final Providers providers;
  private final @Nullable ContentReader content;
  /** All three guarded by this. */
  private final Map<RunKey, Span> runs = bounded();
  private final Map<TaskKey, Span> tasks = bounded();
  private final Map<TaskKey, Span> attempts = bounded();

  /**
   * @param content where prompts and outputs are read, or null to record none
   */
  public SpanRecorder(Tracer tracer, Providers providers, @Nullable ContentReader content) {
    this.tracer = tracer;
    this.providers = providers;
    this.content = content;
  }

  /** The span of a task's attempt under way, or null. */
  public synchronized @Nullable Span openAttempt(String project, String runId, String taskId) {
    return attempts.get(key(project, runId, taskId));
  }

  private static <K> Map<K, Span> bounded() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Span> eldest) {
        return size() > MAX_OPEN;
      }
    };
  }

  @Override
  public synchronized void onEvent(Event event) {
    if (event instanceof RunSubmittedEvent s) {
      runStarted(s);
    } else if (event instanceof RunFinishedEvent f) {
      runFinished(f);
    } else if (event instanceof ProviderChosenEvent c) {
      Span task = tasks.get(key(c.project(), c.runId(), c.taskId()));
      if (task != null) {
        task.addEvent("provider chosen", Attributes.of(Keys.PROVIDER, c.provider(), Keys.STRATEGY, c.strategy(),
            Keys.REASON, c.reason()), c.at());
      }
    } else if (event instanceof TaskTransitionEvent t) {
      transition(t);
    }
  }

  private void runStarted(RunSubmittedEvent s) {
    Span span = tracer.spanBuilder("run " + s.workflow()).setNoParent().setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(s.at()).setAttribute(Keys.PROJECT, s.project()).setAttribute(Keys.RUN_ID, s.runId())
        .setAttribute(Keys.WORKFLOW, s.workflow()).startSpan();
    runs.put(new RunKey(s.project(), s.runId()), span);
  }

  private void runFinished(RunFinishedEvent f) {
    // Whatever of this run is still open ends with it: its end will not come.
    attempts.entrySet().removeIf(e -> endIfOf(e.getKey(), e.getValue(), f));
    tasks.entrySet().removeIf(e -> endIfOf(e.getKey(), e.getValue(), f));
    Span run = runs.remove(new RunKey(f.project(), f.runId()));
    if (run == null) {
      return;
    }
    run.setAttribute(Keys.RUN_STATUS, lower(f.status()));
    run.setAttribute(Keys.COST_USD, f.cost().amount().doubleValue());
    if (f.status() == RunStatus.FAILED) {
      run.setStatus(StatusCode.ERROR, "run failed");
    }
    run.end(f.at());
  }

  private static boolean endIfOf(TaskKey k, Span span, RunFinishedEvent f) {
    if (!k.project().equals(f.project()) || !k.runId().equals(f.runId())) {
      return false;
    }
    span.end(f.at());
    return true;
  }

  private void transition(TaskTransitionEvent t) {
    TaskKey key = key(t.project(), t.runId(), t.taskId());
    if (t.from() == TaskState.RUNNING) {
      attemptEnded(key, t);
    }
    if (t instanceof TaskReadyEvent || t instanceof TaskStartedEvent) {
      taskSpan(key, t.at());
    }
    if (t instanceof TaskStartedEvent s) {
      attemptStarted(key, s);
    } else if (t instanceof TaskRetryScheduledEvent r) {
      Span task = tasks.get(key);
      if (task != null) {
        task.addEvent("retry scheduled", Attributes.of(Keys.ATTEMPT, (long) r.nextAttempt(), Keys.DELAY_MS,
            r.delay().toMillis(), Keys.ERROR_TYPE, lower(r.kind())), r.at());
      }
    }
    if (t.to().isTerminal()) {
      taskEnded(key, t);
    }
  }

  private Span taskSpan(TaskKey key, Instant at) {
    Span span = tasks.get(key);
    if (span == null) {
      span = tracer.spanBuilder("task " + key.taskId()).setSpanKind(SpanKind.INTERNAL).setStartTimestamp(at)
          .setAttribute(Keys.PROJECT, key.project()).setAttribute(Keys.RUN_ID, key.runId())
          .setAttribute(Keys.TASK_ID, key.taskId()).setParent(parent(runs.get(new RunKey(key.project(),
              key.runId())))).startSpan();
      tasks.put(key, span);
    }
    return span;
  }

  private void attemptStarted(TaskKey key, TaskStartedEvent s) {
    Span stale = attempts.remove(key);
    if (stale != null) {
      stale.end(s.at()); // its end was not seen
    }
    String model = providers.model(s.provider());
    String system = providers.system(s.provider());
    SpanBuilder b = tracer.spanBuilder(Keys.CHAT + " " + (model != null ? model : s.provider()))
        .setSpanKind(SpanKind.CLIENT).setStartTimestamp(s.at()).setParent(parent(tasks.get(key)))
        .setAttribute(Keys.GEN_AI_OPERATION_NAME, Keys.CHAT).setAttribute(Keys.GEN_AI_PROVIDER_NAME, system)
        .setAttribute(Keys.GEN_AI_SYSTEM, system).setAttribute(Keys.PROVIDER, s.provider())
        .setAttribute(Keys.ATTEMPT, (long) s.attempt()).setAttribute(Keys.PROJECT, s.project())
        .setAttribute(Keys.RUN_ID, s.runId()).setAttribute(Keys.TASK_ID, s.taskId());
    if (model != null) {
      b.setAttribute(Keys.GEN_AI_REQUEST_MODEL, model);
    }
    Span span = b.startSpan();
    if (content != null) {
      String prompt = content.prompt(s.project(), s.runId(), s.taskId());
      if (prompt != null) {
        span.setAttribute(Keys.GEN_AI_INPUT_MESSAGES, Content.input(prompt));
      }
    }
    attempts.put(key, span);
  }

  private void attemptEnded(TaskKey key, TaskTransitionEvent t) {
    Span span = attempts.remove(key);
    if (span == null) {
      return; // started before tracing did: its start time is unknown, so no span is made up
    }
    if (t instanceof TaskSucceededEvent s) {
      span.setAttribute(Keys.GEN_AI_USAGE_INPUT_TOKENS, s.usage().inputTokens());
      span.setAttribute(Keys.GEN_AI_USAGE_OUTPUT_TOKENS, s.usage().outputTokens());
      span.setAttribute(Keys.COST_USD, s.cost().amount().doubleValue());
      span.setAttribute(Keys.COST_BASIS, lower(s.costBasis()));
      span.setAttribute(Keys.OUTCOME, "success");
      if (content != null) {
        String output = content.output(s.project(), s.runId(), s.taskId());
        if (output != null) {
          span.setAttribute(Keys.GEN_AI_OUTPUT_MESSAGES, Content.output(output));
        }
      }
    } else if (t instanceof TaskFailedEvent f) {
      failed(span, f.kind(), content != null ? f.message() : null);
    } else if (t instanceof TaskRetryScheduledEvent r) {
      failed(span, r.kind(), null);
    } else if (t instanceof TaskCancelledEvent) {
      span.setAttribute(Keys.OUTCOME, "cancelled");
      span.setAttribute(Keys.ERROR_TYPE, "cancelled");
    } else if (t.to() == TaskState.AWAITING_INPUT || t.to() == TaskState.AWAITING_REVIEW) {
      span.setAttribute(Keys.OUTCOME, "success");
    } else {
      span.setAttribute(Keys.OUTCOME, "interrupted");
    }
    span.setAttribute(Keys.TASK_STATE, lower(t.to()));
    span.end(t.at());
  }

  private static void failed(Span span, ErrorKind kind, @Nullable String message) {
    span.setAttribute(Keys.OUTCOME, "failure");
    span.setAttribute(Keys.ERROR_TYPE, lower(kind));
    span.setStatus(StatusCode.ERROR, message != null ? message : lower(kind));
  }

  private void taskEnded(TaskKey key, TaskTransitionEvent t) {
    Span span = tasks.remove(key);
    if (span == null) {
      return; // never became ready while traced (skipped before it could run, or started before tracing)
    }
    span.setAttribute(Keys.TASK_STATE, lower(t.to()));
    if (t instanceof TaskSucceededEvent s) {
      span.setAttribute(Keys.PROVIDER, s.provider());
    } else if (t instanceof TaskFailedEvent f) {
      span.setAttribute(Keys.ERROR_TYPE, lower(f.kind()));
      span.setStatus(StatusCode.ERROR, lower(f.kind()));
    }
    span.end(t.at());
  }

  private static Context parent(@Nullable Span span) {
    return span == null ? Context.root() : Context.root().with(span);
  }

  private static TaskKey key(String project, String runId, String taskId) {
    return new TaskKey(project, runId, taskId);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
