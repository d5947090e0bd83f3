package dev.orchestrator.micrometer.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Pairs each {@link TaskStartedEvent} (an attempt's start) with the event that ends the attempt: a transition out of
 * {@code RUNNING}. Thread-safe.
 *
 * <p>An attempt whose start was not seen (it started before the listener was attached) still ends, with its
 * provider taken from the ending event where it names one and no latency. Starts whose end never comes (the process
 * that ran them died) are dropped when their run finishes, and at most {@link #MAX_OPEN} are kept.
 */
public final class Attempts {
  /** How many started attempts are remembered at most; the oldest are forgotten first. */
  static final int MAX_OPEN = 10_000;

  /** How an attempt ended. */
  public enum Outcome {
    SUCCESS, FAILURE, CANCELLED, INTERRUPTED;

    /** The tag value. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** An ended attempt; {@code latency} is null when its start was not seen. */
  public record Ended(String project, String provider, Outcome outcome, @Nullable ErrorKind kind,
      @Nullable Duration latency) {}

  private record Key(String project, String runId, String taskId) {}

  private record Start(String provider, Instant at) {}

  /** Guarded by itself. */
  private final Map<Key, Start> open = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Start> eldest) {
      return size() > MAX_OPEN;
    }
  };

  /** Notes a start, or returns the attempt that {@code event} ends; null when it ends none. */
  public @Nullable Ended onEvent(Event event) {
    if (event instanceof TaskStartedEvent s) {
      synchronized (open) {
        open.put(new Key(s.project(), s.runId(), s.taskId()), new Start(s.provider(), s.at()));
      }
      return null;
    }
    if (event instanceof RunFinishedEvent f) {
      synchronized (open) {
        open.keySet().removeIf(k -> k.project().equals(f.project()) && k.runId().equals(f.runId()));
      }
      return null;
    }
    if (!(event instanceof TaskTransitionEvent t) || t.from() != TaskState.RUNNING) {
      return null;
    }
    Start start;
    synchronized (open) {
      start = open.remove(new Key(t.project(), t.runId(), t.taskId()));
    }
    Outcome outcome;
    ErrorKind kind = null;
    String provider = null;
    if (t instanceof TaskSucceededEvent s) {
      outcome = Outcome.SUCCESS;
      provider = s.provider();
    } else if (t instanceof TaskFailedEvent f) {
      outcome = Outcome.FAILURE;
      kind = f.kind();
      provider = f.provider();
    } else if (t instanceof TaskRetryScheduledEvent r) {
      outcome = Outcome.FAILURE;
      kind = r.kind();
    } else if (t instanceof TaskCancelledEvent) {
      outcome = Outcome.CANCELLED;
    } else if (t.to() == TaskState.AWAITING_INPUT || t.to() == TaskState.AWAITING_REVIEW) {
      outcome = Outcome.SUCCESS; // the call answered: with a question, or with work to review
    } else {
      outcome = Outcome.INTERRUPTED; // back to its lane or paused while the call was out
    }
    if (start != null) {
      provider = start.provider(); // the provider of the attempt, even after a failover moved the task on
    }
    if (provider == null) {
      provider = "unknown";
    }
    Duration latency = start == null ? null : nonNegative(Duration.between(start.at(), t.at()));
    return new Ended(t.project(), provider, outcome, kind, latency);
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
