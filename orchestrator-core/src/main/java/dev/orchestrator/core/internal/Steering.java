package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Priority;
import dev.orchestrator.event.ProjectPausedEvent;
import dev.orchestrator.event.ProjectResumedEvent;
import dev.orchestrator.event.RunReopenedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to runs and projects from outside: cancel a run or a task, resume a task, change a priority, answer a
 * question, pause and resume a project. A change to a run acts at once when this engine executes it, after taking
 * the run over when no live engine holds it, and otherwise by a command stored for the engine that does; this class
 * also carries out the commands and pauses other processes stored.
 */
final class Steering {
  private static final Logger log = LoggerFactory.getLogger(Steering.class);

  private final EngineContext ctx;
  private final Providers providers;
  private final Lifecycle lifecycle;
  private final CallPipeline pipeline;
  private final Resilience resilience;
  private final Budgets budgets;
  private final ProjectPauses projectPauses;
  private final Questions questions;
  private final Recovery recovery;

  Steering(EngineContext ctx, Providers providers, Lifecycle lifecycle, CallPipeline pipeline, Resilience resilience,
      Budgets budgets, ProjectPauses projectPauses, Questions questions, Recovery recovery) {
    this.ctx = ctx;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.pipeline = pipeline;
    this.resilience = resilience;
    this.budgets = budgets;
    this.projectPauses = projectPauses;
    this.questions = questions;
    this.recovery = recovery;
  }

  /** Carries out commands taken from the store for the runs this engine holds. */
  void commands(List<Command> commands) {
    for (Command c : commands) {
      ctx.post(() -> execute(c));
    }
  }

  /** Applies the stored pauses (read on the timer thread): pauses and resumes what other processes changed. */
  void applyPauses(List<Pause> stored) {
    ctx.post(() -> {
      Map<String, String> projects = new HashMap<>();
      Map<String, String> providerPauses = new HashMap<>();
      for (Pause p : stored) {
        (p.kind() == Pause.Kind.PROJECT ? projects : providerPauses).put(p.name(), p.reason());
      }
      projects.forEach((name, reason) -> {
        if (projectPauses.reason(name) == null) {
          pauseProjectNow(name, reason);
        }
      });
      for (String name : List.copyOf(projectPauses.projects())) {
        if (!projects.containsKey(name)) {
          resumeProjectNow(name);
        }
      }
      for (Slot slot : providers.all()) {
        String reason = providerPauses.get(slot.name);
        if (reason != null && !slot.paused) {
          resilience.pauseNow(slot, reason);
        } else if (reason == null && slot.paused) {
          resilience.resumeNow(slot);
        }
      }
    });
  }

  private void execute(Command c) {
    try {
      RunHandle h = c.runId() == null ? null : ctx.runs.get(c.runId());
      switch (c.kind()) {
        case CANCEL -> {
          if (h == null || !h.project().equals(c.project())) {
            log.warn("Command dropped: no such run here (command={}, project={}, run={})", c.id(), c.project(),
                c.runId());
          } else if (c.target() == null) {
            h.cancel(c.by(), c.text());
          } else {
            h.cancelTask(c.target(), c.by(), c.text());
          }
        }
        case RESUME -> {
          if (h != null && c.target() != null) {
            h.resume(c.target());
          }
        }
        case ANSWER -> {
          if (c.target() != null) {
            answerHere(c.target(), c.text());
          }
        }
        case FAIL -> {
          if (h != null && h.project().equals(c.project()) && c.target() != null) {
            h.failTask(c.target(), c.by(), c.text());
          }
        }
        case PRIORITY -> {
          if (h != null && c.target() != null) {
            lifecycle.changePriority(h.run(), Checks.node(h.run(), c.target()), Priority.valueOf(c.text()));
          }
        }
      }
      log.info("Command carried out (command={}, kind={}, project={}, by={})", c.id(), c.kind(), c.project(),
          c.by());
    } catch (RuntimeException e) {
      log.warn("Command failed (command={}, kind={}, project={}): {}", c.id(), c.kind(), c.project(),
          e.getMessage());
    }
  }

  /**
   * Pauses a project in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish.
   */
  void pauseProject(String project, String reason) {
    Submissions.checkName(project);
    Checks.text("reason", reason);
    ctx.store.savePause(Pause.project(project, reason, ctx.now()));
    ctx.call(() -> {
      if (pauseProjectNow(project, reason)) {
        ctx.emit(null, new ProjectPausedEvent(project, ctx.now(), reason));
      }
      return null;
    });
  }

  /** Pauses a project in this engine; returns false when it was paused already. */
  private boolean pauseProjectNow(String project, String reason) {
    if (!projectPauses.pause(project, reason)) {
      return false;
    }
    List<TaskNode> waiting = projectPauses.waiting(project);
    for (Slot slot : providers.all()) {
      for (TaskNode n : slot.removeProject(project)) {
        lifecycle.pause(n, "project " + project + " is paused: " + reason, waiting);
      }
    }
    return true;
  }

  /** Resumes a paused project in every engine: its paused tasks are queued again, in the order they were paused. */
  void resumeProject(String project) {
    Submissions.checkName(project);
    ctx.store.deletePause(Pause.Kind.PROJECT, project);
    ctx.call(() -> {
      if (resumeProjectNow(project)) {
        ctx.emit(null, new ProjectResumedEvent(project, ctx.now()));
      }
      return null;
    });
  }

  private boolean resumeProjectNow(String project) {
    List<TaskNode> waiting = projectPauses.resume(project);
    if (waiting == null) {
      return false;
    }
    for (TaskNode n : waiting) {
      if (n.state() == TaskState.PAUSED) {
        lifecycle.enqueue(n);
      }
    }
    return true;
  }

  /** Whether a project is paused, and why; null when it is not. */
  @Nullable String projectPause(String project) {
    return projectPauses.reason(project);
  }

  /**
   * Carries out a change to a run: at once in this engine's loop when it executes the run; after taking the run over
   * when no live engine holds it (its engine stopped, or, with {@code reopen}, it finished); otherwise by a command
   * stored for the engine that holds it, which acts within about a second. Exceptions of {@code action} reach the
   * caller.
   *
   * @param reopen whether a finished run is opened again for the change (to resume a task); else a change to a
   *     finished run is dropped
   */
  private void steer(RunHandle h, boolean reopen, Consumer<RunState> action, Command.Kind kind,
      @Nullable String target, String by, String text) {
    ctx.loop.checkOpen();
    boolean done = ctx.call(() -> {
      RunState run = h.run();
      if (run.executesHere() && (reopen || run.record.status() == RunStatus.RUNNING)) {
        action.accept(run);
        return true;
      }
      return false;
    });
    if (done) {
      return;
    }
    RunState run = h.run();
    RunRecord stored = ctx.store.run(run.project, run.id).orElseThrow(() -> new IllegalArgumentException(
        "project " + run.project + " has no run " + run.id));
    if (stored.status() != RunStatus.RUNNING && !reopen) {
      return; // nothing to change in a finished run
    }
    RunLease lease = ctx.store.acquireRun(run.project, run.id, ctx.owner, ctx.leaseTime).orElse(null);
    if (lease == null) {
      String holder = ctx.store.lease(run.project, run.id).map(RunLease::owner).orElse("another engine");
      ctx.store.submitCommand(Command.builder().id(UUID.randomUUID().toString()).kind(kind).project(run.project)
          .runId(run.id).target(target).by(by).text(text).at(ctx.now()).build());
      log.info("Command stored for the engine that executes the run (kind={}, project={}, run={}, engine={})", kind,
          run.project, run.id, holder);
      return;
    }
    CompletableFuture<Void> applied = new CompletableFuture<>();
    boolean reopened = stored.status() != RunStatus.RUNNING;
    boolean rebuilt0 = recovery.rebuild(ctx.store.run(run.project, run.id).orElseThrow(), lease, rebuilt -> {
      try {
        if (reopened) {
          ctx.emit(rebuilt, new RunReopenedEvent(rebuilt.project, rebuilt.id, ctx.now(),
              target == null ? "" : target));
        }
        action.accept(rebuilt);
        // The caller may read the store, or the run's end, next: it hears back once the change is saved.
        ctx.events.afterCommit(() -> applied.complete(null),
            () -> applied.completeExceptionally(Events.notSaved()));
      } catch (RuntimeException e) {
        applied.completeExceptionally(e);
      }
    });
    if (!rebuilt0) {
      String why = Recovery.whyNotRebuilt();
      throw new IllegalStateException("run " + run.id + " cannot be taken over by engine " + ctx.owner + ": " + why
          + "; steer it from an engine configured for it");
    }
    try {
      applied.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  void changePriority(RunHandle h, String taskId, Priority priority) {
    Checks.task(h.run(), taskId);
    Objects.requireNonNull(priority, "priority");
    steer(h, false, run -> lifecycle.changePriority(run, Checks.node(run, taskId), priority),
        Command.Kind.PRIORITY, taskId, "api", priority.name());
  }

  void cancelTask(RunHandle h, String taskId, String by, String reason) {
    Checks.task(h.run(), taskId);
    Checks.text("by", by);
    Checks.text("reason", reason);
    steer(h, false, run -> cancelTaskHere(run, taskId, by, reason), Command.Kind.CANCEL, taskId, by, reason);
  }

  private void cancelTaskHere(RunState run, String taskId, String by, String reason) {
    cancel(Checks.node(run, taskId), new Cancellation(by, reason, ctx.now()), true);
    lifecycle.maybeFinish(run);
  }

  void failTask(RunHandle h, String taskId, String by, String reason) {
    Checks.task(h.run(), taskId);
    Checks.text("by", by);
    Checks.text("reason", reason);
    steer(h, false, run -> failTaskHere(run, taskId, by, reason), Command.Kind.FAIL, taskId, by, reason);
  }

  private void failTaskHere(RunState run, String taskId, String by, String reason) {
    stop(Checks.node(run, taskId), new Cancellation(by, reason, ctx.now()), true, true);
    lifecycle.maybeFinish(run);
  }

  void cancelRun(RunHandle h, String by, String reason) {
    Checks.text("by", by);
    Checks.text("reason", reason);
    steer(h, false, run -> cancelRunHere(run, by, reason), Command.Kind.CANCEL, null, by, reason);
  }

  private void cancelRunHere(RunState run, String by, String reason) {
    if (run.record.status() != RunStatus.RUNNING) {
      return;
    }
    Cancellation c = new Cancellation(by, reason, ctx.now());
    run.record = run.record.withCancellation(c);
    ctx.updateRun(run);
    for (TaskNode n : run.nodes) {
      cancel(n, c, false);
    }
    lifecycle.maybeFinish(run);
  }

  void resume(RunHandle h, String taskId) {
    Checks.task(h.run(), taskId);
    steer(h, true, run -> resumeHere(run, taskId), Command.Kind.RESUME, taskId, "api", "resume");
  }

  private void cancel(TaskNode n, Cancellation c, boolean skipDependants) {
    stop(n, c, skipDependants, false);
  }

  /** Stops a task that has not finished: CANCELLED, or FAILED when a person marks it failed. */
  private void stop(TaskNode n, Cancellation c, boolean skipDependants, boolean markFailed) {
    TaskState from = n.state();
    if (from.isTerminal()) {
      return;
    }
    switch (from) {
      case RUNNING -> pipeline.stop(n, Outcome.CANCELLED, ErrorKind.CANCELLED);
      case READY -> n.slot.remove(n);
      case AWAITING_INPUT -> questions.close(n);
      case AWAITING_REVIEW -> {
        if (n.call != null) {
          pipeline.stop(n, Outcome.CANCELLED, ErrorKind.CANCELLED);
        } else {
          n.reviewSlot.remove(n);
          budgets.forget(n);
          if (n.timer != null) {
            n.timer.cancel();
            n.timer = null;
          }
        }
        n.reviewing = false;
      }
      case PAUSED -> {
        n.slot.pausedNodes.remove(n);
        budgets.forget(n);
        projectPauses.remove(n);
      }
      default -> {
        if (n.timer != null) {
          n.timer.cancel();
          n.timer = null;
        }
      }
    }
    if (markFailed) {
      String message = "marked failed by " + c.by() + ": " + c.reason();
      ctx.update(n, n.record.moveTo(TaskState.FAILED, c.at()).withError(ErrorKind.CANCELLED, message));
      log.info("Task marked failed (project={}, run={}, task={}, by={})", n.run.project, n.run.id, n.id(), c.by());
      ctx.emit(n.run, new TaskFailedEvent(n.run.project, n.run.id, n.id(), c.at(), from, n.record.provider(),
          ErrorKind.CANCELLED, message));
    } else {
      ctx.update(n, n.record.moveTo(TaskState.CANCELLED, c.at()).withCancellation(c));
      log.info("Task cancelled (project={}, run={}, task={}, by={})", n.run.project, n.run.id, n.id(), c.by());
      ctx.emit(n.run, new TaskCancelledEvent(n.run.project, n.run.id, n.id(), c.at(), from, c.by(), c.reason()));
    }
    lifecycle.finished(n);
    if (skipDependants) {
      lifecycle.skipDependants(n);
    }
  }

  private void resumeHere(RunState run, String taskId) {
    TaskNode n = Checks.node(run, taskId);
    ctx.call(() -> {
      TaskState s = n.state();
      if (s != TaskState.CANCELLED && s != TaskState.FAILED) {
        throw new IllegalStateException("task '" + taskId + "' is " + s + ": only a CANCELLED or FAILED task can be "
            + "resumed");
      }
      for (int k = 0, count = n.dependencyCount(); k < count; k++) {
        TaskNode dep = run.nodes[n.dependency(k)];
        TaskState ds = dep.state();
        if (ds == TaskState.FAILED || ds == TaskState.CANCELLED || ds == TaskState.SKIPPED) {
          throw new IllegalStateException("task '" + taskId + "' waits for '" + dep.id() + "', which is " + ds
              + ": resume '" + dep.id() + "' instead (its dependants come back with it)");
        }
      }
      reopenIfFinished(run, taskId);
      Instant now = ctx.now();
      ctx.update(n, n.record.cleared().withCancellation(null));
      n.output = null;
      n.pending = Lifecycle.countPending(n);
      if (n.pending == 0) {
        run.unfinished++;
        lifecycle.becomeReady(n);
      } else {
        lifecycle.block(n, now);
      }
      reviveSkipped(n);
      return null;
    });
  }

  /** Brings back, in topological order, the skipped dependants whose every dependency may still succeed. */
  private void reviveSkipped(TaskNode origin) {
    TaskNode[] nodes = origin.run.nodes;
    TreeSet<Integer> candidates = new TreeSet<>();
    ArrayDeque<TaskNode> todo = new ArrayDeque<>();
    todo.add(origin);
    while (!todo.isEmpty()) {
      TaskNode from = todo.poll();
      for (int k = 0, count = from.dependentCount(); k < count; k++) {
        int d = from.dependent(k);
        if (nodes[d].state() == TaskState.SKIPPED && candidates.add(d)) {
          todo.add(nodes[d]);
        }
      }
    }
    Instant now = ctx.now();
    for (int i : candidates) {
      TaskNode n = nodes[i];
      boolean viable = true;
      for (int k = 0, count = n.dependencyCount(); k < count; k++) {
        TaskState ds = nodes[n.dependency(k)].state();
        viable &= ds != TaskState.FAILED && ds != TaskState.CANCELLED && ds != TaskState.SKIPPED;
      }
      if (viable) {
        n.pending = Lifecycle.countPending(n);
        lifecycle.block(n, now);
      }
    }
  }

  private void reopenIfFinished(RunState run, String taskId) {
    if (run.record.status() == RunStatus.RUNNING) {
      return;
    }
    // A finished run this engine still has: open it again under a new lease before changing anything.
    RunLease lease = ctx.store.acquireRun(run.project, run.id, ctx.owner, ctx.leaseTime).orElseThrow(() ->
        new IllegalStateException("run " + run.id + " is held by another engine: resume it there"));
    run.lease = lease;
    ctx.runs.reopened(run);
    ctx.runs.addIfAbsent(run);
    run.record = run.record.withStatus(RunStatus.RUNNING, null).withCancellation(null);
    run.completion = new CompletableFuture<>();
    ctx.updateRun(run);
    ctx.emit(run, new RunReopenedEvent(run.project, run.id, ctx.now(), taskId));
  }

  /** Answers an open question; the task goes back to its queue with the answer in its prompt. */
  void answer(String questionId, String text) {
    ctx.loop.checkOpen();
    Objects.requireNonNull(questionId, "questionId");
    Checks.text("answer", text);
    boolean here = ctx.call(() -> questions.askedHere(questionId));
    if (here) {
      ctx.call(() -> {
        answerHere(questionId, text);
        return null;
      });
      return;
    }
    Question q = questions.stored(questionId);
    if (q == null) {
      throw questions.unknown(questionId);
    }
    RunHandle h = Objects.requireNonNull(ctx.runs.find(q.project(), q.runId()));
    steer(h, false, run -> answerHere(questionId, text), Command.Kind.ANSWER, questionId, "api", text);
  }

  /** Answers a question asked by a task of this engine; the task goes back to its queue with the answer. */
  private void answerHere(String questionId, String text) {
    TaskNode n = questions.answerHere(questionId, text);
    if (lifecycle.approvals == null || !lifecycle.approvals.answered(n, questionId, text)) {
      lifecycle.enqueue(n);
    }
  }
}
