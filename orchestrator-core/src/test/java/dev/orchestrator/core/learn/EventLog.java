package dev.orchestrator.core.learn;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.guard.Verdict;
import dev.orchestrator.spi.store.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes the events the engine writes for task attempts, numbered as a store numbers them. */
final class EventLog {
  final List<StoredEvent> events;
  private final String project;
  private final String runId;

  EventLog(String project, String runId) {
    this(new ArrayList<>(), project, runId);
  }

  private EventLog(List<StoredEvent> events, String project, String runId) {
    this.events = events;
    this.project = project;
    this.runId = runId;
  }

  /** A writer for another run, appending to the same numbered log. */
  EventLog forRun(String otherProject, String otherRun) {
    return new EventLog(events, otherProject, otherRun);
  }

  private void add(Event e) {
    events.add(new StoredEvent(events.size() + 1, e));
  }

  /** The events after {@code sequence}, as a store hands them out. */
  List<StoredEvent> after(long sequence) {
    return events.subList((int) Math.min(sequence, events.size()), events.size());
  }

  void started(String task, String provider, int attempt, Instant at) {
    add(new TaskStartedEvent(project, runId, task, at, TaskState.READY, provider, attempt));
  }

  void succeeded(String task, String provider, Money cost, long tokens, Instant at) {
    add(new TaskSucceededEvent(project, runId, task, at, TaskState.RUNNING, provider, TokenUsage.of(tokens, 0), cost));
  }

  void retry(String task, ErrorKind kind, int nextAttempt, Instant at) {
    add(new TaskRetryScheduledEvent(project, runId, task, at, TaskState.RUNNING, Duration.ofMinutes(1), nextAttempt,
        kind));
  }

  void failed(String task, String provider, ErrorKind kind, Instant at) {
    add(new TaskFailedEvent(project, runId, task, at, TaskState.RUNNING, provider, kind, kind + " from " + provider));
  }

  void awaitingReview(String task, Instant at) {
    add(new TaskAwaitingReviewEvent(project, runId, task, at, TaskState.RUNNING, "reviewer"));
  }

  void reviewed(String task, int score, Instant at) {
    add(new ReviewCompletedEvent(project, runId, task, at, "reviewer", 1, score >= 7, score, "ok"));
  }

  void guard(String task, GuardTriggeredEvent.Phase phase, Instant at) {
    add(new GuardTriggeredEvent(project, runId, task, at, "pii", phase, Verdict.Action.BLOCK, "an e-mail address"));
  }
}
