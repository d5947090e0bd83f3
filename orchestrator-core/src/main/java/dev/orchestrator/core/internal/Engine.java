package dev.orchestrator.core.internal;

import dev.failsafe.CircuitBreaker;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.spi.provider.CostEstimate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.ProviderPausedEvent;
import dev.orchestrator.event.ProviderResumedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Priority;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventListener;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunReopenedEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskBlockedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskPriorityBoostedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskSkippedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.LimitBreach;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.ThresholdCrossing;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The scheduler. All scheduling state is confined to one drain loop: callers and provider callbacks post messages
 * to a mailbox, and whichever thread finds the mailbox idle drains it (on the configured executor). So no lock
 * guards the queues, counters and nodes, provider calls hold no thread, and a call that completes at once cannot
 * recurse: its completion is just the next message.
 *
 * <p>The store is written on every transition and is what other threads read.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Clock clock;
  private final Scheduler scheduler;
  private final Store store;
  private final Runs runs;
  private final Providers providers;
  private final ProjectPauses projectPauses = new ProjectPauses();
  private final Lifecycle lifecycle;
  private final Budgets budgets;
  private final Planner planner;
  private final Resilience resilience;
  private final Guards guards;
  private final Questions questions;
  private final Reviews reviews;
  private final Events events;
  private final EngineContext ctx;
  private final long boostMillis;
  private final Executor executor;
  private final RetryPolicy retryPolicy;
  /** This engine instance's name in the store's leases. */
  private final String owner;
  private final Duration leaseTime;
  private final java.util.Random jitter = new java.util.Random();
  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  /** The thread draining the mailbox, or null. */
  private volatile @Nullable Thread drainer;
  private volatile boolean closed;

  /** Called when aging moves a task up a lane. */
  interface Booster {
    void boosted(TaskNode node, int fromLane, int toLane);
  }

  private final Booster booster;

  /**
   * @param slots provider instances by lower-case name, with their limits
   */
  public Engine(Clock clock, Scheduler scheduler, Store store, Map<String, ProviderSlot> slots,
      @Nullable String defaultProvider, List<EventListener> listeners, Duration boostInterval, Executor executor,
      RetryPolicy retryPolicy, ZoneId budgetZone, List<Guard> guards, String owner, Duration leaseTime) {
    this.clock = clock;
    this.owner = owner;
    this.leaseTime = leaseTime;
    this.scheduler = scheduler;
    this.store = store;
    this.retryPolicy = retryPolicy;
    Map<String, Slot> s = new LinkedHashMap<>();
    slots.forEach((name, ps) -> {
      Slot slot = new Slot(ps.provider(), name, ps.limit(), ps.retry(), ps.breaker(), ps.rate(), ps.taskTypes());
      s.put(name, slot);
    });
    this.providers = new Providers(s, defaultProvider);
    EngineContext.Loop loop = new EngineContext.Loop() {
      @Override
      public boolean post(Runnable message) {
        return Engine.this.post(message);
      }

      @Override
      public <T> T call(Supplier<T> action) {
        return Engine.this.call(action);
      }

      @Override
      public void checkOpen() {
        Engine.this.checkOpen();
      }
    };
    this.runs = new Runs(run -> new RunHandle(this, run));
    this.events = new Events(store, scheduler, loop, runs, listeners);
    this.ctx = new EngineContext(clock, scheduler, store, owner, leaseTime, loop, events,
        new Transitions(store, this::lost), runs);
    this.questions = new Questions(ctx);
    this.lifecycle = new Lifecycle(ctx, projectPauses, questions);
    this.booster = lifecycle::boosted;
    this.resilience = new Resilience(ctx, providers, lifecycle);
    this.budgets = new Budgets(ctx, budgetZone, providers, lifecycle);
    this.planner = new Planner(ctx, providers, budgets, resilience);
    this.guards = new Guards(ctx, guards, lifecycle);
    this.reviews = new Reviews(ctx, lifecycle);
    this.boostMillis = boostInterval.toMillis();
    this.executor = executor;
  }

  /**
   * A provider instance and its policies.
   *
   * @param retry the provider's retry policy, or null for the engine's
   * @param taskTypes the task types it declares it can do (failover candidates for them)
   */
  public record ProviderSlot(dev.orchestrator.spi.provider.Provider provider, int limit, @Nullable RetryPolicy retry,
      CircuitBreakerPolicy breaker, RateLimit rate, java.util.Set<String> taskTypes) {}

  // ---------------------------------------------------------------- mailbox

  /** Queues a message for the drain loop; returns false when the engine is closed and the message was dropped. */
  private boolean post(Runnable message) {
    if (closed && !draining()) {
      log.debug("Message dropped after close");
      return false;
    }
    mailbox.offer(message);
    if (wip.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
    return true;
  }

  private boolean draining() {
    return drainer == Thread.currentThread();
  }

  private void drain() {
    drainer = Thread.currentThread();
    try {
      int missed = 1;
      while (true) {
        Runnable m;
        while ((m = mailbox.poll()) != null) {
          try {
            m.run();
          } catch (RuntimeException | Error e) {
            // A message that throws is a bug in the engine; losing the loop would lose every run.
            log.error("Engine message failed", e);
          }
        }
        try {
          dispatch();
        } catch (RuntimeException | Error e) {
          log.error("Dispatch failed", e); // a bug: the loop must go on, or every run stops
        }
        if (!mailbox.isEmpty()) {
          continue;
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          break;
        }
      }
    } finally {
      drainer = null;
    }
  }

  /**
   * Runs {@code action} in the drain loop and returns its result to the caller. From inside the loop (a listener)
   * it runs at once.
   */
  private <T> T call(Supplier<T> action) {
    if (draining()) {
      return action.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    boolean queued = post(() -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    if (!queued) {
      throw new IllegalStateException("the orchestrator is closed: build a new one");
    }
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the orchestrator is closed: build a new one");
    }
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Saves the limits given to the builder (they win over stored ones) and loads every stored limit. Runs before the
   * engine takes any work.
   */
  public void loadBudgets(List<Budget> initial) {
    budgets.load(initial);
  }

  /** Refreshes the cached limits from the stored ones (on the timer thread); returns whether any changed. */
  boolean refreshLimits(List<Budget> stored) {
    return budgets.refreshLimits(stored);
  }

  /** This engine instance's name in the store's leases. */
  public String owner() {
    return owner;
  }

  /** How long a lease lasts without renewal. */
  Duration leaseTime() {
    return leaseTime;
  }


  /** The leases of the runs this engine executes now, read on the timer thread to renew them. */
  List<RunLease> heldLeases() {
    return runs.heldLeases();
  }

  /** Stops the runs whose lease this engine lost: another engine executes them now. */
  void leasesLost(List<RunLease> lost) {
    post(() -> {
      for (RunLease l : lost) {
        RunHandle h = runs.get(l.runId());
        if (h != null && h.run().lease != null && h.run().lease.fence() == l.fence()) {
          lost(h.run());
        }
      }
    });
  }

  /** A run claimed from the store: rebuilds it (off the loop: it reads the store) and resumes it in the loop. */
  void adopt(RunLease lease) {
    // This engine's own run whose lease expired unrenewed (a long pause) and that it claimed again: it goes on
    // under the new lease, with nothing rebuilt.
    boolean mine = call(() -> {
      RunHandle h = runs.get(lease.runId());
      if (h != null && h.run().executesHere() && h.run().project.equals(lease.project())) {
        h.run().lease = lease;
        return true;
      }
      return false;
    });
    if (mine) {
      return;
    }
    RunRecord r = store.run(lease.project(), lease.runId()).orElse(null);
    if (r == null || r.status() != RunStatus.RUNNING) {
      store.releaseRun(lease);
      return;
    }
    try {
      rebuild(r, lease);
    } catch (RuntimeException e) {
      log.error("Run not adopted (project={}, run={})", r.project(), r.id(), e);
      store.releaseRun(lease);
    }
  }

  /**
   * This engine lost a run's lease (another engine claimed it after the lease expired): stops its calls without
   * writing anything, forgets its queued work, and watches the store for its end, so handles still complete.
   */
  private void lost(RunState run) {
    if (run.lost) {
      return;
    }
    log.warn("Run lease lost; another engine executes it now (project={}, run={}, engine={})", run.project, run.id,
        owner);
    forget(run);
  }

  /** Stops everything this engine does for a run, writing nothing: another engine executes it from now on. */
  private void forget(RunState run) {
    run.lost = true;
    for (TaskNode n : run.nodes) {
      CompletableFuture<ProviderResponse> f = n.call;
      if (f != null) {
        endCall(n);
        resilience.abandoned(n);
        f.cancel(true);
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


  /** Carries out commands taken from the store for the runs this engine holds. */
  void commands(List<dev.orchestrator.spi.store.Command> commands) {
    for (dev.orchestrator.spi.store.Command c : commands) {
      post(() -> execute(c));
    }
  }

  /** Applies the stored pauses (read on the timer thread): pauses and resumes what other processes changed. */
  void applyPauses(List<dev.orchestrator.spi.store.Pause> stored) {
    post(() -> {
      Map<String, String> projects = new HashMap<>();
      Map<String, String> providerPauses = new HashMap<>();
      for (dev.orchestrator.spi.store.Pause p : stored) {
        (p.kind() == dev.orchestrator.spi.store.Pause.Kind.PROJECT ? projects : providerPauses).put(p.name(), p.reason());
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


  /** The runs this engine submitted or looked up but does not execute: their handles finish when the store says. */
  List<RunHandle> watched() {
    return runs.watched();
  }

  /** A watched run finished in another engine: completes its handle with the stored snapshot. */
  void finishedElsewhere(RunHandle h, RunSnapshot snapshot) {
    post(() -> {
      RunState r = h.run();
      if (r.lease == null && !r.completion.isDone()) {
        r.record = snapshot.run();
        r.completion.complete(snapshot);
      }
    });
  }

  /** Whether this engine may take more runs now (it is open). */
  boolean accepting() {
    return !closed;
  }

  private void execute(dev.orchestrator.spi.store.Command c) {
    try {
      RunHandle h = c.runId() == null ? null : runs.get(c.runId());
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

  private void rebuild(RunRecord r, RunLease lease) {
    rebuild(r, lease, null);
  }

  /** Why the last {@link #rebuild} on this thread gave its run up, for the caller that wanted to steer it. */
  private static final ThreadLocal<String> notRebuilt = new ThreadLocal<>();

  /**
   * Rebuilds a run from the store under {@code lease} and resumes it; {@code then}, when given, runs in the loop once
   * the run is resumed and before it may finish (a steering change that made this engine take the run over).
   */
  private boolean rebuild(RunRecord r, RunLease lease, java.util.function.@Nullable Consumer<RunState> then) {
    String definition = store.definition(r.project(), r.id()).orElse("");
    if (definition.isBlank()) {
      log.warn("Run not recovered: no workflow definition stored (project={}, run={})", r.project(), r.id());
      store.releaseRun(lease);
      notRebuilt.set("no workflow definition is stored for it");
      return false;
    }
    Workflow workflow = WorkflowCodec.read(definition);
    Map<String, TaskRecord> records = new HashMap<>();
    for (TaskRecord t : store.tasks(r.project(), r.id())) {
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
            owner, problems);
        store.releaseRun(lease);
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
      if (q != null && q.answer() != null) {
        nodes[i].addDialogue(q.text(), q.answer());
      }
    }
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
    RunHandle existing = runs.get(run.id);
    if (existing != null) {
      // A handle someone holds (this engine submitted the run, or lost and regained it) now steers the rebuilt run.
      RunState before = existing.run();
      if (!before.completion.isDone()) {
        run.completion = before.completion;
      }
      run.subscribers.addAll(before.subscribers);
      existing.replace(run);
    } else {
      runs.add(run);
    }
    if (!problems.isEmpty()) {
      log.warn("Run recovered with problems (project={}, run={}, problems={})", r.project(), r.id(), problems);
    }
    post(() -> resumeRecovered(run, then));
    return true;
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

  private void resumeRecovered(RunState run, java.util.function.@Nullable Consumer<RunState> then) {
    Instant now = now();
    List<String> interrupted = new ArrayList<>();
    for (TaskNode n : run.nodes) {
      switch (n.state()) {
        case RUNNING -> {
          interrupted.add(n.id());
          Attempt last = n.record.lastAttempt();
          if (last != null && last.outcome() == null) {
            update(n, n.record.withLastAttempt(last.ended(now, Outcome.FAILED, ErrorKind.UNKNOWN,
                "interrupted: the process stopped before the call ended", dev.orchestrator.TokenUsage.NONE,
                Money.ZERO)));
          }
          lifecycle.enqueue(n);
        }
        case READY -> {
          n.lane = n.priority.ordinal();
          n.slot.enqueue(n, now.toEpochMilli());
        }
        case PAUSED, RETRY_WAIT -> lifecycle.enqueue(n);
        case AWAITING_REVIEW -> {
          // The verdict was lost with the process: the author's output is not stored until approved, so redo it.
          Attempt last = n.record.lastAttempt();
          if (last != null && last.outcome() == null) {
            update(n, n.record.withLastAttempt(last.ended(now, Outcome.FAILED, ErrorKind.UNKNOWN,
                "interrupted: the process stopped before the review ended", dev.orchestrator.TokenUsage.NONE,
                Money.ZERO)));
          }
          lifecycle.enqueue(n);
        }
        case AWAITING_INPUT -> {
          Question q = n.record.question();
          if (q != null && q.isOpen()) {
            questions.reopened(n, q);
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
    log.info("Run adopted (project={}, run={}, engine={}, interrupted={})", run.project, run.id, owner, interrupted);
    emit(run, new dev.orchestrator.event.RunRecoveredEvent(run.project, run.id, now, interrupted));
    if (then != null) {
      then.accept(run);
    }
    lifecycle.maybeFinish(run);
  }

  // ---------------------------------------------------------------- submit

  /** Validates and submits a run, executed by this engine; nothing is stored when anything is wrong. */
  public Run submit(String project, Workflow workflow, Map<String, ?> params) {
    return submit(project, workflow, params, true);
  }

  /**
   * Validates and stores a run for any engine sharing the store to claim and execute (this one too, if it claims
   * runs); the handle follows it through the store. Nothing is stored when anything is wrong.
   */
  public Run enqueue(String project, Workflow workflow, Map<String, ?> params) {
    return submit(project, workflow, params, false);
  }

  private Run submit(String project, Workflow workflow, Map<String, ?> params, boolean here) {
    checkOpen();
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(params, "params");
    Submissions.checkProject(store, project);
    List<String> problems = new ArrayList<>();
    Map<String, String> values = Submissions.values(workflow, params, problems);
    List<TaskSpec> specs = workflow.tasks();
    Slot[][] chosen = new Slot[specs.size()][];
    Slot[][] reviewers = new Slot[specs.size()][];
    // Tasks naming the same providers and type share one candidates array.
    Map<List<Object>, Slot[]> shared = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      List<Object> key = List.of(spec.providers(), spec.taskType());
      Slot[] c = shared.get(key);
      if (c == null) {
        c = providers.candidates(spec, problems);
        if (c != null) {
          shared.put(key, c);
        }
      }
      chosen[i] = c;
      reviewers[i] = providers.reviewers(spec, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(workflow.name(), problems);
    }

    String runId = UUID.randomUUID().toString();
    Instant now = now();
    RunRecord runRecord = new RunRecord(project, runId, workflow.name(), RunStatus.RUNNING, values, now, null, null);
    RunState run = new RunState(runId, project, workflow, Map.copyOf(values), runRecord);
    TaskNode[] nodes = new TaskNode[specs.size()];
    List<TaskRecord> records = new ArrayList<>(specs.size());
    int[] dependentCounts = new int[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      List<String> deps = spec.dependsOn();
      int[] depIdx = deps.isEmpty() ? TaskNode.EMPTY : new int[deps.size()];
      for (int d = 0; d < depIdx.length; d++) {
        depIdx[d] = workflow.indexOf(deps.get(d));
        dependentCounts[depIdx[d]]++;
      }
      PromptTemplate titled = workflow.titleIfTemplated(i);
      String title = titled == null ? spec.title() : titled.render(values::get);
      TaskRecord record = TaskRecord.created(project, runId, spec.id(), title, spec.priority(), now);
      nodes[i] = new TaskNode(run, spec, i, depIdx, chosen[i], record);
      nodes[i].reviewers = reviewers[i];
      records.add(record);
    }
    for (int i = 0; i < nodes.length; i++) {
      if (dependentCounts[i] > 0) {
        nodes[i].dependents = new int[dependentCounts[i]];
        dependentCounts[i] = 0;
      }
    }
    for (TaskNode n : nodes) {
      for (int d : n.dependencies) {
        nodes[d].dependents[dependentCounts[d]++] = n.index;
      }
    }
    run.nodes = nodes;
    run.unfinished = nodes.length;
    // The definition is stored in every store: any engine sharing it may have to rebuild the run.
    run.lease = store.createRun(runRecord, WorkflowCodec.write(workflow), records, here ? owner : null, leaseTime);
    RunHandle handle = runs.add(run);
    if (here) {
      post(() -> lifecycle.start(run));
    }
    return handle;
  }

  // ---------------------------------------------------------------- transitions

  /** Queues a command for the engine that executes {@code run} now, whichever process that is. */
  private void command(RunState run, dev.orchestrator.spi.store.Command.Kind kind, @Nullable String target, String by,
      String text) {
    store.submitCommand(new dev.orchestrator.spi.store.Command(UUID.randomUUID().toString(), kind, run.project,
        run.id, target, by, text, now()));
  }

  /**
   * Pauses a project in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish.
   */
  public void pauseProject(String project, String reason) {
    Submissions.checkName(project);
    Checks.text("reason", reason);
    store.savePause(new dev.orchestrator.spi.store.Pause(dev.orchestrator.spi.store.Pause.Kind.PROJECT, project,
        reason, now()));
    call(() -> {
      if (pauseProjectNow(project, reason)) {
        emit(null, new dev.orchestrator.event.ProjectPausedEvent(project, now(), reason));
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
  public void resumeProject(String project) {
    Submissions.checkName(project);
    store.deletePause(dev.orchestrator.spi.store.Pause.Kind.PROJECT, project);
    call(() -> {
      if (resumeProjectNow(project)) {
        emit(null, new dev.orchestrator.event.ProjectResumedEvent(project, now()));
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
  public @Nullable String projectPause(String project) {
    return projectPauses.reason(project);
  }

  private void dispatch() {
    long now = clock.millis();
    for (Slot slot : providers.all()) {
      while (slot.hasWork() && slot.inFlight < slot.limit && !slot.paused) {
        if (!resilience.mayStart(slot, now)) {
          break;
        }
        boolean probe = resilience.isProbe(slot);
        TaskNode n = slot.take(now, boostMillis, booster);
        if (n.run.lost) {
          continue; // queued before the lease was lost: another engine runs it now
        }
        try {
          ProviderRequest request = n.reviewing ? reviews.request(n) : guards.prompt(n, Prompts.request(n));
          if (request == null || !budgets.reserve(n, slot, request)) {
            continue;
          }
          resilience.started(n, slot, probe);
          startCall(n, slot, request);
        } catch (RuntimeException e) {
          dispatchFailed(n, slot, e);
        }
      }
    }
  }

  /**
   * A task could not be started because the store failed (it could not reserve the call's cost, or write its
   * state): it goes back to its lane after a pause, so one store failure loses no task and stops no other. A lease
   * found lost means another engine executes the run now.
   */
  private void dispatchFailed(TaskNode n, Slot slot, RuntimeException e) {
    RunLease lease = n.run.lease;
    if (lease != null && !n.run.lost && store.lease(n.run.project, n.run.id).map(l -> l.fence() != lease.fence()
        || !l.owner().equals(owner)).orElse(false)) {
      lost(n.run);
      return;
    }
    log.warn("Task not started; trying again in {} (project={}, run={}, task={}, provider={}): {}", DISPATCH_RETRY,
        n.run.project, n.run.id, n.id(), slot.name, e.toString());
    n.timer = scheduler.schedule(() -> post(() -> {
      n.timer = null;
      if (!n.run.lost && n.state() == TaskState.READY) {
        n.slot.enqueue(n, clock.millis());
      }
    }), DISPATCH_RETRY);
  }

  private static final Duration DISPATCH_RETRY = Duration.ofSeconds(1);

  // ---------------------------------------------------------------- budgets

  private void startCall(TaskNode n, Slot slot, ProviderRequest request) {
    Instant now = now();
    n.callSlot = slot;
    if (n.reviewing) {
      update(n, n.record.withAttemptStarted(slot.name, now));
    } else {
      update(n, n.record.start(slot.name, now));
    }
    int attempt = n.record.attempts().size();
    if (!n.reviewing) {
      emit(n.run, new TaskStartedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, slot.name, attempt));
    }
    slot.inFlight++;
    TaskSpec spec = n.spec;
    CompletableFuture<ProviderResponse> call;
    MDC.put(MdcKeys.PROJECT, n.run.project);
    MDC.put(MdcKeys.RUN, n.run.id);
    MDC.put(MdcKeys.TASK, n.id());
    try {
      call = slot.provider.complete(request, new CallContext(n.run.project, n.run.id, n.id(), attempt));
      if (call == null) {
        call = CompletableFuture.failedFuture(new ProviderException(slot.name, ErrorKind.UNKNOWN,
            "provider returned no future (a bug in " + slot.provider.getClass().getName() + ")"));
      }
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    } finally {
      MDC.remove(MdcKeys.PROJECT);
      MDC.remove(MdcKeys.RUN);
      MDC.remove(MdcKeys.TASK);
    }
    CompletableFuture<ProviderResponse> f = call;
    n.call = f;
    resilience.called(slot, request, now.toEpochMilli());
    Duration timeout = spec.timeout() != null ? spec.timeout() : policy(n).attemptTimeout();
    if (timeout != null && !f.isDone()) {
      n.timer = scheduler.schedule(() -> post(() -> onTimeout(n, f)), timeout);
    }
    if (n.reviewing) {
      f.whenComplete((response, error) -> post(() -> onReviewEnded(n, f, response, error)));
    } else {
      f.whenComplete((response, error) -> post(() -> onCallEnded(n, f, response, error)));
    }
  }

  private RetryPolicy policy(TaskNode n) {
    if (n.spec.retry() != null) {
      return n.spec.retry();
    }
    return n.slot.retry != null ? n.slot.retry : retryPolicy;
  }

  private void onCallEnded(TaskNode n, CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse response,
      @Nullable Throwable error) {
    if (n.call != f) {
      return; // cancelled or timed out already; this late result is dropped
    }
    endCall(n);
    budgets.settle(n, error == null && response != null ? response.cost().amount() : BigDecimal.ZERO);
    if (error == null && response == null) {
      error = new ProviderException(n.slot.name, ErrorKind.MALFORMED_RESPONSE, "provider completed with no response");
    }
    Instant now = now();
    if (error != null) {
      Throwable cause = unwrap(error);
      ErrorKind kind = classify(cause);
      String message = cause instanceof ProviderException pe ? pe.getMessage() : String.valueOf(cause);
      Attempt ended = n.record.lastAttempt().ended(now, Outcome.FAILED, kind, message,
          dev.orchestrator.TokenUsage.NONE, Money.ZERO);
      update(n, n.record.withLastAttempt(ended));
      resilience.ended(n, kind);
      afterFailure(n, kind, message, cause instanceof ProviderException pe ? pe.retryAfter() : null);
      return;
    }
    resilience.ended(n, null);
    Attempt last = n.record.lastAttempt();
    if (response.question() != null) {
      update(n, n.record.withLastAttempt(last.ended(now, Outcome.ASKED_FOR_INPUT, null, null, response.usage(),
          response.cost())));
      questions.ask(n, response.question());
      return;
    }
    update(n, n.record.withLastAttempt(last.ended(now, Outcome.SUCCEEDED, null, null, response.usage(),
        response.cost())));
    String text = guards.output(n, response.text());
    if (text == null) {
      return; // blocked, or sent back for one repair
    }
    if (n.spec.review() != null && n.reviewers.length > 0) {
      reviews.await(n, text);
      return;
    }
    lifecycle.succeed(n, text, TaskState.RUNNING, response.usage(), response.cost());
  }

  // ---------------------------------------------------------------- guards

  // ---------------------------------------------------------------- peer review

  private void onReviewEnded(TaskNode n, CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse response,
      @Nullable Throwable error) {
    if (n.call != f) {
      return;
    }
    endCall(n);
    budgets.settle(n, error == null && response != null ? response.cost().amount() : BigDecimal.ZERO);
    Instant now = now();
    Verdicts.Verdict verdict = null;
    if (error == null && response != null) {
      verdict = Verdicts.parse(response.text());
      if (verdict == null) {
        error = new ProviderException(n.callSlot.name, ErrorKind.MALFORMED_RESPONSE,
            "the reviewer's reply is not a verdict (JSON with approved, score and feedback)");
      }
    } else if (error == null) {
      error = new ProviderException(n.callSlot.name, ErrorKind.MALFORMED_RESPONSE, "reviewer completed with no reply");
    }
    Attempt last = n.record.lastAttempt();
    if (error != null) {
      Throwable cause = unwrap(error);
      ErrorKind kind = classify(cause);
      String message = cause instanceof ProviderException pe ? pe.getMessage() : String.valueOf(cause);
      update(n, n.record.withLastAttempt(last.ended(now, Outcome.FAILED, kind, message,
          response == null ? dev.orchestrator.TokenUsage.NONE : response.usage(),
          response == null ? Money.ZERO : response.cost())));
      resilience.ended(n, kind);
      RetryPolicy p = policy(n);
      if (p.retries(kind, n.record.attempts().size())) {
        Duration delay = p.backoff(n.record.attempts().size());
        n.timer = scheduler.schedule(() -> post(() -> {
          n.timer = null;
          if (n.reviewing && n.state() == TaskState.AWAITING_REVIEW) {
            n.reviewSlot.enqueue(n, clock.millis());
          }
        }), delay);
      } else {
        n.reviewing = false;
        lifecycle.fail(n, kind, "review failed: " + message);
      }
      return;
    }
    resilience.ended(n, null);
    reviews.judged(n, verdict, response, now);
  }

  private void onTimeout(TaskNode n, CompletableFuture<ProviderResponse> f) {
    if (n.call != f) {
      return;
    }
    n.timer = null;
    Duration limit = n.spec.timeout() != null ? n.spec.timeout() : policy(n).attemptTimeout();
    stopCall(n, Outcome.TIMED_OUT, ErrorKind.TIMEOUT);
    resilience.ended(n, ErrorKind.TIMEOUT);
    afterFailure(n, ErrorKind.TIMEOUT, "no reply within " + limit, null);
  }

  /** Retries the task after its backoff (failing over after repeated failures on one provider), or fails it. */
  private void afterFailure(TaskNode n, ErrorKind kind, String message, @Nullable Duration retryAfter) {
    RetryPolicy p = policy(n);
    int attempt = n.record.attempts().size();
    if (!p.retries(kind, attempt)) {
      lifecycle.fail(n, kind, message);
      return;
    }
    n.failuresOnSlot++;
    if (n.failuresOnSlot >= p.failoverAfter() || !n.slot.available()) {
      Slot next = Providers.nextCandidate(n);
      if (next != null) {
        n.slot = next;
        n.failuresOnSlot = 0;
      }
    }
    Duration delay = p.backoff(attempt);
    if (p.jitter() > 0) {
      long nanos = delay.toNanos();
      delay = Duration.ofNanos(Math.max(0, nanos + (long) ((jitter.nextDouble() * 2 - 1) * p.jitter() * nanos)));
    }
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    Instant now = now();
    update(n, n.record.moveTo(TaskState.RETRY_WAIT, now).withError(kind, message));
    log.info("Retry scheduled (project={}, run={}, task={}, attempt={}, provider={}, delay={}, kind={})",
        n.run.project, n.run.id, n.id(), attempt + 1, n.slot.name, delay, kind);
    emit(n.run, new TaskRetryScheduledEvent(n.run.project, n.run.id, n.id(), now, TaskState.RUNNING, delay,
        attempt + 1, kind));
    n.timer = scheduler.schedule(() -> post(() -> retryDue(n)), delay);
  }

  private void retryDue(TaskNode n) {
    if (n.state() == TaskState.RETRY_WAIT) {
      n.timer = null;
      lifecycle.enqueue(n);
    }
  }

  /** Frees the slot and the timer of the call in flight. */
  private void endCall(TaskNode n) {
    n.call = null;
    n.callSlot.inFlight--;
    if (n.timer != null) {
      n.timer.cancel();
      n.timer = null;
    }
  }

  /** Cancels the call in flight (a process-based provider destroys its process) and records how the attempt ended. */
  private void stopCall(TaskNode n, Outcome outcome, ErrorKind kind) {
    CompletableFuture<ProviderResponse> f = n.call;
    endCall(n);
    budgets.settle(n, BigDecimal.ZERO);
    if (outcome == Outcome.CANCELLED) {
      resilience.abandoned(n);
    }
    if (f != null) {
      f.cancel(true);
    }
    Attempt last = n.record.lastAttempt();
    if (last != null && last.outcome() == null) {
      update(n, n.record.withLastAttempt(last.ended(now(), outcome, kind, null,
          dev.orchestrator.TokenUsage.NONE, Money.ZERO)));
    }
  }

  private Instant now() {
    return ctx.now();
  }

  private void update(TaskNode n, TaskRecord r) {
    ctx.update(n, r);
  }

  private void updateRun(RunState run) {
    ctx.updateRun(run);
  }

  private void emit(@Nullable RunState run, Event event) {
    events.emit(run, event);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static ErrorKind classify(Throwable t) {
    if (t instanceof ProviderException pe) {
      return pe.kind();
    }
    if (t instanceof CancellationException) {
      return ErrorKind.CANCELLED;
    }
    if (t instanceof TimeoutException) {
      return ErrorKind.TIMEOUT;
    }
    return ErrorKind.UNKNOWN;
  }

  // ---------------------------------------------------------------- steering

  // ---------------------------------------------------------------- steering, whichever engine executes the run

  /**
   * Carries out a change to a run: at once in this engine's loop when it executes the run; after taking the run over
   * when no live engine holds it (its engine stopped, or, with {@code reopen}, it finished); otherwise by a command
   * stored for the engine that holds it, which acts within about a second. Exceptions of {@code action} reach the
   * caller.
   *
   * @param reopen whether a finished run is opened again for the change (to resume a task); else a change to a
   *     finished run is dropped
   */
  private void steer(RunHandle h, boolean reopen, java.util.function.Consumer<RunState> action,
      dev.orchestrator.spi.store.Command.Kind kind, @Nullable String target, String by, String text) {
    checkOpen();
    boolean done = call(() -> {
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
    RunRecord stored = store.run(run.project, run.id).orElseThrow(() -> new IllegalArgumentException(
        "project " + run.project + " has no run " + run.id));
    if (stored.status() != RunStatus.RUNNING && !reopen) {
      return; // nothing to change in a finished run
    }
    RunLease lease = store.acquireRun(run.project, run.id, owner, leaseTime).orElse(null);
    if (lease == null) {
      String holder = store.lease(run.project, run.id).map(RunLease::owner).orElse("another engine");
      store.submitCommand(new dev.orchestrator.spi.store.Command(UUID.randomUUID().toString(), kind, run.project,
          run.id, target, by, text, now()));
      log.info("Command stored for the engine that executes the run (kind={}, project={}, run={}, engine={})", kind,
          run.project, run.id, holder);
      return;
    }
    CompletableFuture<Void> applied = new CompletableFuture<>();
    boolean reopened = stored.status() != RunStatus.RUNNING;
    boolean rebuilt0 = rebuild(store.run(run.project, run.id).orElseThrow(), lease, rebuilt -> {
      try {
        if (reopened) {
          emit(rebuilt, new RunReopenedEvent(rebuilt.project, rebuilt.id, now(), target == null ? "" : target));
        }
        action.accept(rebuilt);
        applied.complete(null);
      } catch (RuntimeException e) {
        applied.completeExceptionally(e);
      }
    });
    if (!rebuilt0) {
      String why = notRebuilt.get();
      notRebuilt.remove();
      throw new IllegalStateException("run " + run.id + " cannot be taken over by engine " + owner + ": " + why
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
        dev.orchestrator.spi.store.Command.Kind.PRIORITY, taskId, "api", priority.name());
  }

  void cancelTask(RunHandle h, String taskId, String by, String reason) {
    Checks.task(h.run(), taskId);
    Checks.text("by", by);
    Checks.text("reason", reason);
    steer(h, false, run -> cancelTaskHere(run, taskId, by, reason), dev.orchestrator.spi.store.Command.Kind.CANCEL,
        taskId, by, reason);
  }

  private void cancelTaskHere(RunState run, String taskId, String by, String reason) {
    cancel(Checks.node(run, taskId), new Cancellation(by, reason, now()), true);
    lifecycle.maybeFinish(run);
  }

  void cancelRun(RunHandle h, String by, String reason) {
    Checks.text("by", by);
    Checks.text("reason", reason);
    steer(h, false, run -> cancelRunHere(run, by, reason), dev.orchestrator.spi.store.Command.Kind.CANCEL, null, by,
        reason);
  }

  private void cancelRunHere(RunState run, String by, String reason) {
    if (run.record.status() != RunStatus.RUNNING) {
      return;
    }
    Cancellation c = new Cancellation(by, reason, now());
    run.record = run.record.withCancellation(c);
    updateRun(run);
    for (TaskNode n : run.nodes) {
      cancel(n, c, false);
    }
    lifecycle.maybeFinish(run);
  }

  void resume(RunHandle h, String taskId) {
    Checks.task(h.run(), taskId);
    steer(h, true, run -> resumeHere(run, taskId), dev.orchestrator.spi.store.Command.Kind.RESUME, taskId, "api",
        "resume");
  }

  private void cancel(TaskNode n, Cancellation c, boolean skipDependants) {
    TaskState from = n.state();
    if (from.isTerminal()) {
      return;
    }
    switch (from) {
      case RUNNING -> stopCall(n, Outcome.CANCELLED, ErrorKind.CANCELLED);
      case READY -> n.slot.remove(n);
      case AWAITING_INPUT -> questions.close(n);
      case AWAITING_REVIEW -> {
        if (n.call != null) {
          stopCall(n, Outcome.CANCELLED, ErrorKind.CANCELLED);
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
    update(n, n.record.moveTo(TaskState.CANCELLED, c.at()).withCancellation(c));
    log.info("Task cancelled (project={}, run={}, task={}, by={})", n.run.project, n.run.id, n.id(), c.by());
    emit(n.run, new TaskCancelledEvent(n.run.project, n.run.id, n.id(), c.at(), from, c.by(), c.reason()));
    lifecycle.finished(n);
    if (skipDependants) {
      lifecycle.skipDependants(n);
    }
  }

  private void resumeHere(RunState run, String taskId) {
    TaskNode n = Checks.node(run, taskId);
    call(() -> {
      TaskState s = n.state();
      if (s != TaskState.CANCELLED && s != TaskState.FAILED) {
        throw new IllegalStateException("task '" + taskId + "' is " + s + ": only a CANCELLED or FAILED task can be "
            + "resumed");
      }
      for (int d : n.dependencies) {
        TaskNode dep = run.nodes[d];
        TaskState ds = dep.state();
        if (ds == TaskState.FAILED || ds == TaskState.CANCELLED || ds == TaskState.SKIPPED) {
          throw new IllegalStateException("task '" + taskId + "' waits for '" + dep.id() + "', which is " + ds
              + ": resume '" + dep.id() + "' instead (its dependants come back with it)");
        }
      }
      reopenIfFinished(run, taskId);
      Instant now = now();
      update(n, n.record.cleared().withCancellation(null));
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
    java.util.TreeSet<Integer> candidates = new java.util.TreeSet<>();
    ArrayDeque<TaskNode> todo = new ArrayDeque<>();
    todo.add(origin);
    while (!todo.isEmpty()) {
      for (int d : todo.poll().dependents) {
        if (nodes[d].state() == TaskState.SKIPPED && candidates.add(d)) {
          todo.add(nodes[d]);
        }
      }
    }
    Instant now = now();
    for (int i : candidates) {
      TaskNode n = nodes[i];
      boolean viable = true;
      for (int d : n.dependencies) {
        TaskState ds = nodes[d].state();
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
    RunLease lease = store.acquireRun(run.project, run.id, owner, leaseTime).orElseThrow(() ->
        new IllegalStateException("run " + run.id + " is held by another engine: resume it there"));
    run.lease = lease;
    runs.reopened(run);
    runs.addIfAbsent(run);
    run.record = run.record.withStatus(RunStatus.RUNNING, null).withCancellation(null);
    run.completion = new CompletableFuture<>();
    updateRun(run);
    emit(run, new RunReopenedEvent(run.project, run.id, now(), taskId));
  }

  /** Answers an open question; the task goes back to its queue with the answer in its prompt. */
  public void answer(String questionId, String text) {
    checkOpen();
    Objects.requireNonNull(questionId, "questionId");
    Checks.text("answer", text);
    boolean here = call(() -> questions.askedHere(questionId));
    if (here) {
      call(() -> {
        answerHere(questionId, text);
        return null;
      });
      return;
    }
    Question q = questions.stored(questionId);
    if (q == null) {
      throw questions.unknown(questionId);
    }
    RunHandle h = (RunHandle) Objects.requireNonNull(run(q.project(), q.runId()));
    steer(h, false, run -> answerHere(questionId, text), dev.orchestrator.spi.store.Command.Kind.ANSWER,
        questionId, "api", text);
  }



  /** Answers a question asked by a task of this engine; the task goes back to its queue with the answer. */
  private void answerHere(String questionId, String text) {
    lifecycle.enqueue(questions.answerHere(questionId, text));
  }

  /** The open questions of a project, whichever engine's tasks asked them, oldest first. */
  public List<Question> questions(String project) {
    return questions.questions(project);
  }

  /** Pauses a provider in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish. */
  public void pauseProvider(String name, String reason) {
    resilience.pauseProvider(name, reason);
  }

  /** Resumes a paused provider in every engine: its paused tasks are queued again, in the order they were paused. */
  public void resumeProvider(String name) {
    resilience.resumeProvider(name);
  }

  /** A provider's circuit breaker now. */
  public CircuitState circuit(String name) {
    return resilience.circuit(name);
  }

  /** Failure patterns of the attempts that ended within {@code window} before now. */
  public FailureReport failureReport(Duration window) {
    return resilience.failureReport(window);
  }

  /** Sets or replaces a limit for every engine sharing the store; tasks it held back and that now fit resume. */
  public void setBudget(Budget budget) {
    budgets.set(budget);
  }

  /** Removes a limit; returns whether there was one. */
  public boolean removeBudget(BudgetScope scope) {
    return budgets.remove(scope);
  }

  /** Every limit set. */
  public List<Budget> budgets() {
    return budgets.budgets();
  }

  /** The cost report of one project, or of everything when {@code project} is null. */
  public CostReport costReport(@Nullable String project) {
    return budgets.costReport(project);
  }

  /**
   * A dry run: waves, providers, estimates, totals against budgets and problems, without calling any provider or
   * changing any state.
   */
  public Plan plan(String project, Workflow workflow, Map<String, ?> params) {
    return planner.plan(project, workflow, params);
  }

  /** The handle of a run of a project, or null. */
  public @Nullable Run run(String project, String runId) {
    RunHandle h = runs.get(runId);
    if (h != null) {
      return h.project().equals(project) ? h : null;
    }
    // A run of another engine (or of an earlier process): followed through the store, steered by command.
    RunRecord r = store.run(project, runId).orElse(null);
    String definition = r == null ? "" : store.definition(project, runId).orElse("");
    if (r == null || definition.isBlank()) {
      return null;
    }
    RunState run = new RunState(r.id(), r.project(), WorkflowCodec.read(definition), r.params(), r);
    if (r.status() != RunStatus.RUNNING) {
      run.completion.complete(new RunSnapshot(r, store.tasks(project, runId)));
    }
    return runs.addIfAbsent(run);
  }

  /** Emits an event from outside the engine, in the drain loop. */
  public void publish(Event event) {
    events.publish(event);
  }

  Run.Subscription subscribe(RunHandle h, EventListener listener) {
    return events.subscribe(h, listener);
  }

  /** Delivers every later event to {@code listener} until the subscription is closed. */
  public Run.Subscription subscribe(EventListener listener) {
    return events.subscribe(listener);
  }

  /** The names of the provider instances, sorted. */
  public List<String> providers() {
    return providers.names().stream().sorted().toList();
  }

  Store store() {
    return store;
  }

  /**
   * Stops accepting work and gives every run it executes back to the store for other engines (see {@link
   * #releaseAll()}). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      call(() -> {
        releaseAll();
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("Leases not released on close; other engines take the runs over when they expire", e);
    }
    closed = true;
    log.info("Orchestrator closed (engine={}, runs={})", owner, runs.size());
  }

  /**
   * Gives up every run this engine executes, so another engine can take each over at once instead of waiting for
   * its lease to expire. Calls in flight are cancelled: a closed engine could not record their results, and the engine
   * that takes the run over repeats them (their attempts are marked interrupted).
   */
  private void releaseAll() {
    for (RunHandle h : runs.all()) {
      RunState run = h.run();
      RunLease lease = run.lease;
      if (lease == null || run.lost || run.record.status() != RunStatus.RUNNING) {
        continue;
      }
      forget(run);
      store.releaseRun(lease);
      log.info("Run released for other engines (project={}, run={}, engine={})", run.project, run.id, owner);
    }
  }

}
