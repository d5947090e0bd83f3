package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.ProviderOptions;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.notifiers.NotificationConfig;
import dev.orchestrator.notifiers.NotificationListener;
import dev.orchestrator.project.Project;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.store.jdbc.DataDirectory;
import dev.orchestrator.store.jdbc.StoreUnavailableException;
import dev.orchestrator.vcs.VersionControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a command needs, opened lazily and closed once: the data directory, the configuration, the shared
 * store, engines. One per invocation; not thread-safe except {@link #out()} and {@link #err()}.
 *
 * <p>Every engine of the command line is an equal participant over the shared store: it holds the runs it executes
 * under the store's leases, and steers the runs of other engines (in this or any other process) through the store.
 */
public final class Cli implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cli.class);
  /** Made on first use: a command that reads no JSON (help, version, most failures) does not load Jackson. */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  /** The environment variable that moves the data directory. */
  public static final String HOME_ENV = "ORCHESTRATOR_HOME";
  /** The project used until {@code project switch} names another. */
  public static final String DEFAULT_PROJECT = "default";
  /**
   * The environment variable that sets how long an engine of this process holds a run without renewing its lease
   * ({@code 30s} by default): when a process dies, its runs wait about this long before another engine takes them
   * over.
   */
  public static final String LEASE_ENV = "ORCHESTRATOR_LEASE";

  /** The environment variable that sets how long a command waits for its notifications when it ends. */
  public static final String NOTIFY_WAIT_ENV = "ORCHESTRATOR_NOTIFY_WAIT";

  /** How long an agent gets to end when this process exits, before it is killed. */
  private static final Duration AGENT_GRACE = Duration.ofSeconds(3);

  private PrintWriter out;
  private final PrintWriter err;
  private final Function<String, @Nullable String> env;
  private final Stores.Opener opener;
  private final boolean interactive;
  private final List<String> argv;
  private GlobalOptions options = new GlobalOptions();

  private @Nullable Config config;
  private @Nullable ProviderSetup setup;
  private @Nullable Store store;
  private @Nullable Orchestrator observer;
  private @Nullable NotificationListener notifications;
  private boolean notificationsOpened;
  private boolean dataDirChecked;
  private boolean writing;
  private @Nullable String checkedProject;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private @Nullable VersionControl versionControl;
  /** The engines that execute runs in this process, newest last; read by the exit hook's thread. */
  private final List<Orchestrator> executors = new java.util.concurrent.CopyOnWriteArrayList<>();
  private @Nullable Thread exitHook;

  public Cli(PrintWriter out, PrintWriter err, Function<String, @Nullable String> env, Stores.Opener opener,
      boolean interactive, List<String> argv) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.opener = opener;
    this.interactive = interactive;
    this.argv = List.copyOf(argv);
  }

  void options(GlobalOptions options) {
    this.options = options;
  }

  public GlobalOptions options() {
    return options;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** Sends later output elsewhere (a detached run writes to its log file). */
  void redirectOut(PrintWriter to) {
    out.flush();
    this.out = to;
  }

  public Function<String, @Nullable String> env() {
    return env;
  }

  /** Whether a person is at a terminal (live redraws, questions on Ctrl-C). */
  public boolean interactive() {
    return interactive && !options.json;
  }

  public boolean json() {
    return options.json;
  }

  public boolean verbose() {
    return options.verbose;
  }

  /** The arguments this process was started with. */
  public List<String> argv() {
    return argv;
  }

  /** {@code --data-dir}, else {@code $ORCHESTRATOR_HOME}, else {@code ~/.orchestrator}; absolute. */
  public Path dataDir() {
    if (options.dataDir != null) {
      return options.dataDir.toAbsolutePath().normalize();
    }
    String home = env.apply(HOME_ENV);
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".orchestrator").toAbsolutePath();
  }

  /**
   * The data directory, created when missing (and then announced on stderr) and checked once: a file, or a
   * directory this user may not read or write, is refused with a message that names it and the fix, before anything is written in it.
   */
  public Path usableDataDir() {
    Path d = dataDir();
    if (!dataDirChecked) {
      boolean existed = Files.exists(d);
      try {
        DataDirectory.prepare(d);
      } catch (StoreUnavailableException e) {
        throw Stores.refusal(e);
      }
      dataDirChecked = true;
      if (!existed && Files.isDirectory(d)) {
        // Said once, on stderr (JSON on stdout stays clean): a mistyped --data-dir would otherwise start an empty
        // data directory without a word, and the user would wonder where the runs went.
        err.println(Messages.get("dataDir.created", d));
        err.flush();
      }
    }
    return d;
  }

  /** {@code --config}, else {@code <data dir>/config.json}. */
  public Path configFile() {
    return options.config != null ? options.config.toAbsolutePath().normalize() : dataDir().resolve("config.json");
  }

  /** The configuration; the default one is written to the data directory on first use. */
  /** The instance tasks without a provider go to: the configured default, else the first instance. */
  public @Nullable String defaultProvider() {
    Config c = config();
    return c.defaultProvider() != null ? c.defaultProvider()
        : c.instances().isEmpty() ? null : c.instances().keySet().iterator().next();
  }

  public Config config() {
    if (config == null) {
      if (options.config == null) {
        usableDataDir();
      }
      config = Config.load(configFile(), options.config == null);
    }
    return config;
  }

  /** Which instances are real and which simulated. */
  public ProviderSetup setup() {
    if (setup == null) {
      setup = ProviderSetup.of(config(), env);
    }
    return setup;
  }

  /** The shared store: the embedded one in the data directory unless {@code --store} names another. */
  public Store store() {
    if (store == null) {
      String location = storeLocation();
      if (!Stores.isPostgres(location)) {
        usableDataDir();
      }
      store = opener.open(location, env.apply("ORCHESTRATOR_DB_USER"), env.apply("ORCHESTRATOR_DB_PASSWORD"));
      log.debug("Store opened (store={})", Stores.describe(location));
    }
    return store;
  }

  /** Where the store is. */
  public String storeLocation() {
    if (options.store != null && !options.store.isBlank() && !options.store.equals("embedded")) {
      return options.store;
    }
    return dataDir().resolve("store").toString();
  }

  /** How long this process's engines hold a run without renewing its lease: {@value #LEASE_ENV}, else 30 s. */
  public Duration lease() {
    String v = env.apply(LEASE_ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_LEASE;
    }
    Duration d = Durations.parse(LEASE_ENV, v);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw CliException.of(ExitCodes.CONFIG, "config.leaseTooShort", LEASE_ENV, v);
    }
    return d;
  }

  /**
   * The name of the project commands work in, unchecked: {@code --project}, else the one {@code project switch}
   * remembered, else {@value #DEFAULT_PROJECT}. Most commands want {@link #project()}.
   */
  public String currentProjectName() {
    if (options.project != null && !options.project.isBlank()) {
      return options.project.trim();
    }
    Path state = dataDir().resolve("state.json");
    if (Files.exists(state)) {
      try {
        JsonNode n = Mapper.JSON.readTree(state.toFile());
        String p = n.path("project").asText("");
        if (!p.isBlank()) {
          return p;
        }
      } catch (IOException e) {
        log.warn("Unreadable state file, using the default project (file={})", state, e);
      }
    }
    return DEFAULT_PROJECT;
  }

  /** Whether the command being run changes its project (then an archived project is refused). */
  void writing(boolean writing) {
    this.writing = writing;
  }

  /**
   * The project commands work in ({@link #currentProjectName()}), which must exist: a name nobody created is refused
   * (exit 3, with the closest existing name), so a typo never creates a project or reads an empty one. The project
   * {@value #DEFAULT_PROJECT} exists in every data directory: the first command that needs it creates it. When the
   * command changes the project (a run, a limit, a schedule, a steering request), an archived project is refused
   * (exit 5): archived projects are read-only.
   */
  public String project() {
    String name = currentProjectName();
    if (checkedProject != null && checkedProject.equals(name)) {
      return name;
    }
    Project p = store().project(name).orElse(null);
    if (p == null && name.equals(DEFAULT_PROJECT)) {
      p = createDefaultProject();
    }
    if (p == null) {
      List<String> all = store().projectList(true).stream().map(Project::name).toList();
      throw CliException.of(ExitCodes.NOT_FOUND, "project.unknown", Texts.cut(name), Names.suggestion(name, all),
          Names.list(all), name.length() > Texts.MESSAGE_LIMIT ? "<name>" : name);
    }
    if (writing && p.archived()) {
      throw CliException.of(ExitCodes.REFUSED, "project.archivedReadOnly", p.name());
    }
    checkedProject = name;
    return name;
  }

  private Project createDefaultProject() {
    Project p = Project.of(DEFAULT_PROJECT, java.time.Instant.now(), config().timeZone());
    try {
      store().createProject(p);
    } catch (RuntimeException e) {
      // Another process created it first.
      return store().project(DEFAULT_PROJECT).orElseThrow(() -> e);
    }
    return p;
  }

  /** Remembers the current project. */
  void switchProject(String name) {
    Path state = usableDataDir().resolve("state.json");
    ObjectNode n = Mapper.JSON.createObjectNode().put("project", name);
    try {
      AtomicFiles.write(state, n.toPrettyString());
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "state.unwritable", state, e.getMessage());
    }
  }

  /**
   * An engine that reads, plans, reports and queues runs for other engines ({@code run --cluster}): it executes no
   * run of its own and claims none, and instances without an API key are stood in by the simulator priced like the
   * real model, since it calls no provider. Steer a run through it only to cancel the whole run (Ctrl-C of
   * {@code run --cluster --wait}): a run it took over for anything else would go on on the stand-ins.
   */
  public Orchestrator observer() {
    if (observer == null) {
      observer = engine(engineName("cli"), false, false, null);
      closeables.add(observer);
    }
    return observer;
  }

  /**
   * An engine that executes runs in this process, with the configured providers (a missing key is an error unless
   * the configuration lets the simulator stand in) and notifications. Closed with this context, before the
   * observer and the store: closing it gives up the runs that have no call in flight, so another engine can take
   * them over at once.
   *
   * @param name its name in the store's leases, from {@link #engineName(String)}
   * @param claimRuns whether it also takes runs it did not submit: runs queued for any engine and runs whose
   *     process stopped ({@code worker}, {@code dashboard}); false for an engine that executes only the run it
   *     submits or steers ({@code run}, {@code cancel}, {@code resume}, {@code answer})
   * @param listener receives every event of the engine from its start (before its first claim), or null
   */
  public Orchestrator executor(String name, boolean claimRuns, @Nullable EventSubscriber listener) {
    Orchestrator o = engine(name, true, claimRuns, listener);
    closeables.add(0, o);
    executors.add(o);
    if (exitHook == null) {
      // On SIGTERM (or Ctrl-C where it is not handled) the process exits without closing its engines: their agents,
      // in sessions of their own, would outlive it. Each engine is closed first, so the end of its calls is not
      // recorded as their failure: the runs stay as they were, for `resume` or another engine to take over.
      Thread hook = new Thread(() -> executors.forEach(e -> {
        e.close();
        e.endAgentProcesses(AGENT_GRACE);
      }), "orchestrator-agents-exit");
      Runtime.getRuntime().addShutdownHook(hook);
      exitHook = hook;
    }
    return o;
  }

  /** The engines that execute runs in this process, oldest first. */
  List<Orchestrator> executors() {
    return List.copyOf(executors);
  }

  /**
   * A new engine name for the store's leases, saying which command runs it and where: {@code worker@host:pid:3f9a2c}.
   * {@code status} shows it for the runs an engine executes.
   */
  public static String engineName(String role) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException | SecurityException e) {
      host = "localhost";
    }
    return role + "@" + host + ":" + ProcessHandle.current().pid() + ":"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  private Orchestrator engine(String name, boolean executing, boolean claimRuns, @Nullable EventSubscriber listener) {
    Config c = config();
    ProviderSetup s = setup();
    if (executing && !s.missingKeys().isEmpty()) {
      Map.Entry<String, String> first = s.missingKeys().entrySet().iterator().next();
      throw CliException.of(ExitCodes.CONFIG, "provider.noKey", first.getKey(), first.getValue(), c.file());
    }
    Duration lease = lease();
    seedBudgets(c);
    Orchestrator.Builder b = Orchestrator.builder()
        .store(store())
        .engineName(name)
        .claimRuns(claimRuns)
        .environment(env)
        .budgetZone(c.timeZone())
        .maxConcurrentCalls(c.maxConcurrentCalls())
        .retryPolicy(c.retry())
        .circuitBreaker(c.breaker());
    for (PluginConfig pc : s.configs()) {
      Integer limit = c.instanceLimits().get(pc.name());
      ProviderOptions options = limit == null ? ProviderOptions.ofDefaults()
          : ProviderOptions.builder().maxConcurrentCalls(limit).build();
      if (!executing && s.missingKeys().containsKey(pc.name())) {
        // A plan or report needs no key: estimate on the simulator priced like the real model.
        Map<String, String> props = new LinkedHashMap<>();
        props.put("model", pc.properties().getOrDefault("model", "sim-standard"));
        b.provider(new PluginConfig(pc.name(), "simulator", props), options);
      } else {
        b.provider(pc, options);
      }
    }
    String def = defaultProvider();
    if (def != null) {
      b.defaultProvider(def);
    }
    LearningStrategies.configure(c, b, env);
    if (c.shadow() != null) {
      b.shadowEvaluation(c.shadow());
    }
    if (listener != null) {
      b.listener(listener);
    }
    b.decorateProviders(versionControl());
    if (executing) {
      NotificationListener n = notifications();
      if (n != null) {
        b.listener(n);
      }
    }
    if (c.instances().isEmpty()) {
      throw CliException.of(ExitCodes.CONFIG, "config.noProviders", c.file());
    }
    try {
      return b.lease(lease).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.engine", c.file(), e.getMessage());
    }
  }

  /**
   * This process's version control, made on first use over the store: tasks of projects with a repository
   * ({@code vcs.repository} in their settings) run in worktrees of their own and commit their results; making it
   * removes the worktrees that killed processes left. Closed after the engines.
   */
  VersionControl versionControl() {
    VersionControl v = versionControl;
    if (v == null) {
      v = VersionControl.builder(store()).build();
      closeables.add(v);
      versionControl = v;
    }
    return v;
  }

  /**
   * This process's notifications, started on first use when the configuration has a {@code notifications} section
   * (null otherwise): one per process, shared by its engines. Through the store's outbox, it relays every process's
   * events and sends what is due while the command runs; when the command ends it waits up to
   * {@link #notifyWait()} for the notifications of this process's own events and leaves the rest in the store for
   * the next command.
   */
  public @Nullable NotificationListener notifications() {
    if (notificationsOpened) {
      return notifications;
    }
    notificationsOpened = true;
    Config c = config();
    if (c.notifications() == null) {
      return null;
    }
    NotificationListener.Builder b;
    try {
      b = NotificationListener.builder().config(NotificationConfig.parse(c.notifications())).environment(env)
          .exitWait(notifyWait());
      oneTap(b);
    } catch (RuntimeException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.notifications", c.file(), e.getMessage());
    }
    Store s = store();
    NotificationListener n;
    try {
      n = b.store(s).build();
    } catch (IllegalArgumentException e) {
      if (!(e.getCause() instanceof UnsupportedOperationException)) {
        throw CliException.wrap(e, ExitCodes.CONFIG, "config.notifications", c.file(), e.getMessage());
      }
      // A store without an outbox: notifications still go out, from this process only.
      log.warn("Notifications are sent from this process only: {}", e.getMessage());
      try {
        n = oneTap(NotificationListener.builder().config(NotificationConfig.parse(c.notifications()))
            .environment(env)).build();
      } catch (RuntimeException again) {
        throw CliException.wrap(again, ExitCodes.CONFIG, "config.notifications", c.file(), again.getMessage());
      }
    } catch (RuntimeException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.notifications", c.file(), e.getMessage());
    }
    // Closed after the engines (they go to the front), so it sees their last events.
    closeables.add(n);
    notifications = n;
    return n;
  }

  /** Signed one-tap links in questions' notifications, when the environment configures them. */
  private NotificationListener.Builder oneTap(NotificationListener.Builder b) {
    dev.orchestrator.notifiers.ActionLinks links = OneTapSettings.links(env);
    return links == null ? b : b.actionLinks(links);
  }

  /** {@code --notify-wait}, else {@code $ORCHESTRATOR_NOTIFY_WAIT}, else 5 seconds. */
  public java.time.Duration notifyWait() {
    String text = options.notifyWait != null ? options.notifyWait : env.apply(NOTIFY_WAIT_ENV);
    if (text == null || text.isBlank()) {
      return NotificationListener.DEFAULT_EXIT_WAIT;
    }
    String field = options.notifyWait != null ? "--notify-wait" : NOTIFY_WAIT_ENV;
    return Durations.parse(field, text);
  }

  /** Budgets written in the configuration become stored limits, unless a limit of that scope is stored already. */
  private void seedBudgets(Config c) {
    if (c.budgets().isEmpty()) {
      return;
    }
    Set<Object> stored = new java.util.HashSet<>();
    for (Budget b : store().budgets()) {
      stored.add(b.scope());
    }
    for (Budget b : c.budgets()) {
      if (!stored.contains(b.scope())) {
        store().saveBudget(b);
      }
    }
  }

  /** Prints a value as JSON (for {@code --json}). */
  public void printJson(Object value) {
    out.println(Json.pretty(value));
    out.flush();
  }

  /** Prints a bundle sentence. */
  public void say(String key, Object... args) {
    out.println(Messages.get(key, args));
    out.flush();
  }

  /** One line saying which instances are simulated, or that none is. */
  public String simulationLine() {
    ProviderSetup s = setup();
    if (s.simulated().isEmpty()) {
      return Messages.get("simulated.none", String.join(", ", config().instances().keySet()));
    }
    List<String> parts = new ArrayList<>();
    s.simulated().forEach((name, var) -> parts.add(name + " (" + var + ")"));
    return Messages.get("simulated.some", String.join(", ", parts));
  }

  /** The simulated instances, for JSON. */
  public List<String> simulatedNames() {
    return List.copyOf(setup().simulated().keySet());
  }

  @Override
  public void close() {
    release();
    out.flush();
    err.flush();
  }

  /**
   * Closes the engines, the notifications and the store now; a later call opens them again. The foreground half of
   * {@code --detach} calls it before it starts the background process: the first process to open the embedded store
   * serves its file to the others, so a parent that kept it open would serve the child's first transactions and then
   * exit under them, breaking the child's connections while it takes the run over.
   */
  void release() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Not closed cleanly (resource={})", c.getClass().getSimpleName(), e);
      }
    }
    closeables.clear();
    executors.clear();
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException e) {
        // the process is exiting: the hook runs, and finds no engine
      }
      exitHook = null;
    }
    observer = null;
    versionControl = null;
    if (notifications != null && notifications.stats().left() > 0) {
      err.println(Messages.get("notifications.left", notifications.stats().left()));
    }
    notifications = null;
    notificationsOpened = false;
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
