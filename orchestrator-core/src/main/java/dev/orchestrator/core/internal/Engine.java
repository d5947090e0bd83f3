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
import dev.orchestrator.spi.store.Store;
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
  private final List<EventListener> listeners;
  /** Listeners added after the engine was built; read in the drain loop, written by any thread. */
  private final List<EventListener> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final long boostMillis;
  private final Executor executor;
  private final RetryPolicy retryPolicy;
  private final List<Guard> guards;
  private final BudgetLedger ledger;
  private final ZoneId budgetZone;
  /** Tasks a budget holds back, oldest first. Confined to the drain loop. */
  private final List<TaskNode> budgetPaused = new ArrayList<>();
  /** The accounts whose limit currently stops work (each announced once). Confined to the drain loop. */
  private final java.util.Set<BudgetLedger.Key> limitReached = new java.util.HashSet<>();
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
  private volatile Scheduler.@Nullable Cancellable commandTimer;

  /** How many finished runs stay in memory, findable by {@link #run}; older ones are dropped, oldest first. */
  static final int FINISHED_RUNS_KEPT = 10_000;
  /** Finished run ids, oldest first. Confined to the drain loop. */
  private final LinkedHashMap<String, Boolean> finishedRuns = new LinkedHashMap<>();

  /** Handles of runs, by id: read by any thread. */
  private final ConcurrentHashMap<String, RunHandle> handles = new ConcurrentHashMap<>();
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
      RetryPolicy retryPolicy, BudgetLedger ledger, ZoneId budgetZone, List<Guard> guards) {
    this.clock = clock;
    this.guards = List.copyOf(guards);
    this.ledger = ledger;
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
    this.listeners = List.copyOf(listeners);
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
        dispatch();
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
   * On a durable store: loads the budget limits, rebuilds what has been spent from the stored attempts, and picks up
   * every unfinished run. Tasks whose call was in flight when the previous process stopped are retried (their attempt
   * count goes up); none is lost and none succeeds twice, because a task's success is stored before its dependants
   * are queued.
   */
  public void recover() {
    for (Budget b : store.budgets()) {
      if (ledger.limit(b.scope()) == null) {
        ledger.setLimit(b); // limits given to the builder win over stored ones
      }
    }
    if (!store.durable()) {
      return;
    }
    for (dev.orchestrator.project.Project p : store.projectList(true)) {
      for (RunRecord r : store.runs(p.name())) {
        for (TaskRecord t : store.tasks(p.name(), r.id())) {
          for (Attempt a : t.attempts()) {
            if (a.cost().amount().signum() > 0) {
              Instant at = a.finishedAt() != null ? a.finishedAt() : a.startedAt();
              LocalDate day = LocalDate.ofInstant(at, budgetZone);
              ledger.settle(List.of(new BudgetLedger.Key(BudgetScope.global(), null),
                  new BudgetLedger.Key(BudgetScope.project(p.name()), null),
                  new BudgetLedger.Key(BudgetScope.provider(a.provider()), null),
                  new BudgetLedger.Key(BudgetScope.providerDaily(a.provider()), day),
                  new BudgetLedger.Key(BudgetScope.run(r.id()), null),
                  new BudgetLedger.Key(BudgetScope.task(r.id(), t.taskId()), null)), BigDecimal.ZERO,
                  a.cost().amount());
            }
          }
        }
      }
    }
    for (RunRecord r : store.unfinishedRuns()) {
      try {
        rebuild(r);
      } catch (RuntimeException e) {
        log.error("Run not recovered (project={}, run={})", r.project(), r.id(), e);
      }
    }
  }

  /** Polls the store for commands from other processes, about once a second, while the engine is open. */
  public void startCommandPolling(Duration every) {
    if (closed) {
      return;
    }
    commandTimer = scheduler.schedule(() -> {
      try {
        for (dev.orchestrator.spi.store.Command c : store.takeCommands()) {
          post(() -> execute(c));
        }
      } catch (RuntimeException e) {
        log.warn("Commands could not be read from the store", e);
      }
      startCommandPolling(every);
    }, every);
  }

  private void execute(dev.orchestrator.spi.store.Command c) {
    try {
      RunHandle h = c.runId() == null ? null : handles.get(c.runId());
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
            answer(c.target(), c.text());
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

  private void rebuild(RunRecord r) {
    String definition = store.definition(r.project(), r.id()).orElse("");
    if (definition.isBlank()) {
      log.warn("Run not recovered: no workflow definition stored (project={}, run={})", r.project(), r.id());
      return;
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
        candidates = new Slot[] {slotArray[0]};
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
    for (TaskNode n : nodes) {
      if (!n.state().isTerminal()) {
        run.unfinished++;
      }
      run.cost = run.cost.add(n.record.cost().amount());
    }
    handles.put(run.id, new RunHandle(this, run));
    if (!problems.isEmpty()) {
      log.warn("Run recovered with problems (project={}, run={}, problems={})", r.project(), r.id(), problems);
    }
    post(() -> resumeRecovered(run));
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

  private void resumeRecovered(RunState run) {
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
    log.info("Run recovered (project={}, run={}, interrupted={})", run.project, run.id, interrupted);
    emit(run, new dev.orchestrator.event.RunRecoveredEvent(run.project, run.id, now, interrupted));
    maybeFinish(run);
  }

  // ---------------------------------------------------------------- submit

  /** Validates and submits a run; nothing is stored when anything is wrong. */
  public Run submit(String project, Workflow workflow, Map<String, ?> params) {
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
    store.createRun(runRecord, store.durable() ? WorkflowCodec.write(workflow) : "", records);
    RunHandle handle = new RunHandle(this, run);
    handles.put(runId, handle);
    post(() -> start(run));
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

  /** Changes a task's priority; a ready task moves to the tail of its new lane. */
  void changePriority(RunState run, String taskId, Priority priority) {
    TaskNode n = node(run, taskId);
    Objects.requireNonNull(priority, "priority");
    call(() -> {
      Priority from = n.priority;
      if (from == priority) {
        return null;
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
      return null;
    });
  }

  /** Pauses a project: its queued tasks wait in PAUSED, running calls finish. */
  public void pauseProject(String project, String reason) {
    Submissions.checkName(project);
    checkText("reason", reason);
    call(() -> {
      if (pausedProjects.putIfAbsent(project, reason) != null) {
        return null;
      }
      emit(null, new dev.orchestrator.event.ProjectPausedEvent(project, now(), reason));
      List<TaskNode> waiting = projectPausedNodes.computeIfAbsent(project, k -> new ArrayList<>());
      for (Slot slot : slotArray) {
        for (TaskNode n : slot.removeProject(project)) {
          pause(n, "project " + project + " is paused: " + reason, waiting);
        }
      }
      return null;
    });
  }

  /** Resumes a paused project: its paused tasks are queued again, in the order they were paused. */
  public void resumeProject(String project) {
    Submissions.checkName(project);
    call(() -> {
      if (pausedProjects.remove(project) == null) {
        return null;
      }
      emit(null, new dev.orchestrator.event.ProjectResumedEvent(project, now()));
      List<TaskNode> waiting = projectPausedNodes.remove(project);
      if (waiting != null) {
        for (TaskNode n : waiting) {
          if (n.state() == TaskState.PAUSED) {
            enqueue(n);
          }
        }
      }
      return null;
    });
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
        ProviderRequest request = n.reviewing ? reviewRequest(n) : guardPrompt(n, request(n));
        if (request == null || !reserve(n, slot, request)) {
          continue;
        }
        n.probe = state == CircuitBreaker.State.HALF_OPEN;
        slot.probeInFlight |= n.probe;
        startCall(n, slot, request);
      }
    }
  }

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
  private List<BudgetLedger.Key> budgetKeys(TaskNode n, Slot slot) {
    LocalDate today = LocalDate.ofInstant(now(), budgetZone);
    return List.of(new BudgetLedger.Key(BudgetScope.global(), null),
        new BudgetLedger.Key(BudgetScope.project(n.run.project), null),
        new BudgetLedger.Key(BudgetScope.provider(slot.name), null),
        new BudgetLedger.Key(BudgetScope.providerDaily(slot.name), today),
        new BudgetLedger.Key(BudgetScope.run(n.run.id), null),
        new BudgetLedger.Key(BudgetScope.task(n.run.id, n.id()), null));
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
    List<BudgetLedger.Key> keys = budgetKeys(n, slot);
    BudgetLedger.Breach breach = ledger.reserve(keys, worst, maxCost(n));
    if (breach == null) {
      n.reservedKeys = keys;
      n.reserved = worst;
      return true;
    }
    budgetPause(n, breach);
    return false;
  }

  private void budgetPause(TaskNode n, BudgetLedger.Breach b) {
    Instant now = now();
    n.pausedEstimate = b.wanted();
    String scope = b.key().scope() + (b.key().day() == null ? "" : " " + b.key().day());
    String reason = "budget " + scope + " would be exceeded: spent " + Money.usd(b.spent()) + " + reserved "
        + Money.usd(b.reserved()) + " + this call up to " + Money.usd(b.wanted()) + " > limit " + Money.usd(b.limit())
        + "; raise the limit" + (b.key().day() == null ? "" : " or wait for the next day");
    budgetPaused.add(n);
    if (!n.reviewing) {
      update(n, n.record.moveTo(TaskState.PAUSED, now));
      emit(n.run, new TaskPausedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, reason));
    }
    if (limitReached.add(b.key())) {
      log.warn("Budget limit stops work (scope={}, spent={}, reserved={}, limit={})", scope, b.spent(), b.reserved(),
          b.limit());
      emit(n.run, new BudgetLimitReachedEvent(n.run.project, n.run.id, now, b.key().scope(), Money.usd(b.spent()),
          Money.usd(b.reserved()), Money.usd(b.limit()), Money.usd(b.wanted())));
    }
    if (b.key().day() != null) {
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
    List<BudgetLedger.Key> keys = n.reservedKeys;
    BigDecimal reserved = n.reserved;
    n.reservedKeys = null;
    n.reserved = BigDecimal.ZERO;
    if (keys == null) {
      if (actual.signum() <= 0) {
        return;
      }
      keys = budgetKeys(n, n.callSlot);
    }
    List<BudgetLedger.Crossing> crossings = ledger.settle(keys, reserved, actual);
    if (actual.signum() > 0) {
      n.run.cost = n.run.cost.add(actual);
      spending.merge(new SpendKey(n.run.project, n.callSlot.name, n.spec.taskType(),
          LocalDate.ofInstant(now(), budgetZone)), actual, BigDecimal::add);
    }
    for (BudgetLedger.Crossing c : crossings) {
      log.info("Budget threshold crossed (scope={}, threshold={}, spent={}, limit={})", c.key().scope(),
          c.threshold(), c.spent(), c.limit());
      emit(n.run, new BudgetThresholdCrossedEvent(n.run.project, n.run.id, now(), c.key().scope(),
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
      List<BudgetLedger.Key> keys = budgetKeys(n, n.reviewing ? n.reviewSlot : n.slot);
      if (ledger.fits(keys, n.pausedEstimate, maxCost(n))) {
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

  /** Sets or replaces a limit; tasks it held back and that now fit resume. */
  public void setBudget(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    checkScope(budget.scope());
    call(() -> {
      store.saveBudget(budget);
      ledger.setLimit(budget);
      limitReached.removeIf(k -> k.scope().equals(budget.scope()));
      resumeBudgetPaused();
      return null;
    });
  }

  /** Removes a limit; returns whether there was one. */
  public boolean removeBudget(BudgetScope scope) {
    return call(() -> {
      store.deleteBudget(scope);
      boolean removed = ledger.removeLimit(scope);
      limitReached.removeIf(k -> k.scope().equals(scope));
      resumeBudgetPaused();
      return removed;
    });
  }

  /** Every limit set. */
  public List<Budget> budgets() {
    return ledger.limits();
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
      BudgetLedger.Key key = new BudgetLedger.Key(covering, null);
      BigDecimal spent = ledger.spent(key);
      BigDecimal reserved = ledger.reserved(key);
      Budget limit = ledger.limit(covering);
      BigDecimal remainingWork = BigDecimal.ZERO;
      for (RunHandle h : handles.values()) {
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
      List<BudgetLine> lines = ledger.lines(k -> switch (k.scope().kind()) {
        case GLOBAL -> project == null;
        case PROJECT -> project == null || k.scope().name().equals(project);
        case PROVIDER -> true;
        case PROVIDER_DAILY -> today.equals(k.day());
        case RUN, TASK -> false;
      }, limitReached);
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
      List<BudgetLedger.Key> keys = new ArrayList<>();
      keys.add(new BudgetLedger.Key(BudgetScope.global(), null));
      keys.add(new BudgetLedger.Key(BudgetScope.project(project), null));
      for (String p : byProvider.keySet()) {
        keys.add(new BudgetLedger.Key(BudgetScope.provider(p), null));
        keys.add(new BudgetLedger.Key(BudgetScope.providerDaily(p), today));
      }
      List<BudgetLine> lines = new ArrayList<>();
      for (BudgetLedger.Key k : keys) {
        Budget b = ledger.limit(k.scope());
        if (b == null) {
          continue;
        }
        BigDecimal spent = ledger.spent(k);
        BigDecimal reserved = ledger.reserved(k);
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
    store.updateRun(run.record);
    emit(run, new RunFinishedEvent(run.project, run.id, now, status, cost));
    log.info("Run finished (project={}, run={}, status={}, cost={})", run.project, run.id, status, cost);
    run.completion.complete(new RunSnapshot(run.record, store.tasks(run.project, run.id)));
    // Finished runs stay findable by id up to a bound; older ones live on in the store (and in handles users hold).
    finishedRuns.remove(run.id);
    finishedRuns.put(run.id, Boolean.TRUE);
    if (finishedRuns.size() > FINISHED_RUNS_KEPT) {
      String oldest = finishedRuns.keySet().iterator().next();
      finishedRuns.remove(oldest);
      handles.remove(oldest);
    }
  }

  /** The clock's time in milliseconds; one Instant per millisecond, since every record and event holds one. */
  private Instant now() {
    long millis = clock.millis();
    Instant last = lastNow;
    if (last == null || last.toEpochMilli() != millis) {
      last = Instant.ofEpochMilli(millis);
      lastNow = last;
    }
    return last;
  }

  /** Any thread may read and replace it: an Instant is immutable, so a racy read sees a whole one. */
  private volatile @Nullable Instant lastNow;

  private void update(TaskNode n, TaskRecord r) {
    n.record = r;
    store.updateTask(r, n.index);
  }

  private void emit(@Nullable RunState run, Event event) {
    try {
      store.append(event);
    } catch (RuntimeException e) {
      log.error("Event not stored (project={}, run={}, event={})", event.project(), event.runId(),
          event.getClass().getSimpleName(), e);
    }
    for (EventListener l : listeners) {
      deliver(l, event);
    }
    for (EventListener l : subscribers) {
      deliver(l, event);
    }
    if (run != null) {
      for (EventListener l : run.subscribers) {
        deliver(l, event);
      }
    }
  }

  private static void deliver(EventListener listener, Event event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("Listener failed and was skipped for this event (listener={}, event={})",
          listener.getClass().getName(), event.getClass().getSimpleName(), e);
    }
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

  void cancelTask(RunState run, String taskId, String by, String reason) {
    TaskNode n = node(run, taskId);
    checkText("by", by);
    checkText("reason", reason);
    call(() -> {
      cancel(n, new Cancellation(by, reason, now()), true);
      maybeFinish(run);
      return null;
    });
  }

  void cancelRun(RunState run, String by, String reason) {
    checkText("by", by);
    checkText("reason", reason);
    call(() -> {
      if (run.record.status() != RunStatus.RUNNING) {
        return null;
      }
      Cancellation c = new Cancellation(by, reason, now());
      run.record = run.record.withCancellation(c);
      store.updateRun(run.record);
      for (TaskNode n : run.nodes) {
        cancel(n, c, false);
      }
      maybeFinish(run);
      return null;
    });
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

  void resume(RunState run, String taskId) {
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
    finishedRuns.remove(run.id);
    handles.putIfAbsent(run.id, new RunHandle(this, run));
    run.record = run.record.withStatus(RunStatus.RUNNING, null).withCancellation(null);
    run.completion = new CompletableFuture<>();
    store.updateRun(run.record);
    emit(run, new RunReopenedEvent(run.project, run.id, now(), taskId));
  }

  /** Answers an open question; the task goes back to its queue with the answer in its prompt. */
  public void answer(String questionId, String text) {
    checkOpen();
    Objects.requireNonNull(questionId, "questionId");
    checkText("answer", text);
    call(() -> {
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
      return null;
    });
  }

  /** Pauses a provider: its queued tasks wait in PAUSED, running calls finish. */
  public void pauseProvider(String name, String reason) {
    Slot slot = slot(name);
    checkText("reason", reason);
    call(() -> {
      if (slot.paused) {
        return null;
      }
      slot.paused = true;
      slot.pauseReason = reason;
      emit(null, new ProviderPausedEvent(slot.name, now(), reason));
      for (TaskNode n : slot.removeAll()) {
        pause(n, "provider " + slot.name + " is paused: " + reason, slot.pausedNodes);
      }
      return null;
    });
  }

  /** Resumes a paused provider: its paused tasks are queued again, in the order they were paused. */
  public void resumeProvider(String name) {
    Slot slot = slot(name);
    call(() -> {
      if (!slot.paused) {
        return null;
      }
      slot.paused = false;
      slot.pauseReason = null;
      emit(null, new ProviderResumedEvent(slot.name, now()));
      List<TaskNode> waiting = new ArrayList<>(slot.pausedNodes);
      slot.pausedNodes.clear();
      for (TaskNode n : waiting) {
        enqueue(n);
      }
      return null;
    });
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

  /** The open questions of a project, oldest first. */
  public List<Question> questions(String project) {
    List<Question> out = new ArrayList<>();
    for (Question q : openQuestions.values()) {
      if (q.project().equals(project)) {
        out.add(q);
      }
    }
    out.sort(java.util.Comparator.comparing(Question::askedAt).thenComparing(Question::id));
    return out;
  }

  /** The handle of a run of a project, or null. */
  public @Nullable Run run(String project, String runId) {
    RunHandle h = handles.get(runId);
    return h != null && h.project().equals(project) ? h : null;
  }

  /** Emits an event from outside the engine, in the drain loop. */
  public void publish(Event event) {
    Objects.requireNonNull(event, "event");
    post(() -> emit(event.runId().isEmpty() ? null : runState(event.runId()), event));
  }

  private @Nullable RunState runState(String runId) {
    RunHandle h = handles.get(runId);
    return h == null ? null : h.run();
  }

  /**
   * Replays a run's events so far to {@code listener}, then delivers its later ones, in the drain loop so that no
   * event falls between the two.
   */
  Run.Subscription subscribe(RunState run, EventListener listener) {
    call(() -> {
      for (Event e : store.events(run.project, run.id)) {
        deliver(listener, e);
      }
      run.subscribers.add(listener);
      return null;
    });
    return () -> run.subscribers.remove(listener);
  }

  /** Delivers every later event to {@code listener} until the subscription is closed. */
  public Run.Subscription subscribe(EventListener listener) {
    Objects.requireNonNull(listener, "listener");
    subscribers.add(listener);
    return () -> subscribers.remove(listener);
  }

  /** The names of the provider instances, sorted. */
  public List<String> providers() {
    return slots.keySet().stream().sorted().toList();
  }

  Store store() {
    return store;
  }

  private static TaskNode node(RunState run, String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    int i = run.workflow.indexOf(taskId);
    if (i < 0) {
      throw new IllegalArgumentException("run " + run.id + " has no task '" + taskId + "' (tasks: "
          + run.workflow.tasks().stream().map(TaskSpec::id).limit(20).toList() + ")");
    }
    return run.nodes[i];
  }

  private static void checkText(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was "
          + (value == null ? "null" : "'" + value + "'") + ")");
    }
  }

  /** Stops accepting work. Calls in flight are left to finish or be cancelled by their owners. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Scheduler.Cancellable t = commandTimer;
    if (t != null) {
      t.cancel();
    }
    log.info("Orchestrator closed (runs={})", handles.size());
  }
}
