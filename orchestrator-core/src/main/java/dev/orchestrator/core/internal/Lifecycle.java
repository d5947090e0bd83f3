package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskBlockedEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskPriorityBoostedEvent;
import dev.orchestrator.event.TaskPriorityChangedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskSkippedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How tasks move through their states in this engine and what each move sets off: queueing a ready task (or holding
 * it back while its project or provider is paused), success releasing dependants, failure skipping them, and a run
 * finishing when its last task does. Confined to the drain loop.
 */
final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final EngineContext ctx;
  private final ProjectPauses projectPauses;
  private final Questions questions;
  /** Chooses the provider of a task on its first dispatch, or null to keep the workflow's order. */
  @Nullable Learning learning;
  /** Shadow evaluation of tasks that succeed, or null when off. */
  @Nullable Shadows shadows;
  /** Approvals asked before tasks run and of their outputs, or null before the engine sets them. */
  @Nullable Approvals approvals;

  Lifecycle(EngineContext ctx, ProjectPauses projectPauses, Questions questions) {
    this.ctx = ctx;
    this.projectPauses = projectPauses;
    this.questions = questions;
  }

  /** A run submitted here starts: its tasks without dependencies become ready. */
  void start(RunState run) {
    ctx.emit(run, new RunSubmittedEvent(run.project, run.id, ctx.now(), run.workflow.name(), run.nodes.length));
    log.info("Run submitted (project={}, run={}, workflow={}, tasks={})", run.project, run.id,
        run.workflow.name(), run.nodes.length);
    for (TaskNode n : run.nodes) {
      if (n.pending == 0 && n.state() == TaskState.BLOCKED) {
        becomeReady(n);
      }
    }
  }

  /** A task whose dependencies all succeeded: ask its question first, if it has one, else queue it. */
  void becomeReady(TaskNode n) {
    if (approvals != null && approvals.askBefore(n)) {
      return;
    }
    if (n.spec.question() != null && n.dialogue() == null) {
      questions.ask(n, n.spec.question());
      return;
    }
    enqueue(n);
  }

  /** Queues a task in its lane, on an available candidate; a paused project or provider holds it back instead. */
  void enqueue(TaskNode n) {
    TaskState from = n.state();
    Instant now = ctx.now();
    n.lane = n.priority.ordinal();
    if (learning != null) {
      learning.assign(n, now);
    }
    if (!n.slot.available()) {
      Slot alternative = Providers.firstAvailable(n, null);
      if (alternative != null) {
        n.slot = alternative;
        n.resetFailuresOnSlot();
      }
    }
    TaskRecord r = n.record.moveTo(TaskState.READY, now);
    if (r.lane() != n.priority) {
      r = r.withLane(n.priority);
    }
    ctx.update(n, r);
    ctx.emit(n.run, new TaskReadyEvent(n.run.project, n.run.id, n.id(), now, from, n.priority));
    String projectPause = projectPauses.reason(n.run.project);
    if (projectPause != null) {
      pause(n, "project " + n.run.project + " is paused: " + projectPause, projectPauses.waiting(n.run.project));
    } else if (n.slot.paused) {
      pause(n, "provider " + n.slot.name + " is paused: " + n.slot.pauseReason, n.slot.pausedNodes);
    } else {
      n.slot.enqueue(n, now.toEpochMilli());
    }
  }

  /** Holds a ready task back in {@code waiting} until whatever paused it is lifted. */
  void pause(TaskNode n, String why, List<TaskNode> waiting) {
    Instant now = ctx.now();
    ctx.update(n, n.record.moveTo(TaskState.PAUSED, now));
    waiting.add(n);
    ctx.emit(n.run, new TaskPausedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, why));
  }

  void changePriority(RunState run, TaskNode n, Priority priority) {
    Priority from = n.priority;
    if (from == priority) {
      return;
    }
    n.priority = priority;
    Instant now = ctx.now();
    if (n.state() == TaskState.READY) {
      n.slot.remove(n);
      n.lane = priority.ordinal();
      n.slot.enqueue(n, now.toEpochMilli());
    }
    ctx.update(n, n.record.withLane(priority));
    ctx.emit(run, new TaskPriorityChangedEvent(run.project, run.id, n.id(), now, from, priority));
  }

  /** Aging moved a task up a lane. */
  void boosted(TaskNode n, int fromLane, int toLane) {
    Priority from = Priority.values()[fromLane];
    Priority to = Priority.values()[toLane];
    ctx.update(n, n.record.withLane(to));
    ctx.emit(n.run, new TaskPriorityBoostedEvent(n.run.project, n.run.id, n.id(), ctx.now(), from, to));
  }

  /** A call failed: once that is committed, a demotion it brings is announced (see {@link Learning}). */
  void callFailed(TaskNode n) {
    Learning l = learning;
    if (l != null && !n.run.lost && l.decidesFor(n.run.project)) {
      String project = n.run.project;
      ctx.events.afterCommit(() -> ctx.post(() -> l.announceDemotions(project)));
    }
  }

  /** A task succeeded with {@code text}; {@code cost} is that of the call that ended it. */
  void succeed(TaskNode n, String text, TaskState from, CallCost cost) {
    if (approvals != null && approvals.holdOutput(n, text)) {
      return;
    }
    succeeded(n, text, from, cost);
  }

  /** The task succeeded with {@code text}, approved if it needed approval. */
  void succeeded(TaskNode n, String text, TaskState from, CallCost cost) {
    Instant now = ctx.now();
    n.output = text;
    ctx.update(n, n.record.succeed(text, now));
    ctx.emit(n.run, new TaskSucceededEvent(n.run.project, n.run.id, n.id(), now, from, n.slot.name, cost.usage(),
        cost.money(), cost.basis()));
    ShadowRuns.judged(ctx, n, text);
    finished(n);
    TaskNode[] nodes = n.run.nodes;
    for (int k = 0, count = n.dependentCount(); k < count; k++) {
      TaskNode dep = nodes[n.dependent(k)];
      if (--dep.pending == 0 && dep.state() == TaskState.BLOCKED) {
        becomeReady(dep);
      }
    }
    maybeFinish(n.run);
  }

  void fail(TaskNode n, ErrorKind kind, String message) {
    TaskState from = n.state();
    Instant now = ctx.now();
    ctx.update(n, n.record.moveTo(TaskState.FAILED, now).withError(kind, message));
    log.warn("Task failed (project={}, run={}, task={}, provider={}, kind={})", n.run.project, n.run.id, n.id(),
        n.slot.name, kind);
    ctx.emit(n.run, new TaskFailedEvent(n.run.project, n.run.id, n.id(), now, from, n.slot.name, kind, message));
    finished(n);
    skipDependants(n);
    maybeFinish(n.run);
  }

  /** A task reached a final state. */
  void finished(TaskNode n) {
    n.run.unfinished--;
  }

  void skipDependants(TaskNode origin) {
    ArrayDeque<TaskNode> todo = new ArrayDeque<>();
    todo.add(origin);
    TaskNode[] nodes = origin.run.nodes;
    while (!todo.isEmpty()) {
      TaskNode n = todo.poll();
      for (int k = 0, count = n.dependentCount(); k < count; k++) {
        TaskNode dep = nodes[n.dependent(k)];
        if (dep.state() == TaskState.BLOCKED) {
          Instant now = ctx.now();
          ctx.update(dep, dep.record.moveTo(TaskState.SKIPPED, now));
          ctx.emit(dep.run, new TaskSkippedEvent(dep.run.project, dep.run.id, dep.id(), now, TaskState.BLOCKED,
              origin.id()));
          finished(dep);
          todo.add(dep);
        }
      }
    }
  }

  /** A task set waiting again for its dependencies (it, or an upstream task, was resumed). */
  void block(TaskNode n, Instant now) {
    TaskState from = n.state();
    ctx.update(n, n.record.moveTo(TaskState.BLOCKED, now));
    n.run.unfinished++;
    ctx.emit(n.run, new TaskBlockedEvent(n.run.project, n.run.id, n.id(), now, from));
  }

  /** How many of the task's dependencies have not succeeded. */
  static int countPending(TaskNode n) {
    int pending = 0;
    for (int k = 0, count = n.dependencyCount(); k < count; k++) {
      if (n.run.nodes[n.dependency(k)].state() != TaskState.SUCCEEDED) {
        pending++;
      }
    }
    return pending;
  }

  /** Finishes the run when no task is left unfinished: stores its status, gives back its lease, completes it. */
  void maybeFinish(RunState run) {
    if (run.unfinished > 0 || run.record.status() != RunStatus.RUNNING) {
      return;
    }
    boolean failed = false;
    boolean cancelled = false;
    for (TaskNode n : run.nodes) {
      TaskState s = n.state();
      failed |= s == TaskState.FAILED;
      cancelled |= s == TaskState.CANCELLED;
    }
    Money cost = Money.usd(run.cost);
    RunStatus status = run.record.cancellation() != null ? RunStatus.CANCELLED
        : failed ? RunStatus.FAILED : cancelled ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
    Instant now = ctx.now();
    run.record = run.record.withStatus(status, now);
    ctx.updateRun(run);
    if (run.lost) {
      return;
    }
    ctx.emit(run, new RunFinishedEvent(run.project, run.id, now, status, cost));
    ctx.store.releaseRun(run.lease);
    log.info("Run finished (project={}, run={}, status={}, cost={})", run.project, run.id, status, cost);
    // The run's records as this engine wrote them: the store holds the same once the transaction commits, and the
    // snapshot is handed out only then. Reading them back would cost a query and a parse per task.
    List<TaskRecord> records = new ArrayList<>(run.nodes.length);
    for (TaskNode n : run.nodes) {
      records.add(n.record);
    }
    RunSnapshot snapshot = new RunSnapshot(run.record, records);
    ctx.events.afterCommit(() -> run.completion.complete(snapshot));
    ctx.runs.finished(run);
  }
}
