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
  private final Map<String, Slot> slots;
  private final Slot[] slotArray;
  private final @Nullable String defaultProvider;
  private final Runs runs;
  private final Events events;
  private final EngineContext ctx;
  private final long boostMillis;
  private final Executor executor;
  private final RetryPolicy retryPolicy;
  private final List<Guard> guards;
  private final dev.orchestrator.spi.store.Ledger ledger;
  /** The stored limits by scope, refreshed from the store by {@link StoreSync}; read by any thread. */
  private final ConcurrentHashMap<BudgetScope, Budget> limits = new ConcurrentHashMap<>();
  private final ZoneId budgetZone;
  /** This engine instance's name in the store's leases. */
  private final String owner;
  private final Duration leaseTime;
  /** Tasks a budget holds back, oldest first. Confined to the drain loop. */
  private final List<TaskNode> budgetPaused = new ArrayList<>();
  /** The accounts whose limit currently stops work (each announced once). Confined to the drain loop. */
  private final java.util.Set<Account> limitReached = new java.util.HashSet<>();
  private Scheduler.@Nullable Cancellable midnightTimer;
  /** Settled cost by project, provider, task type and day, for reports. Confined to the drain loop. */
  private final Map<SpendKey, BigDecimal> spending = new HashMap<>();
  /** Review scores by reviewer/author/task type: sum and count, for learning. Confined to the drain loop. */
  private final Map<String, int[]> reviewScores = new HashMap<>();
  /** Paused projects and why: read by any thread, written in the drain loop. */
  private final ConcurrentHashMap<String, String> pausedProjects = new ConcurrentHashMap<>();
  /** Confined to the drain loop. */
  private final Map<String, List<TaskNode>> projectPausedNodes = new HashMap<>();

  private record SpendKey(String project, String provider, String taskType, LocalDate day) {}
  private final java.util.Random jitter = new java.util.Random();
  /** The outcome of every ended attempt, newest last, at most {@link #ATTEMPT_LOG_SIZE}. Confined to the drain loop. */
  private final ArrayDeque<AttemptOutcome> attemptLog = new ArrayDeque<>();
  private static final int ATTEMPT_LOG_SIZE = 100_000;

  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  /** The thread draining the mailbox, or null. */
  private volatile @Nullable Thread drainer;
  private volatile boolean closed;

  /** Open questions, by id: read by any thread, written in the drain loop. */
  private final ConcurrentHashMap<String, Question> openQuestions = new ConcurrentHashMap<>();
  /** Confined to the drain loop. */
  private final Map<String, TaskNode> questionNodes = new HashMap<>();
  /** Confined to the drain loop. */
  private final java.util.Set<String> answered = new java.util.HashSet<>();

  /** Called when aging moves a task up a lane. */
  interface Booster {
    void boosted(TaskNode node, int fromLane, int toLane);
  }

  private final Booster booster = this::onBoosted;

  /**
   * @param slots provider instances by lower-case name, with their limits
   */
  public Engine(Clock clock, Scheduler scheduler, Store store, Map<String, ProviderSlot> slots,
      @Nullable String defaultProvider, List<EventListener> listeners, Duration boostInterval, Executor executor,
      RetryPolicy retryPolicy, ZoneId budgetZone, List<Guard> guards, String owner, Duration leaseTime) {
    this.clock = clock;
    this.guards = List.copyOf(guards);
    this.ledger = store.ledger();
    this.owner = owner;
    this.leaseTime = leaseTime;
    this.budgetZone = budgetZone;
    this.scheduler = scheduler;
    this.store = store;
    this.retryPolicy = retryPolicy;
    Map<String, Slot> s = new LinkedHashMap<>();
    slots.forEach((name, ps) -> {
      Slot slot = new Slot(ps.provider(), name, ps.limit(), ps.retry(), ps.breaker(), ps.rate(), ps.taskTypes());
      slot.breaker = breaker(slot);
      s.put(name, slot);
    });
    this.slots = s;
    this.slotArray = s.values().toArray(new Slot[0]);
    this.defaultProvider = defaultProvider;
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

  /** One ended attempt, for failure analysis. */
  private record AttemptOutcome(String provider, String taskType, @Nullable ErrorKind kind, Instant at) {}

  private CircuitBreaker<Object> breaker(Slot slot) {
    // Failsafe holds the state machine and calls these listeners on each transition. The failure threshold is never
    // consulted in the closed state (the engine counts failures in its own window, on the injected clock, and opens
    // the breaker), and the delay never elapses (the engine half-opens it through the injected scheduler).
    return CircuitBreaker.builder()
        .withFailureThreshold(1)
        .withSuccessThreshold(slot.breakerPolicy.probes())
        .withDelay(Duration.ofDays(365L * 100))
        .onOpen(e -> onCircuitOpened(slot))
        .onHalfOpen(e -> emit(null, new CircuitHalfOpenedEvent(slot.name, now())))
        .onClose(e -> onCircuitClosed(slot))
        .build();
  }

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
    for (Budget b : initial) {
      store.saveBudget(b);
    }
    refreshLimits(store.budgets());
  }

  /**
   * Replaces the cached limits with the stored ones (read on a timer thread); when any changed, tasks that a budget
   * held back and that now fit resume. Returns whether any changed.
   */
  boolean refreshLimits(List<Budget> stored) {
    Map<BudgetScope, Budget> now = new HashMap<>();
    for (Budget b : stored) {
      now.put(b.scope(), b);
    }
    if (now.equals(limits)) {
      return false;
    }
    limits.keySet().retainAll(now.keySet());
    limits.putAll(now);
    post(() -> {
      limitReached.removeIf(k -> !limits.containsKey(k.scope()));
      limitReached.clear();
      resumeBudgetPaused();
    });
    return true;
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
        if (n.probe) {
          n.probe = false;
          n.callSlot.probeInFlight = false;
        }
        f.cancel(true);
      }
      if (n.timer != null) {
        n.timer.cancel();
        n.timer = null;
      }
      n.slot.remove(n);
      n.reviewSlot.remove(n);
      n.slot.pausedNodes.remove(n);
      budgetPaused.remove(n);
      List<TaskNode> waiting = projectPausedNodes.get(run.project);
      if (waiting != null) {
        waiting.remove(n);
      }
      closeQuestion(n);
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
      Map<String, String> providers = new HashMap<>();
      for (dev.orchestrator.spi.store.Pause p : stored) {
        (p.kind() == dev.orchestrator.spi.store.Pause.Kind.PROJECT ? projects : providers).put(p.name(), p.reason());
      }
      projects.forEach((name, reason) -> {
        if (!pausedProjects.containsKey(name)) {
          pauseProjectNow(name, reason);
        }
      });
      for (String name : List.copyOf(pausedProjects.keySet())) {
        if (!projects.containsKey(name)) {
          resumeProjectNow(name);
        }
      }
      for (Slot slot : slotArray) {
        String reason = providers.get(slot.name);
        if (reason != null && !slot.paused) {
          pauseProviderNow(slot, reason);
        } else if (reason == null && slot.paused) {
          resumeProviderNow(slot);
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
            changePriorityHere(h.run(), node(h.run(), c.target()), Priority.valueOf(c.text()));
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
      Slot[] candidates = candidates(spec, problems);
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
      nodes[i].reviewers = reviewers(spec, problems);
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
          enqueue(n);
        }
        case READY -> {
          n.lane = n.priority.ordinal();
          n.slot.enqueue(n, now.toEpochMilli());
        }
        case PAUSED, RETRY_WAIT -> enqueue(n);
        case AWAITING_REVIEW -> {
          // The verdict was lost with the process: the author's output is not stored until approved, so redo it.
          Attempt last = n.record.lastAttempt();
          if (last != null && last.outcome() == null) {
            update(n, n.record.withLastAttempt(last.ended(now, Outcome.FAILED, ErrorKind.UNKNOWN,
                "interrupted: the process stopped before the review ended", dev.orchestrator.TokenUsage.NONE,
                Money.ZERO)));
          }
          enqueue(n);
        }
        case AWAITING_INPUT -> {
          Question q = n.record.question();
          if (q != null && q.isOpen()) {
            n.openQuestionId = q.id();
            questionNodes.put(q.id(), n);
            openQuestions.put(q.id(), q);
          } else {
            enqueue(n);
          }
        }
        case BLOCKED -> {
          if (n.pending == 0) {
            becomeReady(n);
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
    maybeFinish(run);
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
        c = candidates(spec, problems);
        if (c != null) {
          shared.put(key, c);
        }
      }
      chosen[i] = c;
      reviewers[i] = reviewers(spec, problems);
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
      post(() -> start(run));
    }
    return handle;
  }

  /** The task's reviewers in order; empty without a review, and a problem for each unknown one. */
  private Slot[] reviewers(TaskSpec spec, List<String> problems) {
    Review review = spec.review();
    if (review == null) {
      return NO_SLOTS;
    }
    List<Slot> out = new ArrayList<>();
    for (String name : review.reviewers()) {
      Slot s = slots.get(name);
      if (s == null) {
        problems.add("task '" + spec.id() + "' names reviewer '" + name + "', which is not configured (configured: "
            + slots.keySet() + "): configure it or fix the name");
      } else {
        out.add(s);
      }
    }
    return out.toArray(new Slot[0]);
  }

  private static final Slot[] NO_SLOTS = new Slot[0];

  /** The task's candidates: its providers in order, then those declaring its task type; null with a problem. */
  private Slot @Nullable [] candidates(TaskSpec spec, List<String> problems) {
    List<Slot> out = new ArrayList<>(2);
    if (spec.providers().isEmpty()) {
      if (defaultProvider != null) {
        out.add(slots.get(defaultProvider));
      } else if (slots.size() == 1) {
        out.add(slotArray[0]);
      } else {
        problems.add("task '" + spec.id() + "' names no provider and there is no default among " + slots.keySet()
            + ": call provider(...) on the task or defaultProvider(...) on the orchestrator");
        return null;
      }
    }
    for (String name : spec.providers()) {
      Slot s = slots.get(name.toLowerCase(Locale.ROOT));
      if (s == null) {
        problems.add("task '" + spec.id() + "' names provider '" + name + "', which is not configured (configured: "
            + slots.keySet() + "): configure it or fix the name");
      } else {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    for (Slot s : slotArray) {
      if (!out.contains(s) && s.taskTypes.contains(spec.taskType())) {
        out.add(s);
      }
    }
    return out.toArray(new Slot[0]);
  }

  // ---------------------------------------------------------------- transitions

  private void start(RunState run) {
    emit(run, new RunSubmittedEvent(run.project, run.id, now(), run.workflow.name(), run.nodes.length));
    log.info("Run submitted (project={}, run={}, workflow={}, tasks={})", run.project, run.id,
        run.workflow.name(), run.nodes.length);
    for (TaskNode n : run.nodes) {
      if (n.pending == 0 && n.state() == TaskState.BLOCKED) {
        becomeReady(n);
      }
    }
  }

  /** A task whose dependencies all succeeded: ask its question first, if it has one, else queue it. */
  private void becomeReady(TaskNode n) {
    if (n.spec.question() != null && n.dialogue == null) {
      ask(n, n.spec.question());
      return;
    }
    enqueue(n);
  }

  private void enqueue(TaskNode n) {
    TaskState from = n.state();
    Instant now = now();
    n.lane = n.priority.ordinal();
    if (!n.slot.available()) {
      Slot alternative = firstAvailable(n, null);
      if (alternative != null) {
        n.slot = alternative;
        n.failuresOnSlot = 0;
      }
    }
    TaskRecord r = n.record.moveTo(TaskState.READY, now);
    if (r.lane() != n.priority) {
      r = r.withLane(n.priority);
    }
    update(n, r);
    emit(n.run, new TaskReadyEvent(n.run.project, n.run.id, n.id(), now, from, n.priority));
    String projectPause = pausedProjects.get(n.run.project);
    if (projectPause != null) {
      pause(n, "project " + n.run.project + " is paused: " + projectPause,
          projectPausedNodes.computeIfAbsent(n.run.project, k -> new ArrayList<>()));
    } else if (n.slot.paused) {
      pause(n, "provider " + n.slot.name + " is paused: " + n.slot.pauseReason, n.slot.pausedNodes);
    } else {
      n.slot.enqueue(n, now.toEpochMilli());
    }
  }

  /** The first candidate that is neither paused nor open, other than {@code except}, or null. */
  private static @Nullable Slot firstAvailable(TaskNode n, @Nullable Slot except) {
    for (Slot c : n.candidates) {
      if (c != except && c.available()) {
        return c;
      }
    }
    return null;
  }

  /** Holds a ready task back in {@code waiting} until whatever paused it is lifted. */
  private void pause(TaskNode n, String why, List<TaskNode> waiting) {
    Instant now = now();
    update(n, n.record.moveTo(TaskState.PAUSED, now));
    waiting.add(n);
    emit(n.run, new TaskPausedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, why));
  }

  private void changePriorityHere(RunState run, TaskNode n, Priority priority) {
    Priority from = n.priority;
    if (from == priority) {
      return;
    }
    n.priority = priority;
    Instant now = now();
    if (n.state() == TaskState.READY) {
      n.slot.remove(n);
      n.lane = priority.ordinal();
      n.slot.enqueue(n, now.toEpochMilli());
    }
    update(n, n.record.withLane(priority));
    emit(run, new dev.orchestrator.event.TaskPriorityChangedEvent(run.project, run.id, n.id(), now, from, priority));
  }

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
    checkText("reason", reason);
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
    if (pausedProjects.putIfAbsent(project, reason) != null) {
      return false;
    }
    List<TaskNode> waiting = projectPausedNodes.computeIfAbsent(project, k -> new ArrayList<>());
    for (Slot slot : slotArray) {
      for (TaskNode n : slot.removeProject(project)) {
        pause(n, "project " + project + " is paused: " + reason, waiting);
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
    if (pausedProjects.remove(project) == null) {
      return false;
    }
    List<TaskNode> waiting = projectPausedNodes.remove(project);
    if (waiting != null) {
      for (TaskNode n : waiting) {
        if (n.state() == TaskState.PAUSED) {
          enqueue(n);
        }
      }
    }
    return true;
  }

  /** Whether a project is paused, and why; null when it is not. */
  public @Nullable String projectPause(String project) {
    return pausedProjects.get(project);
  }

  private void onBoosted(TaskNode n, int fromLane, int toLane) {
    Priority from = Priority.values()[fromLane];
    Priority to = Priority.values()[toLane];
    update(n, n.record.withLane(to));
    emit(n.run, new TaskPriorityBoostedEvent(n.run.project, n.run.id, n.id(), now(), from, to));
  }

  private void dispatch() {
    long now = clock.millis();
    for (Slot slot : slotArray) {
      while (slot.hasWork() && slot.inFlight < slot.limit && !slot.paused) {
        CircuitBreaker.State state = slot.breaker.getState();
        if (state == CircuitBreaker.State.OPEN || (state == CircuitBreaker.State.HALF_OPEN && slot.probeInFlight)) {
          break;
        }
        if (!rateAllows(slot, now)) {
          break;
        }
        TaskNode n = slot.take(now, boostMillis, booster);
        if (n.run.lost) {
          continue; // queued before the lease was lost: another engine runs it now
        }
        try {
          ProviderRequest request = n.reviewing ? reviewRequest(n) : guardPrompt(n, request(n));
          if (request == null || !reserve(n, slot, request)) {
            continue;
          }
          n.probe = state == CircuitBreaker.State.HALF_OPEN;
          slot.probeInFlight |= n.probe;
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

  /** Whether the provider's sliding-minute limits allow another call; if not, wakes the loop when they will. */
  private boolean rateAllows(Slot slot, long now) {
    RateLimit rate = slot.rate;
    if (rate.requestsPerMinute() == 0 && rate.tokensPerMinute() == 0) {
      return true;
    }
    long[] oldest;
    while ((oldest = slot.recentStarts.peekFirst()) != null && oldest[0] <= now - 60_000) {
      slot.recentStarts.pollFirst();
      slot.recentTokens -= oldest[1];
    }
    boolean allowed = (rate.requestsPerMinute() == 0 || slot.recentStarts.size() < rate.requestsPerMinute())
        && (rate.tokensPerMinute() == 0 || slot.recentTokens < rate.tokensPerMinute());
    if (!allowed && slot.wakeTimer == null && oldest != null) {
      slot.wakeTimer = scheduler.schedule(() -> post(() -> slot.wakeTimer = null),
          Duration.ofMillis(oldest[0] + 60_000 - now));
    }
    return allowed;
  }

  private ProviderRequest request(TaskNode n) {
    TaskSpec spec = n.spec;
    return new ProviderRequest(prompt(n), fill(n, spec.system()), spec.maxOutputTokens(), expected(n),
        spec.taskType(), spec.timeout());
  }

  // ---------------------------------------------------------------- budgets

  /** The accounts a call of {@code n} on {@code slot} touches, today in the budget zone. */
  private List<Account> budgetKeys(TaskNode n, Slot slot) {
    LocalDate today = LocalDate.ofInstant(now(), budgetZone);
    return List.of(new Account(BudgetScope.global(), null),
        new Account(BudgetScope.project(n.run.project), null),
        new Account(BudgetScope.provider(slot.name), null),
        new Account(BudgetScope.providerDaily(slot.name), today),
        new Account(BudgetScope.run(n.run.id), null),
        new Account(BudgetScope.task(n.run.id, n.id()), null));
  }

  private static CostEstimate estimate(Slot slot, ProviderRequest request) {
    try {
      return slot.provider.estimate(request);
    } catch (RuntimeException e) {
      log.warn("Estimate failed; the call is reserved as free (provider={})", slot.name, e);
      return CostEstimate.free();
    }
  }

  private static @Nullable BigDecimal maxCost(TaskNode n) {
    return n.spec.maxCost() == null ? null : n.spec.maxCost().amount();
  }

  /**
   * Reserves the call's worst case on every account it touches; when any limit would break, pauses the task instead
   * and returns false. A free call reserves nothing.
   */
  private boolean reserve(TaskNode n, Slot slot, ProviderRequest request) {
    BigDecimal worst = estimate(slot, request).high().amount();
    if (worst.signum() <= 0) {
      return true;
    }
    List<Account> keys = budgetKeys(n, slot);
    String id = UUID.randomUUID().toString();
    LimitBreach breach = ledger.reserve(id, Objects.requireNonNull(n.run.lease), keys, worst, maxCost(n));
    if (breach == null) {
      n.reservedKeys = keys;
      n.reservationId = id;
      n.reserved = worst;
      return true;
    }
    budgetPause(n, breach);
    return false;
  }

  private void budgetPause(TaskNode n, LimitBreach b) {
    Instant now = now();
    n.pausedEstimate = b.wanted();
    String scope = b.account().scope() + (b.account().day() == null ? "" : " " + b.account().day());
    String reason = "budget " + scope + " would be exceeded: spent " + Money.usd(b.spent()) + " + reserved "
        + Money.usd(b.reserved()) + " + this call up to " + Money.usd(b.wanted()) + " > limit " + Money.usd(b.limit())
        + "; raise the limit" + (b.account().day() == null ? "" : " or wait for the next day");
    budgetPaused.add(n);
    if (!n.reviewing) {
      update(n, n.record.moveTo(TaskState.PAUSED, now));
      emit(n.run, new TaskPausedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, reason));
    }
    if (limitReached.add(b.account())) {
      log.warn("Budget limit stops work (scope={}, spent={}, reserved={}, limit={})", scope, b.spent(), b.reserved(),
          b.limit());
      emit(n.run, new BudgetLimitReachedEvent(n.run.project, n.run.id, now, b.account().scope(), Money.usd(b.spent()),
          Money.usd(b.reserved()), Money.usd(b.limit()), Money.usd(b.wanted())));
    }
    if (b.account().day() != null) {
      scheduleMidnight();
    }
  }

  private void scheduleMidnight() {
    if (midnightTimer != null) {
      return;
    }
    Instant now = now();
    Instant next = LocalDate.ofInstant(now, budgetZone).plusDays(1).atStartOfDay(budgetZone).toInstant();
    midnightTimer = scheduler.schedule(() -> post(() -> {
      midnightTimer = null;
      resumeBudgetPaused();
    }), Duration.between(now, next));
  }

  /** Releases a call's reservation and records its real cost; paused tasks that now fit go back to their lanes. */
  private void settle(TaskNode n, BigDecimal actual) {
    List<Account> keys = n.reservedKeys;
    String reservation = n.reservationId;
    n.reservedKeys = null;
    n.reservationId = null;
    n.reserved = BigDecimal.ZERO;
    if (keys == null) {
      if (actual.signum() <= 0) {
        return;
      }
      keys = budgetKeys(n, n.callSlot);
    }
    List<ThresholdCrossing> crossings = ledger.settle(reservation, keys, actual);
    if (actual.signum() > 0) {
      n.run.cost = n.run.cost.add(actual);
      spending.merge(new SpendKey(n.run.project, n.callSlot.name, n.spec.taskType(),
          LocalDate.ofInstant(now(), budgetZone)), actual, BigDecimal::add);
    }
    for (ThresholdCrossing c : crossings) {
      log.info("Budget threshold crossed (scope={}, threshold={}, spent={}, limit={})", c.account().scope(),
          c.threshold(), c.spent(), c.limit());
      emit(n.run, new BudgetThresholdCrossedEvent(n.run.project, n.run.id, now(), c.account().scope(),
          c.threshold(), Money.usd(c.spent()), Money.usd(c.limit())));
    }
    resumeBudgetPaused();
  }

  private void resumeBudgetPaused() {
    if (budgetPaused.isEmpty()) {
      return;
    }
    boolean daily = false;
    for (TaskNode n : new ArrayList<>(budgetPaused)) {
      if (n.state() != TaskState.PAUSED && !(n.reviewing && n.state() == TaskState.AWAITING_REVIEW)) {
        budgetPaused.remove(n);
        continue;
      }
      List<Account> keys = budgetKeys(n, n.reviewing ? n.reviewSlot : n.slot);
      if (ledger.check(keys, n.pausedEstimate, maxCost(n)) == null) {
        budgetPaused.remove(n);
        if (n.reviewing) {
          n.reviewSlot.enqueue(n, clock.millis());
        } else {
          enqueue(n);
        }
      } else {
        daily = true;
      }
    }
    if (daily) {
      scheduleMidnight();
    }
    if (budgetPaused.isEmpty()) {
      limitReached.clear();
    }
  }

  /** Sets or replaces a limit for every engine sharing the store; tasks it held back and that now fit resume. */
  public void setBudget(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    checkScope(budget.scope());
    store.saveBudget(budget);
    refreshLimits(store.budgets());
  }

  /** Removes a limit; returns whether there was one. */
  public boolean removeBudget(BudgetScope scope) {
    boolean removed = store.deleteBudget(scope);
    refreshLimits(store.budgets());
    return removed;
  }

  /** Every limit set. */
  public List<Budget> budgets() {
    return store.budgets();
  }

  private @Nullable Budget limit(BudgetScope scope) {
    return limits.get(scope);
  }

  /** Every account with a limit or any spending, as report lines; {@link #limitReached} says which stop work. */
  private List<BudgetLine> lines(java.util.function.Predicate<Account> include) {
    List<BudgetLine> out = new ArrayList<>();
    for (dev.orchestrator.spi.store.Balance b : ledger.balances()) {
      Account k = b.account();
      if (!include.test(k)) {
        continue;
      }
      Budget limit = limit(k.scope());
      out.add(new BudgetLine(k.scope(), k.day(), Money.usd(b.spent()), Money.usd(b.reserved()),
          limit == null ? null : limit.limit(), limitReached.contains(k)));
    }
    out.sort(java.util.Comparator.comparing((BudgetLine l) -> l.scope().kind())
        .thenComparing(l -> l.scope().name()).thenComparing(l -> String.valueOf(l.day())));
    return out;
  }

  private void checkScope(BudgetScope scope) {
    if ((scope.kind() == BudgetScope.Kind.PROVIDER || scope.kind() == BudgetScope.Kind.PROVIDER_DAILY)
        && !slots.containsKey(scope.name())) {
      throw new IllegalArgumentException("budget names provider '" + scope.name() + "', which is not configured "
          + "(configured: " + slots.keySet() + "): fix the name");
    }
  }

  /** The cost report of one project, or of everything when {@code project} is null. */
  public CostReport costReport(@Nullable String project) {
    return call(() -> {
      LocalDate today = LocalDate.ofInstant(now(), budgetZone);
      BudgetScope covering = project == null ? BudgetScope.global() : BudgetScope.project(project);
      dev.orchestrator.spi.store.Balance balance = ledger.balance(new Account(covering, null));
      BigDecimal spent = balance.spent();
      BigDecimal reserved = balance.reserved();
      Budget limit = limit(covering);
      BigDecimal remainingWork = BigDecimal.ZERO;
      for (RunHandle h : runs.all()) {
        RunState run = h.run();
        if ((project == null || run.project.equals(project)) && run.record.status() == RunStatus.RUNNING) {
          for (TaskNode n : run.nodes) {
            TaskState st = n.state();
            if (!st.isTerminal() && st != TaskState.RUNNING) {
              remainingWork = remainingWork.add(estimate(n.slot, request(n)).expected().amount());
            }
          }
        }
      }
      Map<String, Money> byProvider = new java.util.TreeMap<>();
      Map<String, Money> byType = new java.util.TreeMap<>();
      Map<String, Money> byDay = new java.util.TreeMap<>();
      spending.forEach((k, v) -> {
        if (project == null || k.project().equals(project)) {
          byProvider.merge(k.provider(), Money.usd(v), Money::plus);
          byType.merge(k.taskType(), Money.usd(v), Money::plus);
          byDay.merge(k.day().toString(), Money.usd(v), Money::plus);
        }
      });
      List<BudgetLine> lines = lines(k -> switch (k.scope().kind()) {
        case GLOBAL -> project == null;
        case PROJECT -> project == null || k.scope().name().equals(project);
        case PROVIDER -> true;
        case PROVIDER_DAILY -> today.equals(k.day());
        case RUN, TASK -> false;
      });
      return new CostReport(now(), project, Money.usd(spent), Money.usd(reserved),
          limit == null ? null : limit.limit(), Money.usd(spent.add(reserved).add(remainingWork)), byProvider, byType,
          byDay, lines);
    });
  }

  /**
   * A dry run: waves, providers, estimates, totals against budgets and problems, without calling any provider or
   * changing any state.
   */
  public Plan plan(String project, Workflow workflow, Map<String, ?> params) {
    Submissions.checkName(project);
    Objects.requireNonNull(workflow, "workflow");
    List<String> problems = new ArrayList<>();
    Map<String, String> values = Submissions.values(workflow, params, problems);
    return call(() -> {
      List<TaskSpec> specs = workflow.tasks();
      int[] wave = new int[specs.size()];
      Duration[] finish = new Duration[specs.size()];
      List<List<Plan.Step>> waves = new ArrayList<>();
      Money low = Money.ZERO;
      Money expected = Money.ZERO;
      Money high = Money.ZERO;
      Duration longest = Duration.ZERO;
      Map<String, Money> byProvider = new LinkedHashMap<>();
      for (int i = 0; i < specs.size(); i++) {
        TaskSpec spec = specs.get(i);
        Duration start = Duration.ZERO;
        for (String dep : spec.dependsOn()) {
          int d = workflow.indexOf(dep);
          wave[i] = Math.max(wave[i], wave[d] + 1);
          start = start.compareTo(finish[d]) >= 0 ? start : finish[d];
        }
        Slot[] candidates = candidates(spec, problems);
        Slot chosen = null;
        if (candidates != null) {
          for (Slot c : candidates) {
            if (c.available()) {
              chosen = c;
              break;
            }
          }
          if (chosen == null) {
            chosen = candidates[0];
            problems.add("task '" + spec.id() + "' would wait: " + (chosen.paused
                ? "provider " + chosen.name + " is paused (" + chosen.pauseReason + ")"
                : "provider " + chosen.name + "'s circuit is open until "
                    + chosen.openedAt.plus(chosen.breakerPolicy.openFor())) + " and no other candidate is available");
          }
        }
        String title = PromptTemplate.of(spec.title()).render(values::get);
        Plan.Step step;
        if (chosen == null) {
          step = new Plan.Step(spec.id(), title, null, "task", Money.ZERO, Money.ZERO, Money.ZERO, Duration.ZERO);
        } else {
          ProviderRequest request = new ProviderRequest(PromptTemplate.of(spec.instructions()).render(values::get),
              spec.system() == null ? null : PromptTemplate.of(spec.system()).render(values::get),
              spec.maxOutputTokens(), spec.expectedOutput(), spec.taskType(), spec.timeout());
          CostEstimate e = estimate(chosen, request);
          step = new Plan.Step(spec.id(), title, chosen.name, "task", e.low(), e.expected(), e.high(),
              e.expectedDuration());
          if (spec.maxCost() != null && e.low().compareTo(spec.maxCost()) > 0) {
            problems.add("task '" + spec.id() + "' can never run: even its cheapest reply (" + e.low()
                + ") costs more than its maxCost (" + spec.maxCost() + "); raise maxCost or shorten the prompt");
          }
          byProvider.merge(chosen.name, e.expected(), Money::plus);
        }
        Plan.Step reviewStep = null;
        Slot[] reviewSlots = reviewers(spec, problems);
        if (reviewSlots.length > 0) {
          Slot reviewer = reviewSlots[0];
          CostEstimate e = estimate(reviewer, new ProviderRequest(spec.review().criteria() + "\n"
              + spec.instructions(), null, null, null, "review", spec.timeout()));
          int rounds = spec.review().maxRounds();
          reviewStep = new Plan.Step(spec.id(), "review of " + spec.id(), reviewer.name, "review", e.low(),
              e.expected(), e.high().times(BigDecimal.valueOf(rounds)), e.expectedDuration());
          byProvider.merge(reviewer.name, e.expected(), Money::plus);
        }
        finish[i] = start.plus(step.duration()).plus(reviewStep == null ? Duration.ZERO : reviewStep.duration());
        longest = longest.compareTo(finish[i]) >= 0 ? longest : finish[i];
        while (waves.size() <= wave[i]) {
          waves.add(new ArrayList<>());
        }
        waves.get(wave[i]).add(step);
        low = low.plus(step.low());
        expected = expected.plus(step.expected());
        high = high.plus(step.high());
        if (reviewStep != null) {
          waves.get(wave[i]).add(reviewStep);
          low = low.plus(reviewStep.low());
          expected = expected.plus(reviewStep.expected());
          high = high.plus(reviewStep.high());
        }
      }
      LocalDate today = LocalDate.ofInstant(now(), budgetZone);
      List<Account> keys = new ArrayList<>();
      keys.add(new Account(BudgetScope.global(), null));
      keys.add(new Account(BudgetScope.project(project), null));
      for (String p : byProvider.keySet()) {
        keys.add(new Account(BudgetScope.provider(p), null));
        keys.add(new Account(BudgetScope.providerDaily(p), today));
      }
      List<BudgetLine> lines = new ArrayList<>();
      for (Account k : keys) {
        Budget b = limit(k.scope());
        if (b == null) {
          continue;
        }
        dev.orchestrator.spi.store.Balance balance = ledger.balance(k);
        BigDecimal spent = balance.spent();
        BigDecimal reserved = balance.reserved();
        Money wanted = switch (k.scope().kind()) {
          case PROVIDER, PROVIDER_DAILY -> byProvider.get(k.scope().name());
          default -> expected;
        };
        lines.add(new BudgetLine(k.scope(), k.day(), Money.usd(spent), Money.usd(reserved), b.limit(),
            limitReached.contains(k)));
        if (spent.add(reserved).add(wanted.amount()).compareTo(b.limit().amount()) > 0) {
          problems.add("the expected cost " + wanted + " would break the budget " + k.scope() + " (" + Money.usd(spent)
              + " spent and " + Money.usd(reserved) + " reserved of " + b.limit() + "): raise it or trim the work");
        }
      }
      return new Plan(workflow.name(), project, waves, low, expected, high, longest, lines, problems);
    });
  }

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
    if (slot.rate.requestsPerMinute() > 0 || slot.rate.tokensPerMinute() > 0) {
      long tokens = slot.rate.tokensPerMinute() > 0 ? estimatedTokens(slot, request) : 0;
      slot.recentStarts.addLast(new long[] {now.toEpochMilli(), tokens});
      slot.recentTokens += tokens;
    }
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

  private static long estimatedTokens(Slot slot, ProviderRequest request) {
    try {
      return slot.provider.estimate(request).expectedUsage().totalTokens();
    } catch (RuntimeException e) {
      log.warn("Estimate failed; counting the call as 0 tokens (provider={})", slot.name, e);
      return 0;
    }
  }

  private RetryPolicy policy(TaskNode n) {
    if (n.spec.retry() != null) {
      return n.spec.retry();
    }
    return n.slot.retry != null ? n.slot.retry : retryPolicy;
  }

  /** A text with its placeholders filled in one pass, like the prompt. */
  private @Nullable String fill(TaskNode n, @Nullable String text) {
    return text == null || text.indexOf("{{") < 0 ? text : PromptTemplate.of(text).render(name -> lookup(n, name));
  }

  private dev.orchestrator.workflow.@Nullable ExpectedOutput expected(TaskNode n) {
    dev.orchestrator.workflow.ExpectedOutput e = n.spec.expectedOutput();
    if (e == null || e.kind() != dev.orchestrator.workflow.ExpectedOutput.Kind.TEXT) {
      return e;
    }
    return dev.orchestrator.workflow.ExpectedOutput.text(fill(n, e.content()));
  }

  private String prompt(TaskNode n) {
    String text = n.prompt == null ? n.spec.instructions() : n.prompt.render(name -> lookup(n, name));
    if (n.feedback != null) {
      text = text + "\n\nA reviewer rejected your previous answer. Their feedback:\n" + n.feedback
          + "\n\nYour previous answer:\n" + n.pendingOutput + "\n\nWrite an improved answer.";
    }
    if (n.repair != null) {
      text = text + "\n\n" + n.repair;
    }
    if (n.dialogue != null && (n.prompt == null || !n.prompt.placeholders().contains(PromptTemplate.INPUT))) {
      StringBuilder sb = new StringBuilder(text);
      for (int i = 0; i < n.dialogue.size(); i += 2) {
        sb.append("\n\nQuestion: ").append(n.dialogue.get(i)).append("\nAnswer: ").append(n.dialogue.get(i + 1));
      }
      text = sb.toString();
    }
    return text;
  }

  private @Nullable String lookup(TaskNode n, String name) {
    if (name.equals(PromptTemplate.INPUT)) {
      String a = n.lastAnswer();
      return a == null ? "" : a;
    }
    String ref = PromptTemplate.taskReference(name);
    if (ref != null) {
      int i = n.run.workflow.indexOf(ref);
      return i < 0 ? null : n.run.nodes[i].output;
    }
    return n.run.params.get(name);
  }

  private void onCallEnded(TaskNode n, CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse response,
      @Nullable Throwable error) {
    if (n.call != f) {
      return; // cancelled or timed out already; this late result is dropped
    }
    endCall(n);
    settle(n, error == null && response != null ? response.cost().amount() : BigDecimal.ZERO);
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
      recordOutcome(n, kind);
      afterFailure(n, kind, message, cause instanceof ProviderException pe ? pe.retryAfter() : null);
      return;
    }
    recordOutcome(n, null);
    Attempt last = n.record.lastAttempt();
    if (response.question() != null) {
      update(n, n.record.withLastAttempt(last.ended(now, Outcome.ASKED_FOR_INPUT, null, null, response.usage(),
          response.cost())));
      ask(n, response.question());
      return;
    }
    update(n, n.record.withLastAttempt(last.ended(now, Outcome.SUCCEEDED, null, null, response.usage(),
        response.cost())));
    String text = guardOutput(n, response.text());
    if (text == null) {
      return; // blocked, or sent back for one repair
    }
    if (n.spec.review() != null && n.reviewers.length > 0) {
      awaitReview(n, text);
      return;
    }
    succeed(n, text, TaskState.RUNNING, response.usage(), response.cost());
  }

  private void succeed(TaskNode n, String text, TaskState from, dev.orchestrator.TokenUsage usage, Money cost) {
    Instant now = now();
    n.output = text;
    update(n, n.record.succeed(text, now));
    emit(n.run, new TaskSucceededEvent(n.run.project, n.run.id, n.id(), now, from, n.slot.name, usage, cost));
    finished(n);
    TaskNode[] nodes = n.run.nodes;
    for (int d : n.dependents) {
      TaskNode dep = nodes[d];
      if (--dep.pending == 0 && dep.state() == TaskState.BLOCKED) {
        becomeReady(dep);
      }
    }
    maybeFinish(n.run);
  }

  // ---------------------------------------------------------------- guards

  private GuardInput guardInput(TaskNode n, Slot slot, String text) {
    return new GuardInput(n.run.project, n.run.id, n.id(), n.spec.taskType(), slot.name, slot.provider.type(), text,
        n.spec.expectedOutput());
  }

  private Verdict check(Guard g, TaskNode n, GuardInput in, boolean prompt) {
    try {
      Verdict v = prompt ? g.checkPrompt(in) : g.checkOutput(in);
      return v == null ? Verdict.allow() : v;
    } catch (RuntimeException e) {
      log.warn("Guard failed and was treated as blocking (guard={}, task={})", g.name(), n.id(), e);
      return Verdict.block("guard " + g.name() + " failed: " + e.getClass().getSimpleName());
    }
  }

  /** Runs the prompt guards; returns the request to send, or null when a guard blocked it (the task failed). */
  private @Nullable ProviderRequest guardPrompt(TaskNode n, ProviderRequest request) {
    String text = request.prompt();
    for (Guard g : guards) {
      Verdict v = check(g, n, guardInput(n, n.slot, text), true);
      if (v.action() == Verdict.Action.ALLOW) {
        continue;
      }
      emit(n.run, new GuardTriggeredEvent(n.run.project, n.run.id, n.id(), now(), g.name(),
          GuardTriggeredEvent.Phase.PROMPT, v.action(), v.reason()));
      switch (v.action()) {
        case REDACT -> text = v.replacement();
        case FLAG -> log.info("Guard flagged a prompt (guard={}, task={}, reason={})", g.name(), n.id(), v.reason());
        default -> {
          fail(n, ErrorKind.GUARD, "guard " + g.name() + " blocked the prompt: " + v.reason());
          return null;
        }
      }
    }
    return text.equals(request.prompt()) ? request : request.withPrompt(text);
  }

  /** Runs the output guards; returns the accepted text, or null when blocked or sent back for a repair. */
  private @Nullable String guardOutput(TaskNode n, String output) {
    String text = output;
    for (Guard g : guards) {
      Verdict v = check(g, n, guardInput(n, n.callSlot, text), false);
      if (v.action() == Verdict.Action.ALLOW) {
        continue;
      }
      emit(n.run, new GuardTriggeredEvent(n.run.project, n.run.id, n.id(), now(), g.name(),
          GuardTriggeredEvent.Phase.OUTPUT, v.action(), v.reason()));
      switch (v.action()) {
        case REDACT -> text = v.replacement();
        case FLAG -> log.info("Guard flagged an output (guard={}, task={}, reason={})", g.name(), n.id(), v.reason());
        case REPAIR -> {
          if (!n.repairUsed) {
            n.repairUsed = true;
            n.repair = v.replacement() + "\n\nYour previous answer was:\n" + text;
            enqueue(n);
            return null;
          }
          fail(n, ErrorKind.GUARD, "guard " + g.name() + " rejected the output after one repair: " + v.reason());
          return null;
        }
        default -> {
          fail(n, ErrorKind.GUARD, "guard " + g.name() + " blocked the output: " + v.reason());
          return null;
        }
      }
    }
    n.repair = null;
    return text;
  }

  // ---------------------------------------------------------------- peer review

  private void awaitReview(TaskNode n, String output) {
    Instant now = now();
    n.pendingOutput = output;
    n.reviewRound++;
    Slot reviewer = n.reviewers[0];
    for (Slot r : n.reviewers) {
      if (r.available()) {
        reviewer = r;
        break;
      }
    }
    n.reviewSlot = reviewer;
    n.reviewing = true;
    update(n, n.record.moveTo(TaskState.AWAITING_REVIEW, now));
    emit(n.run, new TaskAwaitingReviewEvent(n.run.project, n.run.id, n.id(), now, TaskState.RUNNING, reviewer.name));
    reviewer.enqueue(n, now.toEpochMilli());
  }

  private ProviderRequest reviewRequest(TaskNode n) {
    Review review = n.spec.review();
    String prompt = "You review another assistant's answer. Judge it only against these criteria:\n"
        + review.criteria() + "\n\nThe task it was given:\n" + prompt(n) + "\n\nIts answer:\n" + n.pendingOutput
        + "\n\nReply with JSON only: {\"approved\": true or false, \"score\": an integer from 0 to 10, "
        + "\"feedback\": \"concrete changes that would make it acceptable\"}";
    return new ProviderRequest(prompt, null, null, dev.orchestrator.workflow.ExpectedOutput.jsonSchema(VERDICT_SCHEMA),
        "review", n.spec.timeout());
  }

  private static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\",\"score\","
      + "\"feedback\"],\"properties\":{\"approved\":{\"type\":\"boolean\"},\"score\":{\"type\":\"integer\","
      + "\"minimum\":0,\"maximum\":10},\"feedback\":{\"type\":\"string\"}}}";

  private void onReviewEnded(TaskNode n, CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse response,
      @Nullable Throwable error) {
    if (n.call != f) {
      return;
    }
    endCall(n);
    settle(n, error == null && response != null ? response.cost().amount() : BigDecimal.ZERO);
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
      recordOutcome(n, kind);
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
        fail(n, kind, "review failed: " + message);
      }
      return;
    }
    recordOutcome(n, null);
    Review review = n.spec.review();
    boolean approved = verdict.approved() && verdict.score() >= review.minScore();
    String summary = "score " + verdict.score() + "/10: " + verdict.feedback();
    update(n, n.record.withLastAttempt(last.ended(now, approved ? Outcome.APPROVED : Outcome.REJECTED, null,
        summary, response.usage(), response.cost())));
    emit(n.run, new ReviewCompletedEvent(n.run.project, n.run.id, n.id(), now, n.callSlot.name, n.reviewRound,
        approved, verdict.score(), verdict.feedback()));
    reviewScores.merge(n.callSlot.name + "/" + n.slot.name + "/" + n.spec.taskType(),
        new int[] {verdict.score(), 1}, (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
    n.reviewing = false;
    if (approved) {
      n.feedback = null;
      succeed(n, n.pendingOutput, TaskState.AWAITING_REVIEW, response.usage(), response.cost());
    } else if (n.reviewRound < review.maxRounds()) {
      n.feedback = verdict.feedback();
      enqueue(n);
    } else {
      fail(n, ErrorKind.REVIEW_REJECTED, "rejected in all " + review.maxRounds() + " review rounds; last feedback: "
          + verdict.feedback());
    }
  }

  private void onTimeout(TaskNode n, CompletableFuture<ProviderResponse> f) {
    if (n.call != f) {
      return;
    }
    n.timer = null;
    Duration limit = n.spec.timeout() != null ? n.spec.timeout() : policy(n).attemptTimeout();
    stopCall(n, Outcome.TIMED_OUT, ErrorKind.TIMEOUT);
    recordOutcome(n, ErrorKind.TIMEOUT);
    afterFailure(n, ErrorKind.TIMEOUT, "no reply within " + limit, null);
  }

  /** Retries the task after its backoff (failing over after repeated failures on one provider), or fails it. */
  private void afterFailure(TaskNode n, ErrorKind kind, String message, @Nullable Duration retryAfter) {
    RetryPolicy p = policy(n);
    int attempt = n.record.attempts().size();
    if (!p.retries(kind, attempt)) {
      fail(n, kind, message);
      return;
    }
    n.failuresOnSlot++;
    if (n.failuresOnSlot >= p.failoverAfter() || !n.slot.available()) {
      Slot next = nextCandidate(n);
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

  /** The next candidate after the current one, preferring available ones; null when there is no other. */
  private static @Nullable Slot nextCandidate(TaskNode n) {
    Slot[] c = n.candidates;
    if (c.length < 2) {
      return null;
    }
    int at = java.util.Arrays.asList(c).indexOf(n.slot);
    for (int i = 1; i < c.length; i++) {
      Slot s = c[(at + i) % c.length];
      if (s.available()) {
        return s;
      }
    }
    return c[(at + 1) % c.length];
  }

  private void retryDue(TaskNode n) {
    if (n.state() == TaskState.RETRY_WAIT) {
      n.timer = null;
      enqueue(n);
    }
  }

  /** Feeds an ended attempt to failure analysis and to its provider's circuit breaker. */
  private void recordOutcome(TaskNode n, @Nullable ErrorKind kind) {
    Slot s = n.callSlot;
    Instant now = now();
    if (attemptLog.size() == ATTEMPT_LOG_SIZE) {
      attemptLog.pollFirst();
    }
    attemptLog.addLast(new AttemptOutcome(s.name, n.spec.taskType(), kind, now));
    boolean counts = kind != null && (kind.retryable() || kind == ErrorKind.AUTH);
    if (n.probe) {
      n.probe = false;
      s.probeInFlight = false;
      if (kind == null) {
        s.breaker.recordSuccess();
      } else if (counts) {
        s.breaker.open();
      }
      return;
    }
    if (counts && s.breakerPolicy.enabled() && s.breaker.isClosed()) {
      s.failures.addLast(now);
      Instant horizon = now.minus(s.breakerPolicy.window());
      while (!s.failures.isEmpty() && !s.failures.peekFirst().isAfter(horizon)) {
        s.failures.pollFirst();
      }
      if (s.failures.size() >= s.breakerPolicy.failureThreshold()) {
        s.breaker.open();
      }
    }
  }

  private void onCircuitOpened(Slot slot) {
    Instant now = now();
    int failures = slot.failures.size();
    slot.failures.clear();
    slot.openedAt = now;
    Duration openFor = slot.breakerPolicy.openFor();
    log.warn("Circuit opened (provider={}, failures={}, openFor={})", slot.name, failures, openFor);
    emit(null, new CircuitOpenedEvent(slot.name, now, failures, openFor));
    if (slot.probeTimer != null) {
      slot.probeTimer.cancel();
    }
    slot.probeTimer = scheduler.schedule(() -> post(() -> {
      slot.probeTimer = null;
      if (slot.breaker.isOpen()) {
        slot.breaker.halfOpen();
      }
    }), openFor);
    // No call goes to an open provider: queued tasks with another available candidate move there.
    long millis = now.toEpochMilli();
    for (TaskNode n : slot.removeAll()) {
      Slot alternative = firstAvailable(n, slot);
      if (alternative != null) {
        n.slot = alternative;
        n.failuresOnSlot = 0;
      }
      n.slot.enqueue(n, millis);
    }
  }

  private void onCircuitClosed(Slot slot) {
    slot.openedAt = null;
    slot.failures.clear();
    log.info("Circuit closed (provider={})", slot.name);
    emit(null, new CircuitClosedEvent(slot.name, now()));
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
    settle(n, BigDecimal.ZERO);
    if (n.probe && outcome == Outcome.CANCELLED) {
      n.probe = false;
      n.callSlot.probeInFlight = false;
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

  private void fail(TaskNode n, ErrorKind kind, String message) {
    TaskState from = n.state();
    Instant now = now();
    update(n, n.record.moveTo(TaskState.FAILED, now).withError(kind, message));
    log.warn("Task failed (project={}, run={}, task={}, provider={}, kind={})", n.run.project, n.run.id, n.id(),
        n.slot.name, kind);
    emit(n.run, new TaskFailedEvent(n.run.project, n.run.id, n.id(), now, from, n.slot.name, kind, message));
    finished(n);
    skipDependants(n);
    maybeFinish(n.run);
  }

  private void ask(TaskNode n, String question) {
    TaskState from = n.state();
    Instant now = now();
    String id = "q-" + UUID.randomUUID();
    Question q = new Question(id, n.run.project, n.run.id, n.id(), question, now, null, null);
    update(n, n.record.moveTo(TaskState.AWAITING_INPUT, now).withQuestion(q));
    n.openQuestionId = id;
    questionNodes.put(id, n);
    openQuestions.put(id, q);
    emit(n.run, new InputRequestedEvent(n.run.project, n.run.id, n.id(), now, from, id, question));
  }

  private void finished(TaskNode n) {
    n.run.unfinished--;
  }

  private void skipDependants(TaskNode origin) {
    ArrayDeque<TaskNode> todo = new ArrayDeque<>();
    todo.add(origin);
    TaskNode[] nodes = origin.run.nodes;
    while (!todo.isEmpty()) {
      TaskNode n = todo.poll();
      for (int d : n.dependents) {
        TaskNode dep = nodes[d];
        if (dep.state() == TaskState.BLOCKED) {
          Instant now = now();
          update(dep, dep.record.moveTo(TaskState.SKIPPED, now));
          emit(dep.run, new TaskSkippedEvent(dep.run.project, dep.run.id, dep.id(), now, TaskState.BLOCKED,
              origin.id()));
          finished(dep);
          todo.add(dep);
        }
      }
    }
  }

  private void maybeFinish(RunState run) {
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
    Instant now = now();
    run.record = run.record.withStatus(status, now);
    updateRun(run);
    if (run.lost) {
      return;
    }
    emit(run, new RunFinishedEvent(run.project, run.id, now, status, cost));
    store.releaseRun(run.lease);
    log.info("Run finished (project={}, run={}, status={}, cost={})", run.project, run.id, status, cost);
    run.completion.complete(new RunSnapshot(run.record, store.tasks(run.project, run.id)));
    runs.finished(run);
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
    checkTask(h.run(), taskId);
    Objects.requireNonNull(priority, "priority");
    steer(h, false, run -> changePriorityHere(run, node(run, taskId), priority),
        dev.orchestrator.spi.store.Command.Kind.PRIORITY, taskId, "api", priority.name());
  }

  void cancelTask(RunHandle h, String taskId, String by, String reason) {
    checkTask(h.run(), taskId);
    checkText("by", by);
    checkText("reason", reason);
    steer(h, false, run -> cancelTaskHere(run, taskId, by, reason), dev.orchestrator.spi.store.Command.Kind.CANCEL,
        taskId, by, reason);
  }

  private void cancelTaskHere(RunState run, String taskId, String by, String reason) {
    cancel(node(run, taskId), new Cancellation(by, reason, now()), true);
    maybeFinish(run);
  }

  void cancelRun(RunHandle h, String by, String reason) {
    checkText("by", by);
    checkText("reason", reason);
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
    maybeFinish(run);
  }

  void resume(RunHandle h, String taskId) {
    checkTask(h.run(), taskId);
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
      case AWAITING_INPUT -> closeQuestion(n);
      case AWAITING_REVIEW -> {
        if (n.call != null) {
          stopCall(n, Outcome.CANCELLED, ErrorKind.CANCELLED);
        } else {
          n.reviewSlot.remove(n);
          budgetPaused.remove(n);
          if (n.timer != null) {
            n.timer.cancel();
            n.timer = null;
          }
        }
        n.reviewing = false;
      }
      case PAUSED -> {
        n.slot.pausedNodes.remove(n);
        budgetPaused.remove(n);
        List<TaskNode> waiting = projectPausedNodes.get(n.run.project);
        if (waiting != null) {
          waiting.remove(n);
        }
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
    finished(n);
    if (skipDependants) {
      skipDependants(n);
    }
  }

  private void closeQuestion(TaskNode n) {
    if (n.openQuestionId != null) {
      questionNodes.remove(n.openQuestionId);
      openQuestions.remove(n.openQuestionId);
      n.openQuestionId = null;
    }
  }

  private void resumeHere(RunState run, String taskId) {
    TaskNode n = node(run, taskId);
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
      n.pending = countPending(n);
      if (n.pending == 0) {
        run.unfinished++;
        becomeReady(n);
      } else {
        block(n, now);
      }
      reviveSkipped(n);
      return null;
    });
  }

  private void block(TaskNode n, Instant now) {
    TaskState from = n.state();
    update(n, n.record.moveTo(TaskState.BLOCKED, now));
    n.run.unfinished++;
    emit(n.run, new TaskBlockedEvent(n.run.project, n.run.id, n.id(), now, from));
  }

  private int countPending(TaskNode n) {
    int pending = 0;
    for (int d : n.dependencies) {
      if (n.run.nodes[d].state() != TaskState.SUCCEEDED) {
        pending++;
      }
    }
    return pending;
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
        n.pending = countPending(n);
        block(n, now);
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
    checkText("answer", text);
    boolean here = call(() -> questionNodes.containsKey(questionId));
    if (here) {
      call(() -> {
        answerHere(questionId, text);
        return null;
      });
      return;
    }
    Question q = storedQuestion(questionId);
    if (q == null) {
      if (answered.contains(questionId)) {
        throw new IllegalStateException("question " + questionId + " is already answered");
      }
      throw new IllegalArgumentException("there is no open question " + questionId
          + ": list them with questions(project)");
    }
    RunHandle h = (RunHandle) Objects.requireNonNull(run(q.project(), q.runId()));
    steer(h, false, run -> answerHere(questionId, text), dev.orchestrator.spi.store.Command.Kind.ANSWER, questionId,
        "api", text);
  }

  /** An open question in the store, asked by a task of any engine, or null. */
  private @Nullable Question storedQuestion(String questionId) {
    for (dev.orchestrator.project.Project p : store.projectList(true)) {
      for (Question q : storedQuestions(p.name())) {
        if (q.id().equals(questionId)) {
          return q;
        }
      }
    }
    return null;
  }

  /** The open questions of a project's running runs, as the store has them, whichever engine asked them. */
  private List<Question> storedQuestions(String project) {
    List<Question> out = new ArrayList<>();
    for (RunRecord r : store.runs(project)) {
      if (r.status() != RunStatus.RUNNING) {
        continue;
      }
      for (TaskRecord t : store.tasks(project, r.id())) {
        Question q = t.question();
        if (t.state() == TaskState.AWAITING_INPUT && q != null && q.isOpen()) {
          out.add(q);
        }
      }
    }
    return out;
  }

  /** Answers a question asked by a task of this engine; the task goes back to its queue with the answer. */
  private void answerHere(String questionId, String text) {
    TaskNode n = questionNodes.remove(questionId);
    if (n == null) {
      if (answered.contains(questionId)) {
        throw new IllegalStateException("question " + questionId + " is already answered");
      }
      throw new IllegalArgumentException("there is no open question " + questionId
          + ": list them with questions(project)");
    }
    Question q = openQuestions.remove(questionId);
    answered.add(questionId);
    n.openQuestionId = null;
    n.addDialogue(q.text(), text);
    update(n, n.record.withQuestion(q.answered(text, now())));
    enqueue(n);
  }


  /** Pauses a provider in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish. */
  public void pauseProvider(String name, String reason) {
    Slot slot = slot(name);
    checkText("reason", reason);
    store.savePause(new dev.orchestrator.spi.store.Pause(dev.orchestrator.spi.store.Pause.Kind.PROVIDER, slot.name,
        reason, now()));
    call(() -> {
      if (!slot.paused) {
        pauseProviderNow(slot, reason);
        emit(null, new ProviderPausedEvent(slot.name, now(), reason));
      }
      return null;
    });
  }

  private void pauseProviderNow(Slot slot, String reason) {
    slot.paused = true;
    slot.pauseReason = reason;
    for (TaskNode n : slot.removeAll()) {
      pause(n, "provider " + slot.name + " is paused: " + reason, slot.pausedNodes);
    }
  }

  /** Resumes a paused provider in every engine: its paused tasks are queued again, in the order they were paused. */
  public void resumeProvider(String name) {
    Slot slot = slot(name);
    store.deletePause(dev.orchestrator.spi.store.Pause.Kind.PROVIDER, slot.name);
    call(() -> {
      if (slot.paused) {
        resumeProviderNow(slot);
        emit(null, new ProviderResumedEvent(slot.name, now()));
      }
      return null;
    });
  }

  private void resumeProviderNow(Slot slot) {
    slot.paused = false;
    slot.pauseReason = null;
    List<TaskNode> waiting = new ArrayList<>(slot.pausedNodes);
    slot.pausedNodes.clear();
    for (TaskNode n : waiting) {
      enqueue(n);
    }
  }

  /** A provider's circuit breaker now. */
  public CircuitState circuit(String name) {
    Slot slot = slot(name);
    return call(() -> {
      CircuitState.State state = switch (slot.breaker.getState()) {
        case CLOSED -> CircuitState.State.CLOSED;
        case OPEN -> CircuitState.State.OPEN;
        case HALF_OPEN -> CircuitState.State.HALF_OPEN;
      };
      Instant probeAt = state == CircuitState.State.OPEN && slot.openedAt != null
          ? slot.openedAt.plus(slot.breakerPolicy.openFor()) : null;
      return new CircuitState(slot.name, state, slot.failures.size(), slot.openedAt, probeAt, slot.paused,
          slot.pauseReason);
    });
  }

  /** Failure patterns of the attempts that ended within {@code window} before now. */
  public FailureReport failureReport(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive (was " + window + ")");
    }
    return call(() -> FailureAnalysis.report(attemptLogSince(window), now().minus(window),
        now()));
  }

  private List<FailureAnalysis.Outcome> attemptLogSince(Duration window) {
    Instant from = now().minus(window);
    List<FailureAnalysis.Outcome> out = new ArrayList<>();
    for (AttemptOutcome a : attemptLog) {
      if (a.at().isAfter(from)) {
        out.add(new FailureAnalysis.Outcome(a.provider(), a.taskType(), a.kind()));
      }
    }
    return out;
  }

  private Slot slot(String name) {
    Objects.requireNonNull(name, "name");
    Slot slot = slots.get(name.toLowerCase(Locale.ROOT));
    if (slot == null) {
      throw new IllegalArgumentException("there is no provider '" + name + "' (configured: " + slots.keySet() + ")");
    }
    return slot;
  }

  /** The open questions of a project, whichever engine's tasks asked them, oldest first. */
  public List<Question> questions(String project) {
    List<Question> out = storedQuestions(project);
    out.sort(java.util.Comparator.comparing(Question::askedAt).thenComparing(Question::id));
    return out;
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
    return slots.keySet().stream().sorted().toList();
  }

  Store store() {
    return store;
  }

  private static TaskNode node(RunState run, String taskId) {
    return run.nodes[checkTask(run, taskId)];
  }

  /** The task's position in its run's workflow. */
  private static int checkTask(RunState run, String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    int i = run.workflow.indexOf(taskId);
    if (i < 0) {
      throw new IllegalArgumentException("run " + run.id + " has no task '" + taskId + "' (tasks: "
          + run.workflow.tasks().stream().map(TaskSpec::id).limit(20).toList() + ")");
    }
    return i;
  }

  private static void checkText(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was "
          + (value == null ? "null" : "'" + value + "'") + ")");
    }
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
