package dev.orchestrator.core;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.internal.ExecutorScheduler;
import dev.orchestrator.core.internal.Plugins;
import dev.orchestrator.core.internal.Submissions;
import dev.orchestrator.core.internal.WorkflowCodec;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.Provider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a cluster: it executes the tasks of runs that clients {@link #submit submitted} into a shared
 * {@link ClaimStore} (PostgreSQL through {@code JdbcStore.postgres(...)}, or the {@link InMemoryStore} in one process),
 * side by side with any number of other workers in this or other processes.
 *
 * <pre>{@code
 * // client
 * String runId = Worker.submit(store, clock, "book", workflow, Map.of("topic", "tides"));
 * // each worker process
 * try (Worker worker = Worker.builder().store(store).clock(Clock.systemUTC())
 *     .provider(PluginConfig.of("claude", "anthropic")).workerId("host-1").build()) {
 *   ... until the process should stop
 * }
 * }</pre>
 *
 * <p>What a worker does, on one named thread of its own: it claims ready tasks (up to {@code maxConcurrentCalls} in
 * flight), renders each prompt from the stored workflow definition, the run's parameters and the stored outputs of
 * upstream tasks, reserves the call's worst-case cost on the budget accounts (global, project, provider, provider per
 * day, run, task), calls the provider asynchronously (no thread is held while a call is in flight), and finishes the
 * claim with its fencing token: success, a retry after the {@link RetryPolicy}'s backoff ({@code RETRY_WAIT}), or a
 * failure. Every {@code heartbeat} it renews its leases, cancels the calls whose claims were lost or whose run or task
 * was cancelled, and sweeps expired leases and due retries back into the queue.
 *
 * <p>Limits of this first version: human input, reviews, guards, circuit breakers, rate limits and failover to
 * another provider are the single-process {@link Orchestrator}'s only; a task whose reservation is refused waits
 * {@code budgetRetry} in {@code RETRY_WAIT} (an attempt is counted); a call cut off by a crash keeps its
 * reservation reserved (the hard limit stays safe, but the reserved amount is not given back).
 *
 * <p>Thread-safe; {@link #close()} is idempotent and waits a bounded time for the worker thread.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final int DEFINITION_CACHE = 256;

  private final ClaimStore store;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Map<String, Provider> providers;
  private final String defaultProvider;
  private final RetryPolicy retryPolicy;
  private final String id;
  private final Duration lease;
  private final Duration heartbeat;
  private final Duration pollInterval;
  private final Duration boost;
  private final Duration budgetRetry;
  private final ZoneId budgetZone;
  private final int maxConcurrentCalls;
  private final List<AutoCloseable> owned;
  private final ExecutorService thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Confined to the worker thread. */
  private final Map<String, Call> held = new HashMap<>();
  /** Confined to the worker thread: the workflows of recent runs, decoded once. */
  private final Map<String, Workflow> workflows = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Workflow> eldest) {
      return size() > DEFINITION_CACHE;
    }
  };
  /** Confined to the worker thread. */
  private boolean pollQueued;
  private volatile Scheduler.@Nullable Cancellable nextPoll;
  private volatile Scheduler.@Nullable Cancellable nextBeat;

  private Worker(Builder b, ClaimStore store, Scheduler scheduler, Map<String, Provider> providers,
      List<AutoCloseable> owned) {
    this.store = store;
    this.clock = b.clock;
    this.scheduler = scheduler;
    this.providers = providers;
    this.defaultProvider = b.defaultProvider != null ? b.defaultProvider : providers.keySet().iterator().next();
    this.retryPolicy = b.retryPolicy;
    this.id = b.workerId != null ? b.workerId : "worker-" + UUID.randomUUID();
    this.lease = b.lease;
    this.heartbeat = b.heartbeat;
    this.pollInterval = b.pollInterval;
    this.boost = b.boost;
    this.budgetRetry = b.budgetRetry;
    this.budgetZone = b.budgetZone != null ? b.budgetZone : b.clock.getZone();
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.owned = owned;
    String threadName = "orchestrator-worker-" + id;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- client side

  /**
   * Submits a run for workers: validates it as {@link Orchestrator#submit} does, stores it with its definition, and
   * enqueues its tasks (those without dependencies become READY).
   *
   * @return the new run's id
   * @throws IllegalArgumentException when the project name is invalid
   * @throws InvalidWorkflowException when a parameter is missing or null, listing every problem
   * @throws IllegalStateException when the project is archived
   */
  public static String submit(ClaimStore store, Clock clock, String project, Workflow workflow,
      Map<String, ?> params) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(params, "params");
    Submissions.checkProject(store, project);
    List<String> problems = new ArrayList<>();
    Map<String, String> values = Submissions.values(workflow, params, problems);
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(workflow.name(), problems);
    }
    String runId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    RunRecord run = new RunRecord(project, runId, workflow.name(), RunStatus.RUNNING, values, now, null, null);
    List<TaskRecord> tasks = new ArrayList<>();
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (TaskSpec spec : workflow.tasks()) {
      String title = PromptTemplate.of(spec.title()).render(values::get);
      tasks.add(TaskRecord.created(project, runId, spec.id(), title, spec.priority(), now));
      edges.put(spec.id(), spec.dependsOn());
    }
    store.createRun(run, WorkflowCodec.write(workflow), tasks);
    store.enqueue(project, runId, edges);
    log.info("Run submitted for workers (project={}, run={}, workflow={}, tasks={})", project, runId,
        workflow.name(), tasks.size());
    return runId;
  }

  // ---------------------------------------------------------------- facts

  /** This worker's id, as stored with its leases. */
  public String id() {
    return id;
  }

  /** The provider instances this worker calls, by name. */
  public List<String> providers() {
    return List.copyOf(providers.keySet());
  }

  // ---------------------------------------------------------------- the loop

  private void start() {
    nextPoll = scheduler.schedule(this::queuePoll, Duration.ZERO);
    nextBeat = scheduler.schedule(this::queueBeat, heartbeat);
  }

  private void queuePoll() {
    post(() -> {
      if (!pollQueued) {
        pollQueued = true;
        poll();
      }
    });
  }

  private void queueBeat() {
    post(this::beat);
  }

  private void post(Runnable work) {
    if (closed.get()) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.warn("Worker step failed; it is tried again on the next beat (worker={}): {}", id, e.toString(), e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Claims what there is room for; polls again at once when it got all it asked for, else after pollInterval. */
  private void poll() {
    pollQueued = false;
    if (closed.get()) {
      return;
    }
    int room = maxConcurrentCalls - held.size();
    List<Claim> claims = List.of();
    if (room > 0) {
      try {
        claims = store.claim(id, room, lease, boost);
      } catch (RuntimeException e) {
        log.warn("Claim failed (worker={}): {}", id, e.getMessage());
      }
      for (Claim c : claims) {
        begin(c);
      }
    }
    if (room > 0 && claims.size() == room) {
      pollQueued = true;
      post(this::poll);
    } else {
      Scheduler.Cancellable old = nextPoll;
      if (old != null) {
        old.cancel();
      }
      nextPoll = scheduler.schedule(this::queuePoll, pollInterval);
    }
  }

  private void beat() {
    if (closed.get()) {
      return;
    }
    try {
      List<Claim> claims = new ArrayList<>(held.size());
      for (Call c : held.values()) {
        claims.add(c.claim);
      }
      for (Claim lost : store.heartbeat(id, claims, lease)) {
        Call c = held.get(key(lost));
        if (c != null && c.claim.fence() == lost.fence()) {
          c.cancelled = cancelled(lost);
          c.lost = !c.cancelled;
          log.info("Claim ended by the store; stopping its call (worker={}, project={}, run={}, task={}, reason={})",
              id, lost.project(), lost.runId(), lost.taskId(), c.cancelled ? "cancelled" : "lost");
          c.future.cancel(true);
        }
      }
      store.sweep();
    } catch (RuntimeException e) {
      log.warn("Heartbeat failed (worker={}): {}", id, e.getMessage());
    } finally {
      if (!closed.get()) {
        nextBeat = scheduler.schedule(this::queueBeat, heartbeat);
      }
    }
  }

  private boolean cancelled(Claim c) {
    RunRecord r = store.run(c.project(), c.runId()).orElse(null);
    if (r == null || r.cancellation() != null || r.status() == RunStatus.CANCELLED) {
      return true;
    }
    TaskRecord t = store.task(c.project(), c.runId(), c.taskId()).orElse(null);
    return t != null && t.cancellation() != null;
  }

  private static String key(Claim c) {
    return c.project() + '\u0000' + c.runId() + '\u0000' + c.taskId();
  }

  /** Prepares and starts one claimed call; any problem with the stored run fails the task (it cannot get better). */
  private void begin(Claim claim) {
    Instant now = clock.instant();
    TaskRecord record = store.task(claim.project(), claim.runId(), claim.taskId()).orElse(null);
    RunRecord run = store.run(claim.project(), claim.runId()).orElse(null);
    if (record == null || run == null) {
      log.warn("Claimed a task that is not stored (worker={}, project={}, run={}, task={})", id, claim.project(),
          claim.runId(), claim.taskId());
      return;
    }
    // Attempts cut off by a lost lease (a crashed or stalled worker) are written down as interrupted.
    while (record.attempts().size() < claim.attempt() - 1) {
      String p = record.provider() != null ? record.provider() : defaultProvider;
      record = record.withAttemptStarted(p, now);
      record = record.withLastAttempt(record.lastAttempt().ended(now, Outcome.FAILED, ErrorKind.UNKNOWN,
          "interrupted: the lease expired before the attempt ended (the worker stopped or lost the store)",
          TokenUsage.NONE, Money.ZERO));
    }
    Workflow workflow;
    TaskSpec spec;
    try {
      workflow = workflows.get(claim.project() + '\u0000' + claim.runId());
      if (workflow == null) {
        String definition = store.definition(claim.project(), claim.runId()).orElse("");
        if (definition.isBlank()) {
          throw new OrchestratorException("run " + claim.runId() + " has no stored workflow definition: submit it "
              + "with Worker.submit so workers can read it");
        }
        workflow = WorkflowCodec.read(definition);
        workflows.put(claim.project() + '\u0000' + claim.runId(), workflow);
      }
      spec = workflow.task(claim.taskId());
      if (spec == null) {
        throw new OrchestratorException("the stored workflow of run " + claim.runId() + " has no task '"
            + claim.taskId() + "'");
      }
    } catch (RuntimeException e) {
      fail(claim, record, defaultProvider, now, ErrorKind.INVALID_REQUEST, e.getMessage());
      return;
    }
    String providerName = chooseProvider(spec);
    if (providerName == null) {
      fail(claim, record, defaultProvider, now, ErrorKind.INVALID_REQUEST, "task '" + spec.id() + "' names providers "
          + spec.providers() + ", none of which this worker has (it has " + providers.keySet()
          + "): register one of them on every worker");
      return;
    }
    Provider provider = providers.get(providerName);
    Map<String, String> params = run.params();
    Function<String, @Nullable String> lookup = name -> {
      String ref = PromptTemplate.taskReference(name);
      if (ref != null) {
        return store.task(claim.project(), claim.runId(), ref).map(TaskRecord::output).orElse(null);
      }
      if (name.equals(PromptTemplate.INPUT)) {
        return "";
      }
      return params.get(name);
    };
    ProviderRequest request = new ProviderRequest(spec.prompt().render(lookup),
        spec.system() == null ? null : PromptTemplate.of(spec.system()).render(lookup), spec.maxOutputTokens(),
        spec.expectedOutput(), spec.taskType(), spec.timeout());
    BigDecimal reserve;
    try {
      reserve = provider.estimate(request).high().amount();
    } catch (RuntimeException e) {
      log.warn("Estimate failed; reserving nothing (worker={}, provider={}): {}", id, providerName, e.toString());
      reserve = BigDecimal.ZERO;
    }
    LocalDate day = LocalDate.ofInstant(now, budgetZone);
    List<Account> accounts = List.of(new Account(BudgetScope.global(), null),
        new Account(BudgetScope.project(claim.project()), null), new Account(BudgetScope.provider(providerName), null),
        new Account(BudgetScope.providerDaily(providerName), day), new Account(BudgetScope.run(claim.runId()), null),
        new Account(BudgetScope.task(claim.runId(), claim.taskId()), null));
    BudgetScope refused = store.reserve(accounts, reserve, spec.maxCost() == null ? null : spec.maxCost().amount());
    record = record.withAttemptStarted(providerName, now);
    if (refused != null) {
      TaskRecord waiting = record.withLastAttempt(record.lastAttempt().ended(now, Outcome.FAILED, ErrorKind.BUDGET,
          "budget " + refused + " would be exceeded by " + reserve.toPlainString(), TokenUsage.NONE, Money.ZERO))
          .withError(ErrorKind.BUDGET, "budget " + refused + " would be exceeded: raise its limit or wait")
          .moveTo(TaskState.RETRY_WAIT, now);
      store.finish(claim, waiting, now.plus(budgetRetry), List.of(), BigDecimal.ZERO, BigDecimal.ZERO);
      return;
    }
    CompletableFuture<ProviderResponse> future;
    try {
      future = provider.complete(request, new CallContext(claim.project(), claim.runId(), claim.taskId(),
          claim.attempt()));
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    Call call = new Call(claim, record, spec, providerName, accounts, reserve, future);
    held.put(key(claim), call);
    Duration timeout = spec.timeout();
    if (timeout != null) {
      CompletableFuture<ProviderResponse> f = future;
      call.timer = scheduler.schedule(() -> f.completeExceptionally(new TimeoutException(
          "no reply within " + timeout)), timeout);
    }
    future.whenComplete((response, error) -> post(() -> end(call, response, error)));
  }

  private @Nullable String chooseProvider(TaskSpec spec) {
    if (spec.providers().isEmpty()) {
      return defaultProvider;
    }
    for (String p : spec.providers()) {
      String name = p.toLowerCase(Locale.ROOT);
      if (providers.containsKey(name)) {
        return name;
      }
    }
    return null;
  }

  private void fail(Claim claim, TaskRecord record, String provider, Instant now, ErrorKind kind, String message) {
    TaskRecord started = record.withAttemptStarted(provider, now);
    TaskRecord failed = started.withLastAttempt(started.lastAttempt().ended(now, Outcome.FAILED, kind, message,
        TokenUsage.NONE, Money.ZERO)).withError(kind, message).moveTo(TaskState.FAILED, now);
    store.finish(claim, failed, null, List.of(), BigDecimal.ZERO, BigDecimal.ZERO);
    log.warn("Task failed before its call (worker={}, project={}, run={}, task={}, problem={})", id, claim.project(),
        claim.runId(), claim.taskId(), message);
  }

  private void end(Call call, @Nullable ProviderResponse response, @Nullable Throwable error) {
    if (held.get(key(call.claim)) != call) {
      return;
    }
    held.remove(key(call.claim));
    if (call.timer != null) {
      call.timer.cancel();
    }
    queuePollSoon();
    if (call.lost) {
      return; // another worker has the task now; its lease and its result are not ours
    }
    Instant now = clock.instant();
    Claim claim = call.claim;
    TaskRecord record = call.record;
    TaskRecord done;
    Instant retryAt = null;
    BigDecimal actual = BigDecimal.ZERO;
    if (call.cancelled) {
      done = record.withLastAttempt(record.lastAttempt().ended(now, Outcome.CANCELLED, ErrorKind.CANCELLED,
          "cancelled", TokenUsage.NONE, Money.ZERO)).moveTo(TaskState.CANCELLED, now);
    } else if (error == null && response != null) {
      actual = response.cost().amount();
      done = record.withLastAttempt(record.lastAttempt().ended(now, Outcome.SUCCEEDED, null, null, response.usage(),
          response.cost())).withOutput(response.text()).moveTo(TaskState.SUCCEEDED, now);
    } else {
      Throwable cause = error;
      while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      ErrorKind kind = cause instanceof ProviderException pe ? pe.kind()
          : cause instanceof TimeoutException ? ErrorKind.TIMEOUT
          : cause instanceof CancellationException ? ErrorKind.CANCELLED
          : cause == null ? ErrorKind.MALFORMED_RESPONSE : ErrorKind.UNKNOWN;
      String message = cause == null ? "provider completed with no response" : String.valueOf(cause.getMessage());
      RetryPolicy policy = call.spec.retry() != null ? call.spec.retry() : retryPolicy;
      boolean again = policy.retries(kind, claim.attempt());
      TaskRecord ended = record.withLastAttempt(record.lastAttempt().ended(now,
          kind == ErrorKind.TIMEOUT ? Outcome.TIMED_OUT : Outcome.FAILED, kind, message, TokenUsage.NONE, Money.ZERO))
          .withError(kind, message);
      if (again) {
        Duration delay = policy.backoff(claim.attempt());
        if (cause instanceof ProviderException pe && pe.retryAfter() != null
            && pe.retryAfter().compareTo(delay) > 0) {
          delay = pe.retryAfter();
        }
        retryAt = now.plus(delay);
        done = ended.moveTo(TaskState.RETRY_WAIT, now);
        log.info("Retry scheduled (worker={}, run={}, task={}, attempt={}, delay={}, kind={})", id, claim.runId(),
            claim.taskId(), claim.attempt(), delay, kind);
      } else {
        done = ended.moveTo(TaskState.FAILED, now);
        log.warn("Task failed (worker={}, run={}, task={}, attempt={}, kind={})", id, claim.runId(), claim.taskId(),
            claim.attempt(), kind);
      }
    }
    try {
      if (!store.finish(claim, done, retryAt, call.accounts, call.reserved, actual)) {
        log.info("Late result rejected: the claim was lost (worker={}, run={}, task={}, fence={})", id,
            claim.runId(), claim.taskId(), claim.fence());
      }
    } catch (RuntimeException e) {
      log.warn("Finish failed; the lease will expire and the task run again (worker={}, run={}, task={}): {}", id,
          claim.runId(), claim.taskId(), e.getMessage());
    }
  }

  private void queuePollSoon() {
    if (!pollQueued) {
      pollQueued = true;
      post(this::poll);
    }
  }

  /**
   * Stops claiming, cancels the calls in flight (their leases run out and other workers take the tasks over), waits
   * up to 5 seconds for the worker thread, and closes the scheduler and providers this worker made. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Scheduler.Cancellable p = nextPoll;
    Scheduler.Cancellable b = nextBeat;
    if (p != null) {
      p.cancel();
    }
    if (b != null) {
      b.cancel();
    }
    thread.execute(() -> {
      for (Call c : held.values()) {
        c.lost = true;
        c.future.cancel(true);
      }
      held.clear();
    });
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Resource did not close cleanly (resource={})", c.getClass().getName(), e);
      }
    }
    log.info("Worker closed (worker={})", id);
  }

  @Override
  public String toString() {
    return "Worker[" + id + ", providers=" + providers.keySet() + "]";
  }

  /** A call in flight; confined to the worker thread. */
  private static final class Call {
    final Claim claim;
    final TaskRecord record;
    final TaskSpec spec;
    final String provider;
    final List<Account> accounts;
    final BigDecimal reserved;
    final CompletableFuture<ProviderResponse> future;
    Scheduler.@Nullable Cancellable timer;
    boolean lost;
    boolean cancelled;

    Call(Claim claim, TaskRecord record, TaskSpec spec, String provider, List<Account> accounts, BigDecimal reserved,
        CompletableFuture<ProviderResponse> future) {
      this.claim = claim;
      this.record = record;
      this.spec = spec;
      this.provider = provider;
      this.accounts = accounts;
      this.reserved = reserved;
      this.future = future;
    }
  }

  /**
   * Builds a {@link Worker}. Mutable and not thread-safe; {@link #build()} starts the worker.
   */
  public static final class Builder {
    private Clock clock = Clock.system(ZoneOffset.UTC);
    private @Nullable Scheduler scheduler;
    private @Nullable ClaimStore store;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final List<PluginConfig> configs = new ArrayList<>();
    private final Map<String, ProviderFactory> factories = new HashMap<>();
    private @Nullable String defaultProvider;
    private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    private @Nullable String workerId;
    private Duration lease = Duration.ofSeconds(30);
    private Duration heartbeat = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration boost = Duration.ofHours(24);
    private Duration budgetRetry = Duration.ofMinutes(1);
    private @Nullable ZoneId budgetZone;
    private int maxConcurrentCalls = 16;
    private Function<String, @Nullable String> environment = System::getenv;
    private @Nullable ClassLoader classLoader;

    Builder() {}

    /** The clock for attempt times, retry times and budget days; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the worker's polls, heartbeats and call timeouts are scheduled; an owned timer thread by default. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The store the cluster shares (required). */
    public Builder store(ClaimStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Registers a provider instance under its name.
     *
     * @throws IllegalArgumentException when another instance has the same name
     */
    public Builder provider(Provider provider) {
      Objects.requireNonNull(provider, "provider");
      String name = provider.name().toLowerCase(Locale.ROOT);
      if (providers.containsKey(name)) {
        throw new IllegalArgumentException("two providers are named '" + name + "': give each instance its own name");
      }
      providers.put(name, provider);
      return this;
    }

    /** Configures a provider instance made by the factory of its type (registered or discovered). */
    public Builder provider(PluginConfig config) {
      configs.add(Objects.requireNonNull(config, "config"));
      return this;
    }

    /** Registers a provider factory; it wins over a discovered one of the same type. */
    public Builder providerFactory(ProviderFactory factory) {
      Objects.requireNonNull(factory, "factory");
      factories.put(factory.type().toLowerCase(Locale.ROOT), factory);
      return this;
    }

    /** The provider of tasks that name none; the first registered by default. */
    public Builder defaultProvider(String name) {
      this.defaultProvider = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
      return this;
    }

    /** The retry policy of tasks that have none of their own; {@link RetryPolicy#ofDefaults()} by default. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** This worker's id in the store (unique in the cluster); a random one by default. */
    public Builder workerId(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("workerId must not be blank (was " + (id == null ? "null" : "'" + id + "'")
            + "): use the host name and process id, for example");
      }
      this.workerId = id;
      return this;
    }

    /** How long a claim holds without a heartbeat; 30 seconds by default. */
    public Builder lease(Duration lease) {
      this.lease = positive("lease", lease);
      return this;
    }

    /** How often leases are renewed and the store swept; 10 seconds by default, and less than the lease. */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = positive("heartbeat", heartbeat);
      return this;
    }

    /** How long an idle worker waits before it looks for work again; 500 ms by default. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive("pollInterval", interval);
      return this;
    }

    /** How long a ready task waits in its lane before it counts one lane higher; 24 hours by default. */
    public Builder boostInterval(Duration boost) {
      this.boost = positive("boostInterval", boost);
      return this;
    }

    /** How long a task whose reservation was refused waits before it is tried again; 1 minute by default. */
    public Builder budgetRetry(Duration wait) {
      this.budgetRetry = positive("budgetRetry", wait);
      return this;
    }

    /** The time zone of daily budgets; the clock's zone by default. */
    public Builder budgetZone(ZoneId zone) {
      this.budgetZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** The most calls this worker has in flight at once; 16 by default. */
    public Builder maxConcurrentCalls(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be >= 1 (was " + limit + ")");
      }
      this.maxConcurrentCalls = limit;
      return this;
    }

    /** Where providers read their keys; the process environment by default. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Where provider factories are discovered; the thread's context class loader by default. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive (was " + d + ")");
      }
      return d;
    }

    /**
     * Makes the providers, starts the worker and returns it.
     *
     * @throws IllegalStateException when no store or no provider is given, the heartbeat is not shorter than the
     *     lease, or the default provider is unknown
     * @throws OrchestratorException when a configured provider's type has no factory
     */
    public Worker build() {
      if (store == null) {
        throw new IllegalStateException("no store: call store(...) with the ClaimStore the cluster shares");
      }
      if (heartbeat.compareTo(lease) >= 0) {
        throw new IllegalStateException("heartbeat must be shorter than the lease (was " + heartbeat + " >= " + lease
            + "): a third of the lease is a good heartbeat");
      }
      List<AutoCloseable> owned = new ArrayList<>();
      Scheduler sched = scheduler;
      if (sched == null) {
        ExecutorScheduler s = new ExecutorScheduler("orchestrator-worker-timer");
        owned.add(s);
        sched = s;
      }
      Map<String, Provider> all;
      try {
        all = Plugins.providers(providers, configs, factories, classLoader,
            new PluginContext(clock, sched, environment), owned).byName();
      } catch (RuntimeException e) {
        closeAll(owned);
        throw e;
      }
      if (defaultProvider != null && !all.containsKey(defaultProvider)) {
        closeAll(owned);
        throw new IllegalStateException("defaultProvider '" + defaultProvider + "' is not registered (registered: "
            + all.keySet() + ")");
      }
      Worker w = new Worker(this, store, sched, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(all)),
          List.copyOf(owned));
      w.start();
      log.info("Worker started (worker={}, providers={}, maxConcurrentCalls={}, lease={}, heartbeat={})", w.id,
          all.keySet(), maxConcurrentCalls, lease, heartbeat);
      return w;
    }

    private static void closeAll(List<AutoCloseable> owned) {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          log.warn("Resource did not close cleanly (resource={})", c.getClass().getName(), e);
        }
      }
    }
  }
}
