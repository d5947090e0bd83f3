package dev.orchestrator.core;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Scheduler;
import dev.orchestrator.core.internal.AgentRegistry;
import dev.orchestrator.core.internal.Engine;
import dev.orchestrator.core.internal.EngineNames;
import dev.orchestrator.core.internal.StoreSync;
import dev.orchestrator.spi.PluginDiscovery;
import dev.orchestrator.core.internal.Plugins;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.project.Project;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: runs workflows in projects, on named provider instances, in priority order.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.builder()
 *     .provider(myClaudeProvider)
 *     .listener(event -> System.out.println(event))
 *     .build()) {
 *   Run run = orchestrator.submit("blog", workflow, Map.of("topic", "tides"));
 *   RunSnapshot done = run.completion().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. It owns a dispatch thread and a timer thread unless an executor and a scheduler are given;
 * {@link #close()} stops them.
 */
public final class Orchestrator implements AutoCloseable {
  static {
    // Components of core built on the engine (the scheduling service) record their events through it; the facade
    // itself offers no way to forge one.
    dev.orchestrator.core.internal.EngineAccess.install((o, e) -> o.engine.publish(e));
  }

  private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);

  private final Engine engine;
  private final Store store;
  private final Clock clock;
  private final List<AutoCloseable> owned;
  private final List<String> pluginProblems;
  private volatile boolean closed;

  /** The agent processes this engine's providers started. */
  private final AgentRegistry agents;

  private Orchestrator(Engine engine, Store store, Clock clock, List<AutoCloseable> owned,
      List<String> pluginProblems, AgentRegistry agents) {
    this.agents = agents;
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.owned = owned;
    this.pluginProblems = pluginProblems;
  }

  /** Starts configuring an orchestrator. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Submits a workflow with no parameter values.
   *
   * @see #submit(String, Workflow, Map)
   */
  public Run submit(String project, Workflow workflow) {
    return submit(project, workflow, Map.of());
  }

  /**
   * Submits a run of {@code workflow} in {@code project}. Tasks whose dependencies are met are queued at once.
   *
   * @param project the project, such as {@code "quantum-self"}
   * @param workflow what to run
   * @param params a value for every parameter without a default, written into prompts as documented: text as
   *     given, numbers in their shortest form ({@code 300.0} as {@code 300}, {@code 0.5} as {@code 0.5}, no
   *     exponent), booleans as {@code true} / {@code false}, collections and arrays as their items joined with
   *     {@code ", "}
   * @return the run's handle
   * @throws InvalidWorkflowException when a parameter is missing or a task names an unknown provider; nothing
   *     is submitted
   * @throws IllegalArgumentException when the project name is invalid
   * @throws IllegalStateException when the orchestrator is closed
   */
  public Run submit(String project, Workflow workflow, Map<String, ?> params) {
    return engine.submit(project, workflow, params);
  }

  /**
   * Stores a run of {@code workflow} for any engine sharing the store to execute (a cluster's workers, or this
   * orchestrator when it claims runs): the returned handle follows it through the store, and steering it (cancel,
   * resume, priority) reaches whichever engine executes it.
   *
   * @throws InvalidWorkflowException as {@link #submit(String, Workflow, Map)} does; nothing is stored
   */
  public Run enqueue(String project, Workflow workflow, Map<String, ?> params) {
    return engine.enqueue(project, workflow, params);
  }

  /**
   * A run of a project, whichever engine executes it: this orchestrator's own runs directly, any other run of the
   * store through a handle that reads the store and steers the run by commands to the engine that holds it.
   */
  public Optional<Run> run(String project, String runId) {
    return Optional.ofNullable(engine.run(project, runId));
  }

  /** The runs of a project in the store, oldest first. */
  public List<RunRecord> runs(String project) {
    return store.runs(project);
  }

  /** The questions of a project waiting for a human, oldest first. */
  public List<Question> questions(String project) {
    return engine.questions(project);
  }

  /**
   * Answers a question; the asking task is queued again with the answer in its prompt ({@code {{input}}}, or
   * appended after the instructions).
   *
   * @throws IllegalArgumentException when there is no such open question or the answer is blank
   * @throws IllegalStateException when it was already answered
   */
  public void answer(String questionId, String answer) {
    engine.answer(questionId, answer);
  }

  /**
   * Pauses a provider by hand: its queued tasks wait in {@code PAUSED} (they do not fail over), running calls finish.
   *
   * @throws IllegalArgumentException when there is no such provider or the reason is blank
   */
  public void pauseProvider(String provider, String reason) {
    engine.pauseProvider(provider, reason);
  }

  /** Resumes a paused provider; its paused tasks are queued again. Does nothing when it is not paused. */
  public void resumeProvider(String provider) {
    engine.resumeProvider(provider);
  }

  /**
   * Pauses a project: its queued tasks wait in {@code PAUSED}, running calls finish, and tasks that become ready
   * meanwhile wait too.
   *
   * @throws IllegalArgumentException when the project name or the reason is invalid
   */
  public void pauseProject(String project, String reason) {
    engine.pauseProject(project, reason);
  }

  /** Resumes a paused project; its paused tasks are queued again. Does nothing when it is not paused. */
  public void resumeProject(String project) {
    engine.resumeProject(project);
  }

  /** Why a project is paused, or empty when it is not. */
  public Optional<String> projectPause(String project) {
    return Optional.ofNullable(engine.projectPause(project));
  }

  /** The names of every project that is not archived, sorted. */
  public List<String> projects() {
    return store.projects();
  }

  /**
   * Creates a project in the clock's time zone. Submitting into an unknown project creates it too.
   *
   * @throws IllegalStateException when it exists already
   * @throws IllegalArgumentException when the name is invalid
   */
  public Project createProject(String name) {
    return createProject(name, clock.getZone(), Map.of());
  }

  /** Creates a project with its time zone and settings. */
  public Project createProject(String name, java.time.ZoneId zone, Map<String, String> settings) {
    Project p = Project.builder().name(name).createdAt(clock.instant()).zone(zone).settings(settings).build();
    store.createProject(p);
    return p;
  }

  /** A project, archived or not. */
  public Optional<Project> project(String name) {
    return store.project(name);
  }

  /** Every project, archived ones only when asked. */
  public List<Project> projectList(boolean includeArchived) {
    return store.projectList(includeArchived);
  }

  /**
   * Archives a project: it becomes read-only and is hidden from lists until restored.
   *
   * @throws IllegalStateException when it has unfinished runs
   * @throws IllegalArgumentException when there is no such project
   */
  public void archiveProject(String name) {
    Project p = requireProject(name);
    long running = store.runs(name).stream().filter(r -> !r.status().isFinished()).count();
    if (running > 0) {
      throw new IllegalStateException("project '" + name + "' has " + running + " unfinished run"
          + (running == 1 ? "" : "s") + ": cancel them or let them finish before archiving");
    }
    store.updateProject(p.withArchived(true));
  }

  /** Restores an archived project. */
  public void restoreProject(String name) {
    store.updateProject(requireProject(name).withArchived(false));
  }

  /** Replaces a project's settings. */
  public void updateProjectSettings(String name, Map<String, String> settings) {
    store.updateProject(requireProject(name).withSettings(settings));
  }

  private Project requireProject(String name) {
    return store.project(name).orElseThrow(() -> new IllegalArgumentException("there is no project '" + name
        + "' (projects: " + store.projectList(true).stream().map(Project::name).toList() + ")"));
  }

  /** A provider's circuit breaker and pause state now. */
  public CircuitState circuit(String provider) {
    return engine.circuit(provider);
  }

  /**
   * Failure patterns per provider and task type over the {@code window} before now, with suggestions. Its
   * {@link FailureReport#toText()} is what the command line prints; {@link Reports#toJson(Object)} gives JSON.
   */
  public FailureReport failureReport(Duration window) {
    return engine.failureReport(window);
  }

  /**
   * Sets or replaces a hard spending limit, at run time. Raising a limit resumes the tasks it held back; lowering it
   * below what is spent lets no new call start under it.
   *
   * @throws IllegalArgumentException when the scope names a provider that is not configured
   */
  public void setBudget(Budget budget) {
    engine.setBudget(budget);
  }

  /** Removes a limit; returns whether there was one. Tasks it held back resume. */
  public boolean removeBudget(BudgetScope scope) {
    return engine.removeBudget(scope);
  }

  /** Every limit set. */
  public List<Budget> budgets() {
    return engine.budgets();
  }

  /** The cost report of everything: spent, reserved, remaining, forecast, and every account. */
  public CostReport costReport() {
    return engine.costReport(null);
  }

  /** The cost report of one project. */
  public CostReport costReport(String project) {
    return engine.costReport(Objects.requireNonNull(project, "project"));
  }

  /**
   * A dry run of a workflow: no provider is called and nothing is submitted. The plan lists the waves, the provider
   * and estimated cost and duration of each task, totals against every budget, and the problems found (missing
   * parameters, unknown providers, open circuits, paused providers, budgets the expected cost would break, tasks
   * that can never run).
   */
  public Plan plan(String project, Workflow workflow, Map<String, ?> params) {
    return engine.plan(project, workflow, params);
  }

  /**
   * Delivers every later event of every project to {@code listener}, on the engine's thread, until the returned
   * subscription is closed; for front ends that attach to a running orchestrator. A listener that throws is logged
   * and skipped.
   */
  public Run.Subscription subscribe(EventSubscriber listener) {
    return engine.subscribe(listener);
  }

  /**
   * The shadow comparisons (runs of workflow {@code shadow-comparison}, see {@code docs/learning.md}) this
   * orchestrator started and that have not finished. A comparison starts a moment after the success it compares is
   * committed: those sampled but not started yet are waited for, at most {@code wait}. A process about to end waits
   * for the comparisons' completion, or leaves them in the store for an engine that claims runs (a worker).
   *
   * @throws InterruptedException when the thread is interrupted while it waits
   */
  public List<Run> shadowComparisons(Duration wait) throws InterruptedException {
    return engine.comparisons(Objects.requireNonNull(wait, "wait"));
  }

  /**
   * Delivers to {@code listener} every event appended to the store after {@code fromSequence} by any process that
   * shares it, in order and once each, until the returned feed is closed: see {@link EventFeed}.
   */
  public EventFeed follow(long fromSequence, EventSubscriber listener) {
    return EventFeed.builder(store).from(fromSequence).start(listener);
  }


  /** The engine's clock, for components that must agree with it on the time. */
  public Clock clock() {
    return clock;
  }

  /** The provider instance names, sorted. */
  public List<String> providers() {
    return engine.providers();
  }

  /** Plugins that were found but could not be loaded, one sentence each. */
  public List<String> pluginProblems() {
    return pluginProblems;
  }

  /**
   * This engine instance's name, as the store's leases show it ({@link Store#lease}): the one given to {@link
   * Builder#engineName}, else the generated default. Tells whether a run is executed here or by another engine.
   */
  public String engineName() {
    return engine.owner();
  }

  /**
   * What can be read of the engine's store (runs, tasks, events, budgets, balances, pauses), as every process sharing
   * it sees them: for dashboards and reports. Changes go through this engine's methods, which check and record them.
   */
  public StoreView store() {
    return store;
  }

  /**
   * Ends the agent processes (command-line agents) that calls of this engine started and that still run, with their
   * whole process trees: each is asked to end, and killed when it has not after {@code grace}. For a process that is
   * exiting without closing the engine (a shutdown hook on SIGTERM); {@link #close()} ends them too. Blocks at most
   * about {@code grace} per process. Thread-safe.
   */
  public void endAgentProcesses(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    agents.endOwn(grace);
  }

  /**
   * Stops accepting work, lets the dispatch thread finish its current messages (up to 5 seconds), and closes
   * the threads, scheduler and providers this orchestrator created. Instances passed in by the application are
   * left open. Idempotent; a second caller waits until the first has closed it (a shutdown hook may close it while the
   * application does).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    engine.close();
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Resource did not close cleanly (resource={})", c.getClass().getName(), e);
      }
    }
  }

  /**
   * Configures an {@link Orchestrator}. Mutable and not thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private @Nullable Store store;
    private final Map<String, AiProvider> providers = new LinkedHashMap<>();
    private final List<PluginConfig> configs = new ArrayList<>();
    private final Map<String, ProviderFactory> factories = new HashMap<>();
    private @Nullable String engineName;
    private boolean claimRuns = true;
    private Duration lease = Duration.ofSeconds(30);
    private Duration syncInterval = Duration.ofSeconds(1);
    /** Each provider instance's options, by instance name (lower case), as given with the instance. */
    private final Map<String, ProviderOptions> options = new HashMap<>();
    private int defaultLimit = 8;
    private @Nullable String defaultProvider;
    private @Nullable String learningName;
    private java.util.function.UnaryOperator<AiProvider> providerDecorator = p -> p;
    private dev.orchestrator.core.learn.@Nullable ShadowPolicy shadowPolicy;
    private dev.orchestrator.learn.@Nullable LearningStrategy learningStrategy;
    private final Map<String, Map.Entry<String, dev.orchestrator.learn.LearningStrategy>> projectStrategies =
        new LinkedHashMap<>();
    private final List<EventSubscriber> listeners = new ArrayList<>();
    private Duration boostInterval = Duration.ofHours(24);
    private java.util.concurrent.@Nullable Executor executor;
    private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    private CircuitBreakerPolicy breakerPolicy = CircuitBreakerPolicy.ofDefaults();
    private java.time.@Nullable ZoneId budgetZone;
    private final List<dev.orchestrator.spi.guard.Guard> guards = new ArrayList<>();
    private final List<PluginConfig> guardConfigs = new ArrayList<>();
    private boolean defaultGuards = true;
    private final List<Budget> initialBudgets = new ArrayList<>();
    private Function<String, @Nullable String> environment = System::getenv;
    private @Nullable ClassLoader classLoader;

    Builder() {}

    /** The clock for every timestamp; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where delays (timeouts, retry waits, lease renewals) are scheduled. By default the orchestrator makes a
     * {@link Scheduler#daemon(String) daemon} named {@code orchestrator-timer} and closes it when it closes; one given
     * here stays the caller's to close ({@link Scheduler#of} adapts an executor the application already has).
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where state lives; a new {@link InMemoryStore} by default. */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Registers a provider instance under its {@link AiProvider#name()}. An explicit instance wins over a configured
     * one of the same name.
     *
     * @throws IllegalArgumentException when another explicit instance has the same name
     */
    public Builder provider(AiProvider provider) {
      Objects.requireNonNull(provider, "provider");
      String name = provider.name().toLowerCase(Locale.ROOT);
      refuseAutoName(name);
      if (providers.containsKey(name)) {
        throw new IllegalArgumentException("two providers are named '" + name + "': give each instance its own name");
      }
      providers.put(name, provider);
      return this;
    }

    /** Registers a provider instance and its concurrency limit: {@code provider(p, options with that limit)}. */
    public Builder provider(AiProvider provider, int maxConcurrentCalls) {
      return provider(provider, ProviderOptions.builder().maxConcurrentCalls(maxConcurrentCalls).build());
    }

    /**
     * Registers a provider instance with how the engine treats it (concurrency, retries, circuit breaker, rate limit,
     * task types).
     *
     * @throws IllegalArgumentException when another explicit instance has the same name
     */
    public Builder provider(AiProvider provider, ProviderOptions options) {
      Objects.requireNonNull(options, "options");
      provider(provider);
      this.options.put(provider.name().toLowerCase(Locale.ROOT), options);
      return this;
    }

    /**
     * Configures a provider instance to be created by the factory of its type (discovered or registered).
     */
    public Builder provider(PluginConfig config) {
      Objects.requireNonNull(config, "config");
      refuseAutoName(config.name().toLowerCase(Locale.ROOT));
      configs.add(config);
      return this;
    }

    private static void refuseAutoName(String name) {
      if (name.equals(dev.orchestrator.workflow.TaskSpec.AUTO_PROVIDER)) {
        throw new IllegalArgumentException("provider instance name '" + name + "' is reserved: \"assigned_to\": \""
            + name + "\" lets the learning strategy choose among the instances; give the instance another name,"
            + " such as 'auto-1'");
      }
    }

    /** Configures a provider instance with how the engine treats it. */
    public Builder provider(PluginConfig config, ProviderOptions options) {
      Objects.requireNonNull(options, "options");
      provider(config);
      this.options.put(config.name().toLowerCase(Locale.ROOT), options);
      return this;
    }

    /**
     * Wraps every provider instance, those given as objects and those created from a {@link PluginConfig} alike, in
     * what {@code decorator} returns (which keeps the instance's name): tracing each call, for instance
     * ({@code ProviderCallTracing::wrap} in {@code orchestrator-opentelemetry}). Decorators given in turn apply in
     * that order, the last one outermost.
     */
    public Builder decorateProviders(java.util.function.UnaryOperator<AiProvider> decorator) {
      Objects.requireNonNull(decorator, "decorator");
      java.util.function.UnaryOperator<AiProvider> before = providerDecorator;
      this.providerDecorator = p -> decorator.apply(before.apply(p));
      return this;
    }

    /** Registers a provider factory; it wins over a discovered factory of the same type. */
    public Builder providerFactory(ProviderFactory factory) {
      Objects.requireNonNull(factory, "factory");
      factories.put(factory.type().toLowerCase(Locale.ROOT), factory);
      return this;
    }

    /** The concurrency limit of providers without their own; 8 by default. */
    public Builder maxConcurrentCalls(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be >= 1 (was " + limit + ")");
      }
      this.defaultLimit = limit;
      return this;
    }

    /** How failed tasks are retried, unless their provider or the task says otherwise; the roadmap's by default. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The circuit breaker of every provider without its own; the roadmap's (3 in 10 min, open 1 h) by default. */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.breakerPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Adds a guard on every task's prompt and output. Guards run in the order added, after the default ones.
     */
    public Builder guard(dev.orchestrator.spi.guard.Guard guard) {
      guards.add(Objects.requireNonNull(guard, "guard"));
      return this;
    }

    /** Adds a guard created by the factory of its type ({@code secrets}, {@code pii}, {@code limits}, ...). */
    public Builder guard(PluginConfig config) {
      guardConfigs.add(Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Whether the default guards run: secret detection (prompts holding a credential are blocked, credentials in
     * outputs redacted) and JSON schema validation of outputs that expect JSON. On by default.
     */
    public Builder defaultGuards(boolean on) {
      this.defaultGuards = on;
      return this;
    }

    /** The time zone whose midnight starts a new day for daily budgets; the clock's zone by default. */
    public Builder budgetZone(java.time.ZoneId zone) {
      this.budgetZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** A spending limit from the start (more can be set at run time with {@link Orchestrator#setBudget}). */
    public Builder budget(Budget budget) {
      initialBudgets.add(Objects.requireNonNull(budget, "budget"));
      return this;
    }

    /**
     * Turns shadow evaluation on: on a sample of the tasks that succeed, a cheaper candidate also answers and a
     * judge compares the two answers (the task keeps its own); a challenger that wins often enough on a task type is
     * promoted for it, and the built-in strategies put it first. Off by default. See {@code docs/learning.md}.
     */
    public Builder shadowEvaluation(dev.orchestrator.core.learn.ShadowPolicy policy) {
      this.shadowPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The learning strategy that chooses the provider of each task with more than one candidate (its listed
     * providers, and those declaring its task type) when it is first dispatched, and orders its failover; each choice
     * is recorded as a {@link dev.orchestrator.event.ProviderChosenEvent} with its reason. None by default: tasks
     * run on their providers in the workflow's order. See {@code docs/learning.md}.
     *
     * @param name the name recorded with each choice, such as {@code adaptive}
     */
    public Builder learningStrategy(String name, dev.orchestrator.learn.LearningStrategy strategy) {
      this.learningName = Objects.requireNonNull(name, "name");
      this.learningStrategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * The learning strategy of one project's tasks: it wins there over {@link #learningStrategy(String,
     * dev.orchestrator.learn.LearningStrategy) the engine-wide one}. Given again for a project, it replaces the
     * earlier one.
     *
     * @param project the project's name
     * @param name the name recorded with each choice, such as {@code adaptive}
     */
    public Builder learningStrategy(String project, String name, dev.orchestrator.learn.LearningStrategy strategy) {
      Objects.requireNonNull(project, "project");
      projectStrategies.put(project, Map.entry(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(strategy, "strategy")));
      return this;
    }

    /** The provider of tasks that name none. Needed when more than one provider is registered. */
    public Builder defaultProvider(String name) {
      this.defaultProvider = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * This engine instance's name in the store's leases (shown in logs and status); unique per process. By default
     * the host name, the process id and a random suffix.
     */
    public Builder engineName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException("engineName must be 1 to 200 characters (was '" + name + "')");
      }
      this.engineName = name;
      return this;
    }

    /**
     * Whether this engine also executes runs it did not submit: runs queued for any engine ({@link
     * Orchestrator#enqueue}) and the runs of engines that stopped (their leases expired). True by default; an
     * engine that only reads and steers (a report, a status command) sets it to false.
     */
    public Builder claimRuns(boolean claim) {
      this.claimRuns = claim;
      return this;
    }

    /**
     * How long this engine holds a run without renewing its lease; 30 seconds by default. When a process dies, its
     * runs wait about this long before another engine takes them over; it renews every third of it.
     */
    public Builder lease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lease must be at least 1 second (was " + lease + ")");
      }
      this.lease = lease;
      return this;
    }

    /**
     * How often the engine reads the store for commands, pauses, limits and runs to take over; 1 second by
     * default, so a change made by any process takes effect within about that long.
     */
    public Builder syncInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("syncInterval must be positive (was " + interval + ")");
      }
      this.syncInterval = interval;
      return this;
    }

    /** Receives every event of every run, on the dispatch thread. */
    public Builder listener(EventSubscriber listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How long a ready task waits in its lane before moving up one; 24 hours by default. */
    public Builder boostInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("boostInterval must be positive (was " + interval + ")");
      }
      this.boostInterval = interval;
      return this;
    }

    /**
     * Where the dispatch loop runs; an owned single thread by default. Tests may pass {@code Runnable::run} to run
     * it on the calling thread, deterministically.
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where plugins read environment variables (API keys); {@code System::getenv} by default. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Where plugins are discovered; the thread's context class loader by default. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Builds the orchestrator.
     *
     * @throws IllegalStateException when no provider is registered or the default provider is unknown
     * @throws OrchestratorException when two discovered factories claim one type, or a configured instance's type
     *     has no factory
     */
    public Orchestrator build() {
      List<AutoCloseable> owned = new ArrayList<>();
      Scheduler sched = scheduler;
      if (sched == null) {
        Scheduler.Owned s = Scheduler.daemon("orchestrator-timer");
        owned.add(s);
        sched = s;
      }
      Store st = store != null ? store : InMemoryStore.create();
      String owner = engineName != null ? engineName : EngineNames.next();
      AgentRegistry agents = new AgentRegistry(st, owner);
      Plugins.Providers created;
      try {
        created = Plugins.providers(providers, configs, factories, classLoader,
            PluginContext.builder().clock(clock).scheduler(sched).environment(environment).processes(agents).build(), owned);
      } catch (RuntimeException e) {
        closeAll(owned);
        throw e;
      }
      List<String> problems = created.problems();
      Map<String, AiProvider> all = created.byName();
      if (defaultProvider != null && !all.containsKey(defaultProvider)) {
        closeAll(owned);
        throw new IllegalStateException("defaultProvider '" + defaultProvider + "' is not registered (registered: "
            + all.keySet() + ")");
      }
      Map<String, Engine.ProviderSlot> slots = new LinkedHashMap<>();
      for (Map.Entry<String, AiProvider> e : all.entrySet()) {
        AiProvider decorated = providerDecorator.apply(e.getValue());
        if (decorated == null || !decorated.name().equalsIgnoreCase(e.getKey())) {
          closeAll(owned);
          throw new IllegalStateException("a provider decorator returned " + (decorated == null ? "null"
              : "an instance named '" + decorated.name() + "'") + " for provider '" + e.getKey()
              + "': return a wrapper that keeps the instance's name");
        }
        e.setValue(decorated);
      }
      all.forEach((name, p) -> {
        ProviderOptions o = options.getOrDefault(name, ProviderOptions.ofDefaults());
        slots.put(name, new Engine.ProviderSlot(p, o.maxConcurrentCalls().orElse(defaultLimit),
            o.retryPolicy().orElse(null), o.circuitBreaker().orElse(breakerPolicy), o.rateLimit(), o.taskTypes()));
      });
      java.util.concurrent.Executor exec = executor;
      if (exec == null) {
        ExecutorService es = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "orchestrator-dispatch");
          t.setDaemon(true);
          return t;
        });
        owned.add(0, () -> {
          es.shutdown();
          if (!es.awaitTermination(5, TimeUnit.SECONDS)) {
            es.shutdownNow();
          }
        });
        exec = es;
      }
      if (!st.leasesRuns()) {
        closeAll(owned);
        throw new IllegalStateException("store " + st.getClass().getName() + " does not lease runs (leasesRuns() is "
            + "false), so engines sharing it could run a task twice: use InMemoryStore, JdbcStore or a store that "
            + "passes the lease contract");
      }
      for (Budget b : initialBudgets) {
        if ((b.scope().kind() == BudgetScope.Kind.PROVIDER || b.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY)
            && !all.containsKey(b.scope().name())) {
          closeAll(owned);
          throw new IllegalStateException("a budget names provider '" + b.scope().name() + "', which is not "
              + "registered (registered: " + all.keySet() + "): fix the name");
        }
      }
      List<dev.orchestrator.spi.guard.Guard> allGuards = new ArrayList<>();
      if (defaultGuards) {
        allGuards.add(dev.orchestrator.core.guard.SecretGuard.blocking());
        allGuards.add(new dev.orchestrator.core.guard.JsonSchemaGuard());
      }
      if (!guardConfigs.isEmpty()) {
        ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
        PluginDiscovery.Result<dev.orchestrator.spi.guard.GuardFactory> found = PluginDiscovery.discover(
            dev.orchestrator.spi.guard.GuardFactory.class, cl, Map.of(), dev.orchestrator.spi.guard.GuardFactory::type);
        PluginContext context = PluginContext.of(clock, sched, environment);
        for (PluginConfig c : guardConfigs) {
          dev.orchestrator.spi.guard.GuardFactory f = found.factories().get(c.type().toLowerCase(Locale.ROOT));
          if (f == null) {
            closeAll(owned);
            throw new OrchestratorException("guard '" + c.name() + "' has type '" + c.type() + "', but no guard "
                + "factory of that type is on the class path (found: " + found.factories().keySet() + ")");
          }
          allGuards.add(f.create(c, context));
        }
      }
      allGuards.addAll(guards);
      Engine engine = new Engine(clock, sched, st, slots, defaultProvider, listeners, boostInterval, exec,
          retryPolicy, budgetZone != null ? budgetZone : clock.getZone(), allGuards,
          owner, lease, agents);
      if (learningStrategy != null && learningName != null) {
        engine.learning(null, learningName, learningStrategy);
      }
      projectStrategies.forEach((project, named) -> engine.learning(project, named.getKey(), named.getValue()));
      if (shadowPolicy != null) {
        engine.shadows(shadowPolicy);
      }
      engine.loadBudgets(initialBudgets);
      StoreSync sync = new StoreSync(engine, st, sched, clock, syncInterval, claimRuns);
      owned.add(0, sync);
      sync.start();
      return new Orchestrator(engine, st, clock, List.copyOf(owned), problems, agents);
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
