package dev.orchestrator.core.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.Scheduler;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler. All scheduling state is confined to one drain loop: callers and provider callbacks post messages
 * to a mailbox, and whichever thread finds the mailbox idle drains it (on the configured executor). So no lock
 * guards the queues, counters and nodes, provider calls hold no thread, and a call that completes at once cannot
 * recurse: its completion is just the next message.
 *
 * <p>The engine itself is the coordinator: the loop, dispatch over the providers' lanes, submission, and the entry
 * points, each handed to the collaborator that owns its concern ({@link Lifecycle}, {@link CallPipeline},
 * {@link Budgets}, {@link Resilience}, {@link Guards}, {@link Reviews}, {@link Questions}, {@link Recovery},
 * {@link Steering}, {@link Events}). They share an {@link EngineContext}; every task and run write goes through
 * {@link Transitions}. The store is written on every transition and is what other threads read.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final Duration DISPATCH_RETRY = Duration.ofSeconds(1);
  /** At most this many messages share one transaction on a durable store. */
  private static final int MESSAGES_PER_TRANSACTION = 512;

  private final Clock clock;
  private final Store store;
  private final Executor executor;
  private final long boostMillis;
  private final EngineContext ctx;
  private final Runs runs;
  private final Events events;
  private final Providers providers;
  private final Lifecycle lifecycle;
  private final Budgets budgets;
  private final Planner planner;
  private final CostReports costReports;
  private final Resilience resilience;
  private final Questions questions;
  private final CallPipeline pipeline;
  private final Recovery recovery;
  private final Steering steering;
  private final Slot.Booster booster;

  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  /** The thread draining the mailbox, or null. */
  private volatile @Nullable Thread drainer;
  private volatile boolean closed;
  /** The shadow comparisons this engine started. */
  private final Comparisons comparisons = new Comparisons((project, workflow, params) ->
      submit(project, workflow, params));
  /** Whether the loop groups each pass's writes into one transaction: on a store that keeps them (durable). */
  private final boolean grouped;

  /**
   * @param slots provider instances by lower-case name, with their limits
   */
  public Engine(Clock clock, Scheduler scheduler, Store store, Map<String, ProviderSlot> slots,
      @Nullable String defaultProvider, List<EventSubscriber> listeners, Duration boostInterval, Executor executor,
      RetryPolicy retryPolicy, ZoneId budgetZone, List<Guard> guards, String owner, Duration leaseTime,
      AgentRegistry agents) {
    this.clock = clock;
    this.store = store;
    this.executor = executor;
    this.boostMillis = boostInterval.toMillis();
    this.grouped = store.durable();
    Map<String, Slot> s = new LinkedHashMap<>();
    slots.forEach((name, ps) -> s.put(name, new Slot(ps.provider(), name, ps.limit(), ps.retry(), ps.breaker(),
        ps.rate(), ps.taskTypes())));
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
    this.runs = new Runs(store, run -> new RunHandle(this, run));
    this.events = new Events(store, scheduler, loop, runs, listeners);
    this.ctx = new EngineContext(clock, scheduler, store, owner, leaseTime, loop, events,
        new Transitions(store, this::leaseLost, this::reload), runs);
    ProjectPauses projectPauses = new ProjectPauses();
    this.questions = new Questions(ctx);
    this.lifecycle = new Lifecycle(ctx, projectPauses, questions);
    this.lifecycle.approvals = new Approvals(ctx, questions, lifecycle);
    this.booster = lifecycle::boosted;
    Retries retries = new Retries(ctx, lifecycle, retryPolicy);
    this.resilience = new Resilience(ctx, providers, lifecycle, retries);
    this.budgets = new Budgets(ctx, budgetZone, providers, lifecycle);
    this.lifecycle.learning = new Learning(ctx, budgets);
    this.planner = new Planner(ctx, providers, budgets, resilience, lifecycle.learning);
    this.costReports = new CostReports(ctx, budgets, providers);
    Reviews reviews = new Reviews(ctx, lifecycle);
    this.pipeline = new CallPipeline(ctx, CallSteps.standard(ctx, new Guards(ctx, guards, lifecycle), budgets,
        resilience, retries, reviews, questions, lifecycle, new Collaboration(ctx, budgets, providers, retries,
        lifecycle.learning)),
        budgets, resilience, retries);
    this.recovery = new Recovery(ctx, providers, lifecycle, pipeline, resilience, budgets, projectPauses, questions,
        agents);
    this.steering = new Steering(ctx, providers, lifecycle, pipeline, resilience, budgets, projectPauses, questions,
        recovery);
  }

  /**
   * A provider instance and its policies.
   *
   * @param retry the provider's retry policy, or null for the engine's
   * @param taskTypes the task types it declares it can do (failover candidates for them)
   */
  public record ProviderSlot(AiProvider provider, int limit, @Nullable RetryPolicy retry, CircuitBreakerPolicy breaker,
      RateLimit rate, Set<String> taskTypes) {}

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
        if (grouped) {
          passInOneTransaction();
        } else {
          pass(Integer.MAX_VALUE);
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

  /** Runs up to {@code max} messages, then starts what the providers take. */
  private void pass(int max) {
    Runnable m;
    for (int i = 0; i < max && (m = mailbox.poll()) != null; i++) {
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
  }

  /**
   * A pass whose writes are one transaction (group commit): what it reports (events, finished runs, answers to
   * callers) and the provider calls it starts wait for the commit, so nobody learns of a change the store does not
   * hold yet, and no call is made that the store does not show. If the commit fails, nothing of the pass was kept:
   * the runs it wrote are reloaded from the store.
   */
  private void passInOneTransaction() {
    Transitions transitions = ctx.transitions;
    transitions.beginPass();
    boolean[] ran = new boolean[1];
    try {
      events.atomically(() -> {
        ran[0] = true;
        pass(MESSAGES_PER_TRANSACTION);
        return null;
      });
    } catch (RuntimeException e) {
      Set<RunState> written = transitions.endPass();
      if (!ran[0]) {
        // The store would not even begin a transaction (closed, unreachable): the messages still run, each write
        // on its own, so that callers hear of the failure and the loop does not spin on a mailbox it never empties.
        log.warn("The store could not begin the transaction of a pass; running its messages one write at a time",
            e);
        pass(MESSAGES_PER_TRANSACTION);
        return;
      }
      log.error("The writes of one pass of the engine could not be saved; {} run(s) reloaded from the store",
          written.size(), e);
      for (RunState run : written) {
        transitions.unsure(run);
      }
      return;
    }
    transitions.endPass();
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
      T value;
      try {
        value = action.get();
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      // The caller may read the store next: it hears back once what the action wrote is saved.
      events.afterCommit(() -> result.complete(value), () -> result.completeExceptionally(Events.notSaved()));
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

  /** A write the store refused: the run's lease is lost. */
  private void leaseLost(RunState run) {
    recovery.lost(run);
  }

  /** A transaction of the run failed part-way: memory may disagree with the store, which is the truth. */
  private void reload(RunState run) {
    recovery.reload(run);
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * Starts as many calls as the providers take: each provider's lanes give their next task while the provider has a
   * free slot, is not paused, and its breaker and rate limits let a call start; the call pipeline takes it from there.
   */
  private void dispatch() {
    Instant at = clock.instant();
    long now = at.toEpochMilli();
    for (Slot slot : providers.all()) {
      while (slot.hasWork() && slot.inFlight < slot.limit && !slot.paused) {
        if (!resilience.mayTake(slot, at)) {
          break;
        }
        TaskNode n = slot.take(now, boostMillis, booster);
        if (n.run.lost) {
          continue; // queued before the lease was lost: another engine runs it now
        }
        try {
          pipeline.start(n, slot); // a provider that asks to be left alone stops the loop at mayTake
        } catch (RuntimeException e) {
          dispatchFailed(n, slot, e);
        }
      }
    }
  }

  /**
   * A task could not be started because the store failed (it could not reserve the call's cost, or write its
   * state): it gives back its probe and reservation and goes back to its lane after a pause, so one store failure
   * loses no task, blocks no money and stops no other. A lease found lost means another engine executes the run now.
   */
  private void dispatchFailed(TaskNode n, Slot slot, RuntimeException e) {
    try {
      pipeline.stopped(n);
    } catch (RuntimeException again) {
      e.addSuppressed(again); // the sweep frees the reservation with the lease
    }
    RunLease lease = n.run.lease;
    if (lease != null && !n.run.lost && store.lease(n.run.project, n.run.id).map(l -> l.fence() != lease.fence()
        || !l.owner().equals(ctx.owner)).orElse(false)) {
      recovery.lost(n.run);
      return;
    }
    log.warn("Task not started; trying again in {} (project={}, run={}, task={}, provider={}): {}", DISPATCH_RETRY,
        n.run.project, n.run.id, n.id(), slot.name, e.toString());
    n.timer = ctx.later(DISPATCH_RETRY, () -> {
      n.timer = null;
      if (!n.run.lost && n.state() == TaskState.READY) {
        n.slot.enqueue(n, clock.millis());
      }
    });
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
    WorkflowPlan plan = WorkflowPlan.of(workflow);
    List<TaskSpec> specs = workflow.tasks();
    // Tasks naming the same providers and type share one candidates array; the problems are named task by task.
    Slot[][] candidates = providers.candidates(workflow, plan);
    Slot[][] reviewers = null; // most workflows review nothing
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      if (candidates == null) {
        providers.candidates(spec, problems);
      }
      if (spec.review() != null) {
        if (reviewers == null) {
          reviewers = new Slot[specs.size()][];
        }
        reviewers[i] = providers.reviewers(spec, problems);
      }
      Collaboration.check(spec, providers, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(workflow.name(), problems);
    }

    String runId = UUID.randomUUID().toString();
    Instant now = ctx.now();
    RunRecord runRecord = RunRecord.submitted(project, runId, workflow.name(), values, now);
    RunState run = new RunState(runId, project, workflow, Map.copyOf(values), runRecord);
    run.plan = plan;
    run.candidates = candidates;
    TaskNode[] nodes = new TaskNode[specs.size()];
    TaskRecord[] records = new TaskRecord[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      PromptTemplate titled = workflow.titleIfTemplated(i);
      String title = titled == null ? spec.title() : titled.render(values::get);
      TaskRecord record = TaskRecord.created(project, runId, spec.id(), title, spec.priority(), now);
      TaskNode n = new TaskNode(run, spec, i, record);
      if (reviewers != null && reviewers[i] != null) {
        n.reviewers = reviewers[i];
      }
      nodes[i] = n;
      records[i] = record;
    }
    run.nodes = nodes;
    run.unfinished = nodes.length;
    // The definition is stored in every store (any engine sharing it may have to rebuild the run); one that keeps it
    // in memory needs the text only when it is read.
    run.lease = store.createRun(runRecord, () -> plan.definition(workflow), Arrays.asList(records),
        here ? ctx.owner : null, ctx.leaseTime);
    RunHandle handle = runs.add(run);
    if (here) {
      post(() -> lifecycle.start(run));
    }
    return handle;
  }


  /**
   * The shadow comparisons this engine started that have not finished, once those sampled a moment ago have started
   * (waiting at most {@code wait} for them).
   */
  public List<Run> comparisons(Duration wait) throws InterruptedException {
    return comparisons.await(wait);
  }

  // ---------------------------------------------------------------- the store sync's side

  /**
   * Turns shadow evaluation on with {@code policy} (see {@code docs/learning.md}); call before the first run is
   * submitted.
   */
  public void shadows(dev.orchestrator.core.learn.ShadowPolicy policy) {
    Learning l = lifecycle.learning;
    if (l != null) {
      lifecycle.shadows = new Shadows(ctx, budgets, providers, l, policy, comparisons);
    }
  }

  /**
   * Lets {@code strategy} choose the provider of every task of {@code project} (of every project without its own
   * when null) with more than one candidate when it is first dispatched; call before the first run is submitted.
   */
  public void learning(@Nullable String project, String name, dev.orchestrator.learn.LearningStrategy strategy) {
    Learning l = lifecycle.learning;
    if (l != null) {
      l.use(project, name, strategy);
    }
  }

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
    return ctx.owner;
  }

  /** How long a lease lasts without renewal. */
  Duration leaseTime() {
    return ctx.leaseTime;
  }

  /** The leases of the runs this engine executes now, read on the timer thread to renew them. */
  List<RunLease> heldLeases() {
    return runs.heldLeases();
  }

  /** Stops the runs whose lease this engine lost: another engine executes them now. */
  void leasesLost(List<RunLease> lost) {
    recovery.leasesLost(lost);
  }

  /** Runs claimed from the store: rebuilds them (off the loop: it reads the store) and resumes them in the loop. */
  void adopt(List<RunLease> leases) {
    recovery.adopt(leases);
  }

  /** Carries out commands taken from the store for the runs this engine holds. */
  void commands(List<Command> commands) {
    steering.commands(commands);
  }

  /** Applies the stored pauses (read on the timer thread): pauses and resumes what other processes changed. */
  void applyPauses(List<Pause> stored) {
    steering.applyPauses(stored);
  }

  /** The runs this engine submitted or looked up but does not execute: their handles finish when the store says. */
  List<RunHandle> watched() {
    return runs.watched();
  }

  /** A watched run finished in another engine: completes its handle with the stored snapshot. */
  void finishedElsewhere(RunHandle h, RunSnapshot snapshot) {
    recovery.finishedElsewhere(h, snapshot);
  }

  /** Whether this engine may take more runs now (it is open). */
  boolean accepting() {
    return !closed;
  }

  // ---------------------------------------------------------------- steering, from a run's handle

  void changePriority(RunHandle h, String taskId, Priority priority) {
    steering.changePriority(h, taskId, priority);
  }

  void cancelTask(RunHandle h, String taskId, String by, String reason) {
    steering.cancelTask(h, taskId, by, reason);
  }

  void failTask(RunHandle h, String taskId, String by, String reason) {
    steering.failTask(h, taskId, by, reason);
  }

  void cancelRun(RunHandle h, String by, String reason) {
    steering.cancelRun(h, by, reason);
  }

  void resume(RunHandle h, String taskId) {
    steering.resume(h, taskId);
  }

  Run.Subscription subscribe(RunHandle h, EventSubscriber listener) {
    return events.subscribe(h, listener);
  }

  Store store() {
    return store;
  }

  // ---------------------------------------------------------------- the orchestrator's entry points

  /** The handle of a run of a project, or null. */
  public @Nullable Run run(String project, String runId) {
    return runs.find(project, runId);
  }

  /** Answers an open question; the task goes back to its queue with the answer in its prompt. */
  public void answer(String questionId, String text) {
    steering.answer(questionId, text);
  }

  /** The open questions of a project, whichever engine's tasks asked them, oldest first. */
  public List<Question> questions(String project) {
    return questions.questions(project);
  }

  /** Pauses a project in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish. */
  public void pauseProject(String project, String reason) {
    steering.pauseProject(project, reason);
  }

  /** Resumes a paused project in every engine: its paused tasks are queued again, in the order they were paused. */
  public void resumeProject(String project) {
    steering.resumeProject(project);
  }

  /** Whether a project is paused, and why; null when it is not. */
  public @Nullable String projectPause(String project) {
    return steering.projectPause(project);
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
    return costReports.report(project);
  }

  /**
   * A dry run: waves, providers, estimates, totals against budgets and problems, without calling any provider or
   * changing any state.
   */
  public Plan plan(String project, Workflow workflow, Map<String, ?> params) {
    return planner.plan(project, workflow, params);
  }

  /** Emits an event from outside the engine, in the drain loop. */
  public void publish(Event event) {
    events.publish(event);
  }

  /** Delivers every later event to {@code listener} until the subscription is closed. */
  public Run.Subscription subscribe(EventSubscriber listener) {
    return events.subscribe(listener);
  }

  /** The names of the provider instances, sorted. */
  public List<String> providers() {
    return providers.names().stream().sorted().toList();
  }

  /**
   * Stops accepting work and gives every run it executes back to the store for other engines (see {@link
   * Recovery#releaseAll()}). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      call(() -> {
        recovery.releaseAll();
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("Leases not released on close; other engines take the runs over when they expire", e);
    }
    closed = true;
    log.info("Orchestrator closed (engine={}, runs={})", ctx.owner, runs.size());
  }

}
