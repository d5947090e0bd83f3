package dev.orchestrator.core.internal;

import dev.orchestrator.event.ProviderChosenEvent;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.ClaimedRun;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs changing hands between engines: adopting a run claimed from the store (rebuilt from its stored definition
 * and tasks, in-flight attempts marked interrupted), stopping a run whose lease was lost, completing the handles of
 * runs that finished elsewhere, and giving every run back when the engine closes. Store reads for a rebuild happen
 * on the caller's thread; the run resumes in the drain loop.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final EngineContext ctx;
  private final Providers providers;
  private final Lifecycle lifecycle;
  private final CallPipeline pipeline;
  private final Resilience resilience;
  private final Budgets budgets;
  private final ProjectPauses projectPauses;
  private final Questions questions;
  private final AgentRegistry agents;

  /** Attempts in a row that may end interrupted before the task fails instead of running again. */
  static final int MAX_INTERRUPTIONS = 3;

  Recovery(EngineContext ctx, Providers providers, Lifecycle lifecycle, CallPipeline pipeline, Resilience resilience,
      Budgets budgets, ProjectPauses projectPauses, Questions questions, AgentRegistry agents) {
    this.agents = agents;
    this.ctx = ctx;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.pipeline = pipeline;
    this.resilience = resilience;
    this.budgets = budgets;
    this.projectPauses = projectPauses;
    this.questions = questions;
  }

  /** Stops the runs whose lease this engine lost: another engine executes them now. */
  void leasesLost(List<RunLease> lost) {
    ctx.post(() -> {
      for (RunLease l : lost) {
        RunHandle h = ctx.runs.get(l.runId());
        if (h != null && h.run().lease != null && h.run().lease.fence() == l.fence()) {
          lost(h.run());
        }
      }
    });
  }

  /**
   * Runs claimed from the store: reads them together (off the loop), rebuilds each and resumes it in the loop. A run
   * that is gone, finished, or cannot be rebuilt here is given up at once, so another engine may take it.
   */
  void adopt(List<RunLease> leases) {
    // This engine's own runs whose leases expired unrenewed (a long pause) and that it claimed again: they go on
    // under the new leases, with nothing rebuilt. Runs queued elsewhere have no handle here: the common case asks
    // nothing of the loop, which may be busy with a pass.
    boolean anyKnown = false;
    for (RunLease lease : leases) {
      anyKnown |= ctx.runs.get(lease.runId()) != null;
    }
    List<RunLease> others = !anyKnown ? leases : ctx.call(() -> {
      List<RunLease> rest = new ArrayList<>(leases.size());
      for (RunLease lease : leases) {
        RunHandle h = ctx.runs.get(lease.runId());
        if (h != null && h.run().executesHere() && h.run().project.equals(lease.project())) {
          h.run().lease = lease;
        } else {
          rest.add(lease);
        }
      }
      return rest;
    });
    if (others.isEmpty()) {
      return;
    }
    List<ClaimedRun> claimed;
    try {
      claimed = ctx.store.claimedRuns(others);
    } catch (RuntimeException e) {
      others.forEach(this::giveUp);
      throw e;
    }
    Set<RunLease> found = new HashSet<>();
    for (ClaimedRun c : claimed) {
      found.add(c.lease());
      RunRecord r = c.run();
      if (r.status() != RunStatus.RUNNING) {
        giveUp(c.lease());
        continue;
      }
      try {
        agents.endOthers(r.project(), r.id(), c.agentProcesses());
        rebuild(r, c.lease(), c.definition(), c.tasks(), null, Interruption.PROCESS_STOPPED);
      } catch (RuntimeException e) {
        log.error("Run not adopted (project={}, run={})", r.project(), r.id(), e);
        giveUp(c.lease());
      }
    }
    for (RunLease lease : others) {
      if (!found.contains(lease)) {
        giveUp(lease);
      }
    }
  }

  /** Releases a claimed run this engine will not execute; a failure leaves it to the lease's expiry. */
  private void giveUp(RunLease lease) {
    try {
      ctx.store.releaseRun(lease);
    } catch (RuntimeException e) {
      log.warn("Run lease not released; it expires in time (project={}, run={}): {}", lease.project(),
          lease.runId(), e.toString());
    }
  }

  /**
   * This engine lost a run's lease (another engine claimed it after the lease expired): stops its calls without
   * writing anything, forgets its queued work, and watches the store for its end, so handles still complete.
   */
  void lost(RunState run) {
    if (run.lost) {
      return;
    }
    log.warn("Run lease lost; another engine executes it now (project={}, run={}, engine={})", run.project, run.id,
        ctx.owner);
    forget(run);
  }

  /**
   * Memory and the store may disagree for a run this engine executes (a transaction of it failed part-way): forgets
   * the run, gives up its lease and takes the run again under a new one (which releases what the old lease still had
   * reserved), rebuilding it from the store; its calls in flight count as interrupted. Another engine may take the
   * run in between, which is as good. When the store fails again, the lease runs out for an engine to take it over.
   */
  void reload(RunState run) {
    if (run.lost) {
      return;
    }
    RunLease lease = run.lease;
    log.warn("Run reloaded from the store after a failed write (project={}, run={}, engine={})", run.project, run.id,
        ctx.owner);
    forget(run);
    if (lease == null) {
      return;
    }
    if (ctx.events.inTransaction()) {
      // Taken again once the transaction open now has ended, committed or not: taking the run's row inside it, which
      // already holds other rows, could wait on an engine that waits on it.
      ctx.events.afterCommit(() -> retake(run, lease), () -> retake(run, lease));
      return;
    }
    retake(run, lease);
  }

  /** Gives up {@code lease} and takes the forgotten run again under a new one, rebuilt from the store. */
  private void retake(RunState run, RunLease lease) {
    try {
      RunRecord r = ctx.store.run(run.project, run.id).orElse(null);
      if (r == null || r.status() != RunStatus.RUNNING) {
        return;
      }
      ctx.store.releaseRun(lease);
      RunLease fresh = ctx.store.acquireRun(run.project, run.id, ctx.owner, ctx.leaseTime).orElse(null);
      if (fresh != null) {
        rebuild(ctx.store.run(run.project, run.id).orElse(r), fresh, null, Interruption.WRITE_FAILED);
      }
    } catch (RuntimeException e) {
      log.error("Run not reloaded; its lease runs out for an engine to take it over (project={}, run={}, engine={})",
          run.project, run.id, ctx.owner, e);
    }
  }

  /** Stops everything this engine does for a run, writing nothing: another engine executes it from now on. */
  private void forget(RunState run) {
    run.lost = true;
    for (TaskNode n : run.nodes) {
      CompletableFuture<ProviderResponse> f = n.call;
      if (f != null) {
        CallCancellation signal = n.cancellation;
        pipeline.endCall(n);
        resilience.abandoned(n);
        CallPipeline.cancel(n, f, signal);
      }
      if (n.timer != null) {
        n.timer.cancel();
        n.timer = null;
      }
      n.slot.remove(n);
      n.reviewSlot.remove(n);
      n.slot.pausedNodes.remove(n);
      budgets.forget(n);
      projectPauses.remove(n);
      questions.close(n);
    }
    run.lease = null;
  }

  private void rebuild(RunRecord r, RunLease lease) {
    rebuild(r, lease, null, Interruption.PROCESS_STOPPED);
  }

  /** Why the last {@link #rebuild} on this thread gave its run up, for the caller that wanted to steer it. */
  private static final ThreadLocal<String> notRebuilt = new ThreadLocal<>();

  /** Why the last {@link #rebuild} on this thread gave its run up; cleared by reading it. */
  static @Nullable String whyNotRebuilt() {
    String why = notRebuilt.get();
    notRebuilt.remove();
    return why;
  }

  /**
   * Rebuilds a run from the store under {@code lease} and resumes it; {@code then}, when given, runs in the loop once
   * the run is resumed and before it may finish (a steering change that made this engine take the run over).
   */
  boolean rebuild(RunRecord r, RunLease lease, @Nullable Consumer<RunState> then) {
    return rebuild(r, lease, then, Interruption.PROCESS_STOPPED);
  }

  private boolean rebuild(RunRecord r, RunLease lease, @Nullable Consumer<RunState> then, Interruption why) {
    // The agents that the run's previous owner left running would go on working beside the calls made again here.
    agents.endOthers(r.project(), r.id());
    return rebuild(r, lease, ctx.store.definition(r.project(), r.id()).orElse(""),
        ctx.store.tasks(r.project(), r.id()), then, why);
  }

  private boolean rebuild(RunRecord r, RunLease lease, String definition, List<TaskRecord> tasks,
      @Nullable Consumer<RunState> then, Interruption why) {
    if (definition.isBlank()) {
      log.warn("Run not recovered: no workflow definition stored (project={}, run={})", r.project(), r.id());
      ctx.store.releaseRun(lease);
      notRebuilt.set("no workflow definition is stored for it");
      return false;
    }
    Workflow workflow = WorkflowCodec.readShared(definition);
    Map<String, TaskRecord> records = new HashMap<>();
    for (TaskRecord t : tasks) {
      records.put(t.taskId(), t);
    }
    RunState run = new RunState(r.id(), r.project(), workflow, r.params(), r);
    List<TaskSpec> specs = workflow.tasks();
    TaskNode[] nodes = new TaskNode[specs.size()];
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      int[] deps = new int[spec.dependsOn().size()];
      for (int d = 0; d < deps.length; d++) {
        deps[d] = workflow.indexOf(spec.dependsOn().get(d));
      }
      Slot[] candidates = providers.candidates(spec, problems);
      if (candidates == null) {
        // This engine lacks a provider the run needs: leave the run to an engine that has it.
        log.warn("Run left to another engine (project={}, run={}, engine={}, problems={})", r.project(), r.id(),
            ctx.owner, problems);
        ctx.store.releaseRun(lease);
        notRebuilt.set("this engine lacks what it needs: " + problems);
        return false;
      }
      TaskRecord record = records.get(spec.id());
      if (record == null) {
        throw new OrchestratorException("stored run " + r.id() + " has no task '" + spec.id() + "'");
      }
      nodes[i] = new TaskNode(run, spec, i, deps, candidates, record);
      nodes[i].reviewers = providers.reviewers(spec, problems);
      nodes[i].priority = record.lane();
      nodes[i].output = record.output();
      Question q = record.question();
      if (q != null && q.answer() != null && !dev.orchestrator.workflow.Approval.isApproval(q.id())) {
        nodes[i].addDialogue(q.text(), q.answer());
      }
    }
    keepChoices(r.project(), r.id(), nodes);
    int[] counts = new int[nodes.length];
    for (TaskNode n : nodes) {
      for (int d : n.dependencies) {
        counts[d]++;
      }
    }
    for (int i = 0; i < nodes.length; i++) {
      nodes[i].dependents = counts[i] == 0 ? TaskNode.EMPTY : new int[counts[i]];
      counts[i] = 0;
    }
    for (TaskNode n : nodes) {
      for (int d : n.dependencies) {
        nodes[d].dependents[counts[d]++] = n.index;
      }
      n.pending = countPendingOf(nodes, n);
    }
    run.nodes = nodes;
    run.lease = lease;
    for (TaskNode n : nodes) {
      if (!n.state().isTerminal()) {
        run.unfinished++;
      }
      run.cost = run.cost.add(n.record.cost().amount());
    }
    RunHandle existing = ctx.runs.get(run.id);
    if (existing != null) {
      // A handle someone holds (this engine submitted the run, or lost and regained it) now steers the rebuilt run.
      RunState before = existing.run();
      if (!before.completion.isDone()) {
        run.completion = before.completion;
      }
      run.subscribers.addAll(before.subscribers);
      existing.replace(run);
    } else {
      ctx.runs.add(run);
    }
    if (!problems.isEmpty()) {
      log.warn("Run recovered with problems (project={}, run={}, problems={})", r.project(), r.id(), problems);
    }
    ctx.post(() -> resumeRecovered(run, then, why));
    return true;
  }

  /**
   * Ends an attempt whose call was in flight when its process stopped. The call may have been billed: it is settled
   * at what it reserved (which the started attempt holds), estimated, on the accounts of the day it was made.
   */
  private void endInterrupted(TaskNode n, Instant now, String why) {
    Attempt last = n.record.lastAttempt();
    if (last == null || last.outcome() != null) {
      return;
    }
    CallCost cost = CallCost.stopped(last.cost().amount());
    // The attempt's end and its charge are written together, so a second takeover never charges the call again; and
    // when the store refuses the end (another engine took the run meanwhile), nothing is charged: that engine will.
    ctx.events.atomically(() -> {
      ctx.update(n, n.record.withLastAttempt(last.ended(now, Outcome.FAILED, ErrorKind.UNKNOWN, why, cost.usage(),
          cost.money(), cost.basis())));
      if (n.run.lost) {
        return null;
      }
      if (providers.contains(last.provider())) {
        budgets.settleInterrupted(n, providers.slot(last.provider()), last.startedAt(), cost);
      } else if (cost.amount().signum() > 0) {
        log.warn("An interrupted call's reservation is not charged: its provider is not configured here "
            + "(project={}, run={}, task={}, provider={}, reserved={})", n.run.project, n.run.id, n.id(),
            last.provider(), cost.amount());
      }
      return null;
    });
  }

  /**
   * Queues an interrupted task to run again, unless its last {@value #MAX_INTERRUPTIONS} attempts were all
   * interrupted: a call whose end can never be recorded (a write that fails the same way each time) or that stops its
   * process each time would otherwise be made, and paid for, forever. Each {@code resume} of the task by a person
   * allows as many interruptions again.
   */
  private void againOrFail(TaskNode n, String why) {
    if (n.run.lost) {
      return;
    }
    int inARow = interruptionsInARow(n.record);
    if (inARow == 0 || inARow % MAX_INTERRUPTIONS != 0) {
      lifecycle.enqueue(n);
      return;
    }
    log.error("Task failed after its call was interrupted {} times in a row (project={}, run={}, task={}, last={})",
        MAX_INTERRUPTIONS, n.run.project, n.run.id, n.id(), why);
    lifecycle.fail(n, ErrorKind.UNKNOWN, "its call was interrupted " + MAX_INTERRUPTIONS + " times in a row, its end "
        + "never recorded (last: " + why.substring(Interruption.PREFIX.length()) + "); it is failed rather than paid "
        + "for again. Find the cause in the engine's log, then run it again with `orchestrator resume " + n.id()
        + "`");
  }

  /** How many of the task's last attempts in a row ended interrupted. */
  static int interruptionsInARow(TaskRecord record) {
    List<Attempt> attempts = record.attempts();
    int count = 0;
    for (int i = attempts.size() - 1; i >= 0; i--) {
      Attempt a = attempts.get(i);
      String message = a.message();
      if (a.outcome() != Outcome.FAILED || message == null || !message.startsWith(Interruption.PREFIX)) {
        break;
      }
      count++;
    }
    return count;
  }

  /** Why a rebuilt run's calls in flight were interrupted, as their attempts say. */
  private enum Interruption {
    PROCESS_STOPPED("the process stopped before the call ended", "the process stopped before the review ended"),
    WRITE_FAILED("a write of its run failed and the run was reloaded from the store (see the engine's log)",
        "a write of its run failed and the run was reloaded from the store (see the engine's log)");

    static final String PREFIX = "interrupted: ";

    final String call;
    final String review;

    Interruption(String call, String review) {
      this.call = PREFIX + call;
      this.review = PREFIX + review;
    }
  }

  private static int countPendingOf(TaskNode[] nodes, TaskNode n) {
    int pending = 0;
    for (int d : n.dependencies) {
      if (nodes[d].state() != TaskState.SUCCEEDED) {
        pending++;
      }
    }
    return pending;
  }

  private void resumeRecovered(RunState run, @Nullable Consumer<RunState> then, Interruption why) {
    Instant now = ctx.now();
    List<String> interrupted = new ArrayList<>();
    for (TaskNode n : run.nodes) {
      switch (n.state()) {
        case RUNNING -> {
          interrupted.add(n.id());
          endInterrupted(n, now, why.call);
          againOrFail(n, why.call);
        }
        case READY -> {
          n.lane = n.priority.ordinal();
          n.slot.enqueue(n, now.toEpochMilli());
        }
        case PAUSED, RETRY_WAIT -> lifecycle.enqueue(n);
        case AWAITING_REVIEW -> {
          // The verdict was lost with the process: the author's output is not stored until approved, so redo it.
          endInterrupted(n, now, why.review);
          againOrFail(n, why.review);
        }
        case AWAITING_INPUT -> {
          Question q = n.record.question();
          if (q != null && q.isOpen()) {
            questions.reopened(n, q);
            if (lifecycle.approvals != null) {
              lifecycle.approvals.reopened(n, q);
            }
          } else {
            lifecycle.enqueue(n);
          }
        }
        case BLOCKED -> {
          if (n.pending == 0) {
            lifecycle.becomeReady(n);
          }
        }
        default -> {
          // finished tasks stay as they are
        }
      }
    }
    log.info("Run adopted (project={}, run={}, engine={}, interrupted={})", run.project, run.id, ctx.owner,
        interrupted);
    ctx.emit(run, new RunRecoveredEvent(run.project, run.id, now, interrupted));
    if (then != null) {
      then.accept(run);
    }
    lifecycle.maybeFinish(run);
  }

  /** A watched run finished in another engine: completes its handle with the stored snapshot. */
  void finishedElsewhere(RunHandle h, RunSnapshot snapshot) {
    ctx.post(() -> {
      RunState r = h.run();
      if (r.lease == null && !r.completion.isDone()) {
        r.record = snapshot.run();
        r.completion.complete(snapshot);
      }
    });
  }

  /**
   * Gives up every run this engine executes, so another engine can take each over at once instead of waiting for
   * its lease to expire. Calls in flight are cancelled: a closed engine could not record their results, and the engine
   * that takes the run over repeats them (their attempts are marked interrupted).
   */
  void releaseAll() {
    for (RunHandle h : ctx.runs.all()) {
      RunState run = h.run();
      RunLease lease = run.lease;
      if (lease == null || run.lost || run.record.status() != RunStatus.RUNNING) {
        continue;
      }
      forget(run);
      ctx.store.releaseRun(lease);
      log.info("Run released for other engines (project={}, run={}, engine={})", run.project, run.id, ctx.owner);
    }
  }

  /**
   * Gives each task with more than one candidate the provider order of its last {@link ProviderChosenEvent}, so a
   * recovered task keeps what the learning strategy chose rather than falling back to the workflow's order (or being
   * asked again). Candidates the choice does not name follow in their order; names this engine lacks are skipped.
   */
  private void keepChoices(String project, String runId, TaskNode[] nodes) {
    boolean any = false;
    for (TaskNode n : nodes) {
      any |= n.candidates().length > 1;
    }
    if (!any) {
      return;
    }
    Map<String, ProviderChosenEvent> last = new HashMap<>();
    try {
      for (dev.orchestrator.event.Event e : ctx.store.events(project, runId)) {
        if (e instanceof ProviderChosenEvent c) {
          last.put(c.taskId(), c);
        }
      }
    } catch (UnsupportedOperationException e) {
      return; // a store that keeps no events: the workflow's order
    }
    for (TaskNode n : nodes) {
      ProviderChosenEvent c = last.get(n.id());
      Slot[] candidates = n.candidates();
      if (c == null || candidates.length < 2) {
        continue;
      }
      List<String> chosen = new ArrayList<>();
      chosen.add(c.provider());
      chosen.addAll(c.failover());
      List<Slot> order = new ArrayList<>(candidates.length);
      for (String name : chosen) {
        for (Slot s : candidates) {
          if (s.name.equals(name) && !order.contains(s)) {
            order.add(s);
          }
        }
      }
      for (Slot s : candidates) {
        if (!order.contains(s)) {
          order.add(s);
        }
      }
      n.extras().order = order.toArray(new Slot[0]);
      n.slot = order.get(0);
    }
  }
}
