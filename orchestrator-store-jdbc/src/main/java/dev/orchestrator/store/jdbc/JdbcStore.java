package dev.orchestrator.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskEvent;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.schedule.CronSyntax;
import dev.orchestrator.schedule.MisfirePolicy;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.store.jdbc.internal.Dialect;
import dev.orchestrator.store.jdbc.internal.EmbeddedFailures;
import dev.orchestrator.store.jdbc.internal.EventLog;
import dev.orchestrator.store.jdbc.internal.JdbcLedger;
import dev.orchestrator.store.jdbc.internal.JdbcProviderHealth;
import dev.orchestrator.store.jdbc.internal.JoinedTransaction;
import dev.orchestrator.store.jdbc.internal.Json;
import dev.orchestrator.store.jdbc.internal.Pauses;
import dev.orchestrator.store.jdbc.internal.RetryingDataSource;
import dev.orchestrator.store.jdbc.internal.RunLeases;
import dev.orchestrator.store.jdbc.internal.SchemaCheck;
import dev.orchestrator.store.jdbc.internal.StoreRetry;
import dev.orchestrator.store.jdbc.internal.Transactions;
import dev.orchestrator.store.jdbc.internal.Urls;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link Store}, {@link ClaimStore} and {@link ScheduleStore} over JDBC: an embedded H2 file database for
 * one machine, or PostgreSQL for many workers.
 * The schema is created and migrated by Flyway when the store opens (its history table is
 * {@value #SCHEMA_HISTORY_TABLE}, so it does not clash with an application's own Flyway).
 *
 * <pre>{@code
 * try (JdbcStore store = JdbcStore.embedded(Path.of(System.getProperty("user.home"), ".orchestrator"))) {
 *   Orchestrator engine = Orchestrator.builder().store(store).build();
 *   ...
 * }
 * JdbcStore shared = JdbcStore.postgres("jdbc:postgresql://db:5432/orchestrator", "orchestrator", password);
 * }</pre>
 *
 * <p>Every write is one transaction. Plain columns hold what is queried (project, run and task ids, state, lane,
 * status, times); nested values (attempts, questions, cancellations, parameters, settings, thresholds, events) are
 * JSON text. Instants are kept to the microsecond, PostgreSQL's precision; amounts exactly (budget limits as
 * {@code DECIMAL(38, 18)}, so at most 18 decimal places). Events are all kept. Every query is scoped by project.
 *
 * <p>Events are numbered in one store-wide sequence ({@link #eventsAfter}), which any process can follow. Appends from
 * many threads and processes commit in any order, so a reader is only handed events below a number where none can
 * still appear: on H2, appends queue on one row lock; on PostgreSQL, they share an advisory lock that a reader takes
 * alone for a moment to learn how far the stream is complete. Either way a reader never skips an event.
 *
 * <p>Thread-safe: any number of threads may use one store, and several processes may use one database (the embedded
 * store through H2's automatic mixed mode: the first process serves the file to the others; what that takes is
 * described at {@link #embedded(Path, Duration)}). Every read and transaction, of this class and of the run leases,
 * ledger, pauses, events, schedules and outbox alike, is run again when another process got in the way, and a
 * transaction is never applied twice.
 *
 * <p>Any number of engine instances, in this process or others, share one database as equals: runs are leased
 * ({@link #claimRuns}) by the database clock under fencing tokens, the budget accounts are shared
 * ({@link #ledger()}), and pauses and commands are stored ({@link #savePause}, {@link #takeCommands(String)}).
 *
 * <p>Passwords never appear in {@link #toString()}, logs or exception messages.
 */
public final class JdbcStore implements ClaimStore, ScheduleStore {
  /** The Flyway history table, which records the schema version. */
  public static final String SCHEMA_HISTORY_TABLE = "orchestrator_schema_history";

  /** The file name (without H2's {@code .mv.db}) of the embedded database in its data directory. */
  public static final String EMBEDDED_DATABASE_NAME = "orchestrator";

  private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
  private static final int EMBEDDED_POOL_SIZE = 8;
  private static final int POSTGRES_POOL_SIZE = 10;
  /** How long one call of the embedded store waits for other processes by default. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);
  private static final int BUDGET_SCALE = 18;
  private static final int BUDGET_INTEGER_DIGITS = 20;
  private static final String UNIQUE_VIOLATION = "23505";

  private static final String TASK_COLUMNS = "project, run_id, task_id, title, state, lane, provider, attempts, "
      + "output, error_kind, error, cancellation, question, updated_at";
  private static final String RUN_COLUMNS =
      "project, run_id, workflow, status, params, submitted_at, finished_at, cancellation";
  private static final String PROJECT_COLUMNS = "name, created_at, archived, zone, settings";
  private static final String UPDATE_TASK = "UPDATE tasks SET title = ?, state = ?, lane = ?, lane_rank = ?, "
      + "provider = ?, attempts = ?, attempt_count = ?, output = ?, error_kind = ?, error = ?, cancellation = ?, "
      + "question = ?, updated_at = ?, enqueued_at = %s WHERE project = ? AND run_id = ? AND task_id = ?";
  /** A task that becomes READY is enqueued now by the database clock; one that stays READY keeps its place. */
  private static final String UPDATE_TASK_READY =
      String.format(UPDATE_TASK, "CASE WHEN state = 'READY' THEN enqueued_at ELSE CURRENT_TIMESTAMP END");
  private static final String UPDATE_TASK_NOT_READY = String.format(UPDATE_TASK, "NULL");

  private final DataSource dataSource;
  private final @Nullable HikariDataSource ownedPool;
  /** The embedded store's database file, or null for any other database. */
  private final @Nullable Path embeddedFile;
  private final Dialect dialect;
  private final String description;
  private final String schemaVersion;
  private final int migrationsExecuted;
  /** How events are appended and read in order on this database. */
  private final EventLog eventLog;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Event types met in the database that this version does not know, each reported once. */
  private final Set<String> unknownEventTypes = ConcurrentHashMap.newKeySet();
  /** The events whose stored form could not be read, each warned of once. */
  private final Set<Long> unreadableEvents = ConcurrentHashMap.newKeySet();
  /** Serialises this process's claims on H2, which has no SKIP LOCKED to keep claimers apart. */
  private final Object claimLock = new Object();
  /**
   * Every read and transaction, of this class and of its collaborators (the run leases, the budget accounts, the
   * pauses, the outbox): with the retries and the commit receipts that let processes share the embedded file.
   */
  private final Transactions transactions;
  private final JdbcLedger ledger;
  private final RunLeases leases;
  private final Pauses pauses;
  private final dev.orchestrator.store.jdbc.internal.AgentProcesses agentProcesses;
  private final JdbcProviderHealth providerHealth;

  private record Opened(Dialect dialect, String schemaVersion, int migrationsExecuted, EventLog eventLog) {}

  private JdbcStore(DataSource dataSource, @Nullable HikariDataSource ownedPool, String description,
      @Nullable Path embeddedFile, Duration busyTimeout) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.description = description;
    this.embeddedFile = embeddedFile;
    StoreRetry opening = embeddedFile != null ? StoreRetry.h2(busyTimeout) : StoreRetry.counted();
    try {
      // Opened again from the start when another process got in the way (processes starting together on a new
      // data directory race to create the schema; a hand-over may break the connection mid-way).
      Opened opened = opening.open(this::openSchema);
      this.dialect = opened.dialect();
      this.migrationsExecuted = opened.migrationsExecuted();
      this.schemaVersion = opened.schemaVersion();
      this.eventLog = opened.eventLog();
    } catch (SQLException e) {
      closePool();
      throw explained(e, opening).orElseGet(() -> new OrchestratorException("cannot open the store " + description
          + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + "); check that the database is reachable and"
          + " the user may connect", e));
    } catch (RuntimeException e) {
      closePool();
      throw e instanceof OrchestratorException oe ? oe : explained(e, opening).orElseGet(() ->
          new OrchestratorException("cannot open the store " + description + ": " + e.getMessage(), e));
    }
    StoreRetry retry = dialect == Dialect.H2 ? StoreRetry.h2(busyTimeout) : StoreRetry.counted();
    this.transactions = new Transactions(dataSource, dialect, description, retry, embeddedFile, this::evict,
        closed::get);
    transactions.joined().writer(this::writePending);
    this.ledger = new JdbcLedger(transactions);
    this.leases = new RunLeases(transactions, ledger);
    this.pauses = new Pauses(transactions);
    this.agentProcesses = new dev.orchestrator.store.jdbc.internal.AgentProcesses(transactions);
    this.providerHealth = new JdbcProviderHealth(transactions);
    transactions.pruneReceipts();
    log.info("Store opened (store={}, schemaVersion={}, migrationsExecuted={})", description, schemaVersion,
        migrationsExecuted);
  }

  /** Finds the database's kind, migrates the schema unless it is current, and reads how events are numbered. */
  private Opened openSchema() throws SQLException {
    Dialect d;
    try (Connection c = dataSource.getConnection()) {
      d = Dialect.of(c);
    }
    String version;
    int executed;
    // Every script already applied and unchanged: Flyway need not start (see SchemaCheck).
    Optional<String> current = SchemaCheck.current(dataSource, d, SCHEMA_HISTORY_TABLE);
    if (current.isPresent()) {
      version = current.get();
      executed = 0;
    } else {
      Flyway flyway = Flyway.configure(JdbcStore.class.getClassLoader())
          .dataSource(dataSource)
          .locations(d.migrations())
          .table(SCHEMA_HISTORY_TABLE)
          .failOnMissingLocations(true)
          .load();
      MigrateResult result = flyway.migrate();
      // The version after migrating, or the one found when there was nothing to migrate.
      String v = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
      version = v == null ? "none" : v;
      executed = result.migrationsExecuted;
    }
    EventLog events;
    try (Connection c = dataSource.getConnection()) {
      events = EventLog.of(d, c);
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    }
    return new Opened(d, version, executed, events);
  }

  /** Takes a connection that no longer works out of this store's pool. */
  private void evict(Connection c) {
    if (ownedPool != null) {
      ownedPool.evictConnection(c);
    }
  }

  // ------------------------------------------------------------------ factories

  /**
   * The embedded store in {@code dataDir}, waiting at most {@link #DEFAULT_BUSY_TIMEOUT} for other processes: see
   * {@link #embedded(Path, Duration)}.
   */
  public static JdbcStore embedded(Path dataDir) {
    return embedded(dataDir, DEFAULT_BUSY_TIMEOUT);
  }

  /**
   * The embedded store: an H2 database file ({@value #EMBEDDED_DATABASE_NAME}{@code .mv.db}) in {@code dataDir},
   * created with the directory when missing.
   *
   * <p>Any number of processes on this machine may use the same directory at once, through H2's automatic mixed
   * mode: the first to open the file serves it to the others over a TCP socket (guarded by a random key kept in the
   * lock file, so only users who may read the directory can connect), and when it exits the others' connections
   * break and one of them takes the file over. Processes that open the file at the same instant race for its lock
   * file, and a hand-over breaks every connection of every client. The store absorbs all of that: a connection is
   * opened again, and a read or a transaction that failed before its commit is run again from the start, with
   * jittered exponential backoff, for up to {@code busyTimeout} (also used for row locks held by another process's
   * transaction). A transaction whose commit was in flight when the serving process died may or may not have been
   * saved: it left a receipt in the same transaction, and the store reads it back to know whether to run it again,
   * so nothing is lost and nothing is done twice. {@code docs/storage.md} says why this design and what proves it.
   *
   * <p>Every commit is written to the file before it returns ({@code WRITE_DELAY=0}), so a process killed with
   * SIGKILL loses nothing it committed, whichever process served the file.
   *
   * @param busyTimeout how long one call (opening included) keeps trying while other processes hold the file or the
   *     rows it needs; then it fails with {@link StoreUnavailableException.Reason#BUSY}
   * @throws IllegalArgumentException when the path contains ';' or the timeout is not positive
   * @throws StoreUnavailableException when the directory is a file, unreadable or read-only, the database file is
   *     damaged, or other processes kept it busy beyond {@code busyTimeout}; the message names the path and the fix
   * @throws OrchestratorException when the database cannot be opened or migrated for another reason
   */
  public static JdbcStore embedded(Path dataDir, Duration busyTimeout) {
    Path given = dataDir.toAbsolutePath().normalize();
    if (given.toString().indexOf(';') >= 0) {
      throw new IllegalArgumentException("data directory must not contain ';' (was '" + given + "'): choose another");
    }
    if (busyTimeout.isNegative() || busyTimeout.isZero()) {
      throw new IllegalArgumentException("busyTimeout must be positive (was " + busyTimeout + ")");
    }
    Path dir = DataDirectory.prepare(given);
    Path file = dir.resolve(EMBEDDED_DATABASE_NAME + ".mv.db");
    DataDirectory.checkFile(file);
    // WRITE_DELAY=0: H2 otherwise writes committed changes up to half a second later, and a killed process would
    // lose them; a store that says it is durable must not. LOCK_TIMEOUT: a row lock held by another process's
    // transaction is waited for this long, then the transaction is tried again (within busyTimeout).
    // The lock method stays H2's default (FILE): every wait in it is bounded. SOCKET was tried: its owner accepts no
    // connection on the lock socket while it holds the file, so once the backlog is full (or the owner hangs) a
    // process probing it waits minutes in connect().
    // MAX_LENGTH_INPLACE_LOB: text values (JSON, outputs) up to 1 MB are kept in their row rather than in H2's
    // separate LOB storage. Clients then read them with the row instead of in pieces (a piece read when the file
    // changes hands fails), and H2 has no old LOBs to clean up in the background: H2 2.4's LOB cleaner can spin
    // forever when the database closes while it runs, which hangs the exit of a process.
    // NETWORK_TIMEOUT: a client waits this long for the serving process to answer one statement, then takes the
    // connection as broken (and the call is retried on a new one). Without it a client waits forever on a server that
    // is alive but does not answer; the bound is well above a row-lock wait, the longest a statement waits on purpose.
    long lockTimeout = Math.min(10_000, Math.max(100, busyTimeout.toMillis() / 3));
    long networkTimeout = Math.min(Integer.MAX_VALUE, Math.max(busyTimeout.toMillis(), 3 * lockTimeout));
    String url = "jdbc:h2:file:" + dir.resolve(EMBEDDED_DATABASE_NAME)
        + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=" + lockTimeout + ";WRITE_DELAY=0"
        + ";MAX_LENGTH_INPLACE_LOB=1048576;NETWORK_TIMEOUT=" + networkTimeout;
    HikariConfig config = new HikariConfig();
    // Connections come through a source that rides out other processes opening or handing over the file.
    config.setDataSource(new RetryingDataSource(url, "sa", "", dir.resolve(EMBEDDED_DATABASE_NAME + ".open.lock"),
        dir.resolve(EMBEDDED_DATABASE_NAME + ".lock.db"), StoreRetry.h2(busyTimeout)));
    config.setConnectionTimeout(busyTimeout.toMillis());
    // Auto-commit off: H2 reconnects a broken auto-commit connection by itself, racing the other processes for the
    // file outside the connection source's open lock; this way every reconnection goes through it.
    config.setAutoCommit(false);
    config.setMaximumPoolSize(EMBEDDED_POOL_SIZE);
    config.setMinimumIdle(1);
    config.setPoolName("orchestrator-h2");
    return open(config, "h2 " + dir.resolve(EMBEDDED_DATABASE_NAME), file, busyTimeout);
  }

  /**
   * A store in a PostgreSQL database (12 or later) that this user may create tables in; the tables go in the
   * connection's current schema (add {@code ?currentSchema=name} to the URL to choose one).
   *
   * @param jdbcUrl such as {@code jdbc:postgresql://db.example:5432/orchestrator}
   * @param user the database user
   * @param password the user's password; kept only inside the connection pool, never shown
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
   * @throws OrchestratorException when the database cannot be reached or migrated
   */
  public static JdbcStore postgres(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("PostgreSQL JDBC URL must start with jdbc:postgresql: (was '"
          + Urls.redact(jdbcUrl) + "'), such as jdbc:postgresql://localhost:5432/orchestrator");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
    config.setMinimumIdle(2);
    config.setPoolName("orchestrator-postgresql");
    return open(config, "postgresql " + Urls.redact(jdbcUrl) + " as " + user, null, DEFAULT_BUSY_TIMEOUT);
  }

  /**
   * A store on a data source that the caller owns (pooled, configured and closed by the caller; {@link #close()}
   * leaves it open). The database must be H2 or PostgreSQL.
   *
   * @throws OrchestratorException when the database cannot be reached, is of another kind, or cannot be migrated
   */
  public static JdbcStore of(DataSource dataSource) {
    return new JdbcStore(dataSource, null, "data source " + dataSource.getClass().getSimpleName(), null,
        DEFAULT_BUSY_TIMEOUT);
  }

  private static JdbcStore open(HikariConfig config, String description, @Nullable Path embeddedFile,
      Duration busyTimeout) {
    // Fail at once, with the driver's reason, when the database cannot be reached (the embedded store's connection
    // source has already waited out other processes by then).
    config.setInitializationFailTimeout(1);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (embeddedFile != null) {
        // Never the driver's "check the URL, the user and the password": the embedded store has neither to check.
        StoreUnavailableException plain = EmbeddedFailures.explain(cause, embeddedFile.getParent(), embeddedFile,
            StoreRetry.h2(busyTimeout).isTransient(cause), busyTimeout);
        throw plain != null ? plain : new OrchestratorException("cannot open the embedded store in '"
            + embeddedFile.getParent() + "': " + cause.getMessage() + "; run with --verbose for the details", cause);
      }
      throw new OrchestratorException("cannot connect to the store " + description + ": " + cause.getMessage()
          + "; check the URL, the user and the password, and that the database is running", cause);
    }
    return new JdbcStore(pool, pool, description, embeddedFile, busyTimeout);
  }

  /** The plain explanation of a failure of the embedded store, when it has one. */
  private Optional<OrchestratorException> explained(Throwable e, StoreRetry policy) {
    if (embeddedFile == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(EmbeddedFailures.explain(e, embeddedFile.getParent(), embeddedFile,
        policy.isTransient(e), policy.bound()));
  }

  // ------------------------------------------------------------------ facts

  /** The schema version Flyway recorded, such as {@code "1"}. */
  public String schemaVersion() {
    return schemaVersion;
  }

  /** How many migrations this store ran when it opened: 0 when the schema was already up to date. */
  public int migrationsExecuted() {
    return migrationsExecuted;
  }

  /** Always true: what is written survives the process. */
  @Override
  public boolean durable() {
    return true;
  }

  // ------------------------------------------------------------------ runs and tasks

  @Override
  public void createRun(RunRecord run, String definition, List<TaskRecord> tasks) {
    checkTasks(run, tasks);
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    write("create run " + run.project() + "/" + run.id(), false, c -> {
      insertRun(c, run, definition, tasks, attempts.getAndIncrement() > 0);
      return null;
    });
  }

  private static void checkTasks(RunRecord run, List<TaskRecord> tasks) {
    Set<String> ids = new HashSet<>();
    for (TaskRecord t : tasks) {
      if (!t.project().equals(run.project()) || !t.runId().equals(run.id())) {
        throw new IllegalArgumentException("task '" + t.taskId() + "' belongs to " + t.project() + "/" + t.runId()
            + ", not to " + run.project() + "/" + run.id());
      }
      if (!ids.add(t.taskId())) {
        throw new IllegalArgumentException("task id '" + t.taskId() + "' appears twice in run " + run.id());
      }
    }
  }

  /**
   * Inserts a run and its tasks.
   *
   * @param retried whether an earlier attempt of this same call failed with an error that leaves its commit unknown
   *     (a connection that broke during the commit): a run found with this call's workflow and definition is then that
   *     attempt's, saved after all, and the call succeeds instead of calling its own run a duplicate
   */
  private static void insertRun(Connection c, RunRecord run, String definition, List<TaskRecord> tasks,
      boolean retried) throws SQLException {
    if (exists(c, "SELECT 1 FROM runs WHERE project = ? AND run_id = ?", run.project(), run.id())) {
      if (retried && sameRun(c, run, definition)) {
        log.info("Run saved by an attempt whose commit broke; not created twice (run={}/{})", run.project(),
            run.id());
        return;
      }
      throw runExists(run);
    }
    ensureProject(c, run);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS
        + ", definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindRun(ps, run);
      ps.setString(9, definition);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw runExists(run);
      }
      throw e;
    }
    if (!tasks.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (" + TASK_COLUMNS
          + ", lane_rank, attempt_count, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int position = 0;
        for (TaskRecord t : tasks) {
          bindTask(ps, t);
          ps.setInt(15, t.lane().ordinal());
          ps.setInt(16, t.attempts().size());
          ps.setInt(17, position++);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      update(c, "UPDATE tasks SET enqueued_at = CURRENT_TIMESTAMP WHERE project = ? AND run_id = ? AND state = ?",
          run.project(), run.id(), TaskState.READY.name());
    }
  }

  /** Whether the stored run has this run's workflow and definition (compared here: H2 cannot compare large text). */
  private static boolean sameRun(Connection c, RunRecord run, String definition) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT workflow, definition FROM runs WHERE project = ? AND run_id = ?")) {
      ps.setString(1, run.project());
      ps.setString(2, run.id());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && run.workflow().equals(rs.getString(1)) && definition.equals(rs.getString(2));
      }
    }
  }

  private static IllegalStateException runExists(RunRecord run) {
    return new IllegalStateException("run " + run.id() + " already exists in project " + run.project()
        + ": submit it under a new run id");
  }

  /** Creates the run's project unless it exists; a project created meanwhile by another writer is fine. */
  private static void ensureProject(Connection c, RunRecord run) throws SQLException {
    if (exists(c, "SELECT 1 FROM projects WHERE name = ?", run.project())) {
      return;
    }
    Savepoint before = c.setSavepoint();
    try {
      insertProject(c, Project.of(run.project(), run.submittedAt(), ZoneOffset.UTC));
      c.releaseSavepoint(before);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(before);
    }
  }

  @Override
  public Optional<String> definition(String project, String runId) {
    return read("read the definition of " + project + "/" + runId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT definition FROM runs WHERE project = ? AND run_id = ?")) {
        bind(ps, project, runId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public void updateRun(RunRecord run) {
    write("update run " + run.project() + "/" + run.id(), false, c -> {
      if (writeRun(c, run) == 0) {
        throw new IllegalArgumentException("project " + run.project() + " has no run " + run.id()
            + ": create it with createRun first");
      }
      return null;
    });
  }

  /** Writes a run's record; a run that is no longer RUNNING is held by nobody (and never claimed). */
  private static int writeRun(Connection c, RunRecord run) throws SQLException {
    String releases = run.status() == RunStatus.RUNNING ? "" : ", lease_owner = NULL, lease_until = NULL";
    try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET workflow = ?, status = ?, params = ?, "
        + "submitted_at = ?, finished_at = ?, cancellation = ?" + releases + " WHERE project = ? AND run_id = ?")) {
      ps.setString(1, run.workflow());
      ps.setString(2, run.status().name());
      ps.setString(3, Json.writeStrings(run.params()));
      setInstant(ps, 4, run.submittedAt());
      setInstant(ps, 5, run.finishedAt());
      ps.setString(6, Json.writeNullable(run.cancellation()));
      ps.setString(7, run.project());
      ps.setString(8, run.id());
      return ps.executeUpdate();
    }
  }

  @Override
  public void updateTask(TaskRecord task) {
    flushPending(); // an update pending in this transaction must not land after this one
    write("update task " + task.project() + "/" + task.runId() + "/" + task.taskId(), false, c -> {
      if (writeTask(c, task) == 0) {
        throw noTask(task);
      }
      return null;
    });
  }

  private static IllegalArgumentException noTask(TaskRecord task) {
    return new IllegalArgumentException("project " + task.project() + " has no task '" + task.taskId()
        + "' in run " + task.runId() + ": tasks are created with their run");
  }

  private static int writeTask(Connection c, TaskRecord task) throws SQLException {
    String sql = task.state() == TaskState.READY ? UPDATE_TASK_READY : UPDATE_TASK_NOT_READY;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindUpdate(ps, task);
      return ps.executeUpdate();
    }
  }

  /**
   * Sends the task records and events a transaction accepted without writing them yet (see {@code PendingWrites}):
   * the tasks in two batched updates (those becoming or staying READY, and the others), the events in one batch.
   */
  private void writePending(Connection c, Collection<TaskRecord> tasks, List<Event> events) throws SQLException {
    List<TaskRecord> ready = new ArrayList<>();
    List<TaskRecord> other = new ArrayList<>();
    for (TaskRecord t : tasks) {
      (t.state() == TaskState.READY ? ready : other).add(t);
    }
    updateTasks(c, UPDATE_TASK_READY, ready);
    updateTasks(c, UPDATE_TASK_NOT_READY, other);
    if (!events.isEmpty()) {
      List<EventLog.Entry> entries = new ArrayList<>(events.size());
      for (Event e : events) {
        entries.add(eventEntry(e));
      }
      eventLog.insertAll(c, transactions.joined(), entries);
    }
  }

  private static void updateTasks(Connection c, String sql, List<TaskRecord> tasks) throws SQLException {
    if (tasks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (TaskRecord t : tasks) {
        bindUpdate(ps, t);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          throw noTask(tasks.get(i));
        }
      }
    }
  }

  private static void bindUpdate(PreparedStatement ps, TaskRecord task) throws SQLException {
    ps.setString(1, task.title());
    ps.setString(2, task.state().name());
    ps.setString(3, task.lane().name());
    ps.setInt(4, task.lane().ordinal());
    ps.setString(5, task.provider());
    ps.setString(6, Json.write(task.attempts()));
    ps.setInt(7, task.attempts().size());
    ps.setString(8, task.output());
    ps.setString(9, task.errorKind() == null ? null : task.errorKind().name());
    ps.setString(10, task.error());
    ps.setString(11, Json.writeNullable(task.cancellation()));
    ps.setString(12, Json.writeNullable(task.question()));
    setInstant(ps, 13, task.updatedAt());
    ps.setString(14, task.project());
    ps.setString(15, task.runId());
    ps.setString(16, task.taskId());
  }

  @Override
  public Optional<RunRecord> run(String project, String runId) {
    return read("read run " + project + "/" + runId, c -> {
      List<RunRecord> runs = queryRuns(c, "WHERE project = ? AND run_id = ?", project, runId);
      return runs.isEmpty() ? Optional.<RunRecord>empty() : Optional.of(runs.get(0));
    });
  }

  @Override
  public List<RunRecord> runs(String project) {
    return read("list the runs of " + project, c -> queryRuns(c, "WHERE project = ? ORDER BY seq", project));
  }

  /** Reads the runs in queries of up to {@value #IDS_PER_QUERY} ids each. */
  @Override
  public List<RunRecord> runs(String project, Collection<String> runIds) {
    if (runIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(runIds);
    Map<String, RunRecord> byId = new HashMap<>();
    read("read " + ids.size() + " runs of " + project, c -> {
      for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
        Object[] args = new Object[chunk.size() + 1];
        args[0] = project;
        for (int i = 0; i < chunk.size(); i++) {
          args[i + 1] = chunk.get(i);
        }
        String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
        for (RunRecord r : queryRuns(c, "WHERE project = ? AND run_id IN (" + marks + ")", args)) {
          byId.put(r.id(), r);
        }
      }
      return null;
    });
    List<RunRecord> found = new ArrayList<>(byId.size());
    for (String id : ids) {
      RunRecord r = byId.get(id);
      if (r != null) {
        found.add(r);
      }
    }
    return found;
  }

  /** The most run ids one query names. */
  private static final int IDS_PER_QUERY = 500;

  @Override
  public List<RunRecord> unfinishedRuns() {
    return read("list unfinished runs", c -> {
      List<RunRecord> runs = new ArrayList<>(queryRuns(c, "WHERE status = ? ORDER BY submitted_at, seq",
          RunStatus.RUNNING.name()));
      // The database's collation may order ids differently from Java: settle ties as the in-memory store does.
      runs.sort(Comparator.comparing(RunRecord::submittedAt).thenComparing(RunRecord::id));
      return List.copyOf(runs);
    });
  }

  @Override
  public List<TaskRecord> tasks(String project, String runId) {
    flushPending();
    return read("list the tasks of " + project + "/" + runId,
        c -> queryTasks(c, "WHERE project = ? AND run_id = ? ORDER BY position", project, runId));
  }

  @Override
  public Optional<TaskRecord> task(String project, String runId, String taskId) {
    flushPending();
    return read("read task " + project + "/" + runId + "/" + taskId, c -> {
      List<TaskRecord> tasks = queryTasks(c, "WHERE project = ? AND run_id = ? AND task_id = ?",
          project, runId, taskId);
      return tasks.isEmpty() ? Optional.<TaskRecord>empty() : Optional.of(tasks.get(0));
    });
  }

  // ------------------------------------------------------------------ events

  @Override
  public void append(Event event) {
    JoinedTransaction joined = transactions.joined();
    if (joined.current() != null) {
      Json.eventType(event); // refuses an event it cannot store now, not at the commit
      joined.pending().event(event); // sent with the transaction's other events, in order, before it commits
      return;
    }
    EventLog.Entry entry = eventEntry(event);
    write("append " + entry.type() + " to " + event.project() + "/" + event.runId(), false, c -> {
      eventLog.insertAll(c, joined, List.of(entry));
      return null;
    });
  }

  private static EventLog.Entry eventEntry(Event event) {
    return new EventLog.Entry(event.project(), event.runId(), event instanceof TaskEvent te ? te.taskId() : null,
        Json.eventType(event), OffsetDateTime.ofInstant(event.at().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC),
        Json.write(event));
  }

  /** Sends what the open transaction left pending, so that a read of the tasks or events in it sees it. */
  private void flushPending() {
    try {
      transactions.joined().flush();
    } catch (SQLException e) {
      throw new OrchestratorException("store " + description + " could not write the transaction's pending task "
          + "updates and events: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  /** A run's events, oldest first; this store keeps every event. */
  @Override
  public List<Event> events(String project, String runId) {
    flushPending();
    return read("read the events of " + project + "/" + runId, c -> {
      List<Event> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, type, body FROM events WHERE project = ? AND run_id = ? ORDER BY seq")) {
        bind(ps, project, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            readEvent(rs.getLong(1), rs.getString(2), rs.getString(3)).ifPresent(out::add);
          }
        }
      }
      return out;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Events of a type this version does not know (written by a newer version) are skipped, with a warning the
   * first time each type is met; so is an event whose stored form cannot be read (a row changed by hand), with a
   * warning naming its sequence. Neither ever stops a reader, which gets the next event it can read.
   */
  @Override
  public List<StoredEvent> eventsAfter(long sequence, int max) {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0 (was " + sequence + "): start from 0 for the "
          + "oldest event, or from lastEventSequence() for new ones");
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    flushPending();
    String what = "read the events after " + sequence;
    long horizon = read(what, eventLog::newest);
    if (horizon <= sequence) {
      return List.of();
    }
    if (eventLog.horizonNeedsATransaction()) {
      horizon = write(what, false, eventLog::horizon);
    }
    List<StoredEvent> out = new ArrayList<>();
    long cursor = sequence;
    while (out.size() < max && cursor < horizon) {
      int wanted = max - out.size();
      long from = cursor;
      long upTo = horizon;
      List<EventLog.Row> rows = read(what, c -> eventLog.after(c, from, upTo, wanted));
      for (EventLog.Row row : rows) {
        cursor = row.seq();
        long seq = row.seq();
        readEvent(seq, row.type(), row.body()).ifPresent(e -> out.add(new StoredEvent(seq, e)));
      }
      if (rows.size() < wanted) {
        break;
      }
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL, the newest number below which no event can still appear: a reader that starts from it misses
   * none of the events appended while it started.
   */
  @Override
  public long lastEventSequence() {
    flushPending();
    String what = "read the newest event's sequence";
    return eventLog.horizonNeedsATransaction() ? write(what, false, eventLog::horizon) : read(what, eventLog::newest);
  }

  private Optional<Event> readEvent(long seq, String type, String body) {
    Optional<Event> e;
    try {
      e = Json.readEvent(type, body);
    } catch (OrchestratorException unreadable) {
      // One row changed by hand or written by an incompatible version must not stop every reader of the stream (the
      // learning statistics, the dashboard's feed, the notifications) at it for ever: it is skipped, and said.
      if (unreadableEvents.add(seq)) {
        log.warn("Skipping an event whose stored form cannot be read (store={}, sequence={}, type={}): {}",
            description, seq, type, unreadable.getMessage());
      }
      return Optional.empty();
    }
    if (e.isEmpty() && unknownEventTypes.add(type)) {
      log.warn("Skipping events of a type this version does not know (store={}, type={}); upgrade this process to "
          + "read them", description, type);
    }
    return e;
  }

  // ------------------------------------------------------------------ projects

  @Override
  public void createProject(Project project) {
    write("create project " + project.name(), false, c -> {
      try {
        insertProject(c, project);
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw new IllegalStateException("project '" + project.name() + "' already exists: choose another name "
              + "or change it with updateProject");
        }
        throw e;
      }
      return null;
    });
  }

  private static void insertProject(Connection c, Project p) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO projects (" + PROJECT_COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, p.name());
      setInstant(ps, 2, p.createdAt());
      ps.setBoolean(3, p.archived());
      ps.setString(4, p.zone().getId());
      ps.setString(5, Json.writeStrings(p.settings()));
      ps.executeUpdate();
    }
  }

  @Override
  public Optional<Project> project(String name) {
    return read("read project " + name, c -> {
      List<Project> found = queryProjects(c, "WHERE name = ?", name);
      return found.isEmpty() ? Optional.<Project>empty() : Optional.of(found.get(0));
    });
  }

  @Override
  public void updateProject(Project project) {
    write("update project " + project.name(), false, c -> {
      int n = update(c, "UPDATE projects SET created_at = ?, archived = ?, zone = ?, settings = ? WHERE name = ?",
          project.createdAt(), project.archived(), project.zone().getId(), Json.writeStrings(project.settings()),
          project.name());
      if (n == 0) {
        throw new IllegalArgumentException("there is no project '" + project.name()
            + "': create it with createProject first");
      }
      return null;
    });
  }

  @Override
  public List<Project> projectList(boolean includeArchived) {
    return read("list projects", c -> {
      List<Project> all = new ArrayList<>(includeArchived
          ? queryProjects(c, "")
          : queryProjects(c, "WHERE archived = ?", false));
      all.sort(Comparator.comparing(Project::name));
      return List.copyOf(all);
    });
  }

  // ------------------------------------------------------------------ budgets

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the limit has more than 18 decimal places or 20 integer digits
   */
  @Override
  public void submitCommand(dev.orchestrator.spi.store.Command command) {
    write("queue command " + command.id(), false, c -> update(c,
        "INSERT INTO commands (id, project, run_id, body, submitted_at) VALUES (?, ?, ?, ?, ?)", command.id(),
        command.project(), command.runId(), Json.write(command), command.at()));
  }

  @Override
  public List<dev.orchestrator.spi.store.Command> takeCommands() {
    return write("take commands", false, c -> {
      List<dev.orchestrator.spi.store.Command> out = new ArrayList<>();
      List<Long> taken = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, body FROM commands ORDER BY seq FOR UPDATE");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken.add(rs.getLong(1));
          out.add(Json.readCommand(rs.getString(2)));
        }
      }
      for (long seq : taken) {
        update(c, "DELETE FROM commands WHERE seq = ?", seq);
      }
      return out;
    });
  }

  @Override
  public void saveBudget(Budget budget) {
    BigDecimal amount = budget.limit().amount();
    BigDecimal stripped = amount.stripTrailingZeros();
    if (stripped.scale() > BUDGET_SCALE || stripped.precision() - stripped.scale() > BUDGET_INTEGER_DIGITS) {
      throw new IllegalArgumentException("budget limit for " + budget.scope() + " must have at most "
          + BUDGET_INTEGER_DIGITS + " integer digits and " + BUDGET_SCALE + " decimal places (was "
          + amount.toPlainString() + "): round it");
    }
    // Two first saves of one scope at once may both try to insert: the loser's retry replaces.
    write("save the budget of " + budget.scope(), true, c -> {
      ledger.beforeLimitSaved(c, budget);
      try (PreparedStatement ps = c.prepareStatement(dialect.upsertBudget())) {
        ps.setString(1, budget.scope().kind().name());
        ps.setString(2, budget.scope().name());
        ps.setBigDecimal(3, amount);
        ps.setString(4, budget.limit().currency().getCurrencyCode());
        ps.setString(5, Json.write(budget.thresholds()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean deleteBudget(BudgetScope scope) {
    return write("delete the budget of " + scope, false, c ->
        update(c, "DELETE FROM budgets WHERE scope_kind = ? AND scope_name = ?", scope.kind().name(), scope.name())
            > 0);
  }

  @Override
  public List<Budget> budgets() {
    return read("list budgets", c -> {
      List<Budget> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT scope_kind, scope_name, limit_amount, currency, "
          + "thresholds FROM budgets ORDER BY scope_kind, scope_name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BudgetScope scope = new BudgetScope(BudgetScope.Kind.valueOf(rs.getString(1)), rs.getString(2));
          Money limit = new Money(plain(rs.getBigDecimal(3)), Currency.getInstance(rs.getString(4).trim()));
          out.add(Budget.builder().scope(scope).limit(limit).thresholds(Json.readDoubles(rs.getString(5))).build());
        }
      }
      return out;
    });
  }

  /** {@code 12.500000000000000000} as {@code 12.5}, and {@code 100.000...} as {@code 100}, never {@code 1E+2}. */
  private static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  // ------------------------------------------------------------------ claims (many workers)

  private static final String RUN_IS_LIVE = "EXISTS (SELECT 1 FROM runs r WHERE r.project = q.project "
      + "AND r.run_id = q.run_id AND r.status = 'RUNNING' AND r.cancellation IS NULL)";
  private static final String TERMINAL = "('SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED')";
  private static final Comparator<Account> ACCOUNT_ORDER = Comparator
      .comparing((Account a) -> a.scope().kind())
      .thenComparing(a -> a.scope().name())
      .thenComparing(JdbcStore::day);

  /**
   * {@inheritDoc}
   *
   * <p>Dependency edges are stored and each task gets its count of unfinished dependencies in one transaction; the
   * tasks at zero become {@code READY}, enqueued now by the database clock.
   *
   * @throws IllegalArgumentException when a task or a dependency is not a task of the run, naming it
   */
  @Override
  public void enqueue(String project, String runId, Map<String, List<String>> dependsOn) {
    write("enqueue " + project + "/" + runId, false, c -> {
      Set<String> ids = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT task_id FROM tasks WHERE project = ? AND run_id = ?")) {
        bind(ps, project, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
        if (!ids.contains(e.getKey())) {
          throw new IllegalArgumentException("run " + project + "/" + runId + " has no task '" + e.getKey()
              + "': enqueue only the tasks created with the run");
        }
        for (String d : e.getValue()) {
          if (!ids.contains(d)) {
            throw new IllegalArgumentException("task '" + e.getKey() + "' depends on '" + d + "', which is not a task"
                + " of run " + project + "/" + runId + ": fix the dependency");
          }
        }
      }
      try (PreparedStatement edges = c.prepareStatement("INSERT INTO task_dependencies (project, run_id, "
          + "depends_on, task_id) VALUES (?, ?, ?, ?)");
          PreparedStatement counts = c.prepareStatement("UPDATE tasks SET pending = ? WHERE project = ? "
              + "AND run_id = ? AND task_id = ?")) {
        boolean anyEdge = false;
        boolean anyCount = false;
        for (Map.Entry<String, List<String>> e : dependsOn.entrySet()) {
          Set<String> deps = new java.util.LinkedHashSet<>(e.getValue());
          for (String d : deps) {
            edges.setString(1, project);
            edges.setString(2, runId);
            edges.setString(3, d);
            edges.setString(4, e.getKey());
            edges.addBatch();
            anyEdge = true;
          }
          if (!deps.isEmpty()) {
            counts.setInt(1, deps.size());
            counts.setString(2, project);
            counts.setString(3, runId);
            counts.setString(4, e.getKey());
            counts.addBatch();
            anyCount = true;
          }
        }
        if (anyEdge) {
          edges.executeBatch();
        }
        if (anyCount) {
          counts.executeBatch();
        }
      }
      update(c, "UPDATE tasks SET state = 'READY', enqueued_at = CURRENT_TIMESTAMP WHERE project = ? AND run_id = ? "
          + "AND state = 'BLOCKED' AND pending = 0", project, runId);
      return null;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Effective lane: {@code max(0, lane_rank - floor(waited / boost))}, computed in the claim's {@code ORDER BY}
   * from {@code enqueued_at} and the database clock (no periodic bump, so no write is needed for aging; the partial
   * index on READY tasks keeps the scan to the queue). On PostgreSQL this is one statement,
   * {@code UPDATE ... WHERE (project, run_id, task_id) IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ...},
   * with the lease from {@code now()}; on H2 a transaction reads the queue and takes each row with an UPDATE
   * conditional on its state and fencing token, so a row another process took meanwhile is passed over.
   */
  @Override
  public List<Claim> claim(String worker, int max, Duration lease, Duration boost) {
    Objects.requireNonNull(worker, "worker");
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    checkLease(lease);
    if (boost.isNegative() || boost.isZero()) {
      throw new IllegalArgumentException("boost must be positive (was " + boost + "): the default is 24 hours");
    }
    double boostMicros = Math.max(1.0, boost.toNanos() / 1000.0);
    return dialect == Dialect.POSTGRESQL ? claimPostgres(worker, max, lease, boostMicros)
        : claimH2(worker, max, lease, boostMicros);
  }

  private List<Claim> claimPostgres(String worker, int max, Duration lease, double boostMicros) {
    String sql = "UPDATE tasks t SET state = 'RUNNING', lease_owner = ?, lease_until = now() + make_interval(secs => ?), "
        + "fencing_token = t.fencing_token + 1, claim_count = t.claim_count + 1, attempt_count = t.attempt_count + 1, "
        + "enqueued_at = NULL WHERE (t.project, t.run_id, t.task_id) IN (SELECT q.project, q.run_id, q.task_id "
        + "FROM tasks q WHERE q.state = 'READY' AND q.cancellation IS NULL AND " + RUN_IS_LIVE
        + " ORDER BY GREATEST(0, q.lane_rank - FLOOR(EXTRACT(EPOCH FROM (now() - q.enqueued_at)) * 1000000 / ?)), "
        + "q.enqueued_at FOR UPDATE OF q SKIP LOCKED LIMIT ?) "
        + "RETURNING t.project, t.run_id, t.task_id, t.fencing_token, t.attempt_count, t.lease_until";
    return write("claim tasks for " + worker, false, c -> {
      List<Claim> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, worker);
        ps.setDouble(2, lease.toNanos() / 1e9);
        ps.setDouble(3, boostMicros);
        ps.setInt(4, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Claim.builder().project(rs.getString(1)).runId(rs.getString(2)).taskId(rs.getString(3))
                .fence(rs.getLong(4)).attempt(rs.getInt(5)).leaseUntil(instant(rs, 6)).build());
          }
        }
      }
      return out;
    });
  }

  private List<Claim> claimH2(String worker, int max, Duration lease, double boostMicros) {
    // One claimer per process at a time; other processes are kept out by the conditional UPDATE.
    synchronized (claimLock) {
      return write("claim tasks for " + worker, false, c -> {
        List<Object[]> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT q.project, q.run_id, q.task_id, q.fencing_token "
            + "FROM tasks q WHERE q.state = 'READY' AND q.cancellation IS NULL AND " + RUN_IS_LIVE
            + " ORDER BY GREATEST(0, q.lane_rank - FLOOR(DATEDIFF(MICROSECOND, q.enqueued_at, CURRENT_TIMESTAMP) / ?)),"
            + " q.enqueued_at LIMIT ?")) {
          ps.setDouble(1, boostMicros);
          ps.setInt(2, max);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              candidates.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)});
            }
          }
        }
        List<Claim> out = new ArrayList<>();
        try (PreparedStatement up = c.prepareStatement("UPDATE tasks SET state = 'RUNNING', lease_owner = ?, "
            + "lease_until = DATEADD(MICROSECOND, ?, CURRENT_TIMESTAMP), fencing_token = fencing_token + 1, "
            + "claim_count = claim_count + 1, attempt_count = attempt_count + 1, enqueued_at = NULL "
            + "WHERE project = ? AND run_id = ? AND task_id = ? AND state = 'READY' AND fencing_token = ?");
            PreparedStatement read = c.prepareStatement("SELECT fencing_token, attempt_count, lease_until FROM tasks "
                + "WHERE project = ? AND run_id = ? AND task_id = ?")) {
          for (Object[] k : candidates) {
            up.setString(1, worker);
            up.setLong(2, lease.toNanos() / 1000);
            up.setString(3, (String) k[0]);
            up.setString(4, (String) k[1]);
            up.setString(5, (String) k[2]);
            up.setLong(6, (Long) k[3]);
            if (up.executeUpdate() == 1) {
              bind(read, k[0], k[1], k[2]);
              try (ResultSet rs = read.executeQuery()) {
                rs.next();
                out.add(Claim.builder().project((String) k[0]).runId((String) k[1]).taskId((String) k[2])
                    .fence(rs.getLong(1)).attempt(rs.getInt(2)).leaseUntil(instant(rs, 3)).build());
              }
            }
          }
        }
        return out;
      });
    }
  }

  /** {@inheritDoc} A claim is valid while its task is RUNNING under its fence and owner, and neither the task nor its run is cancelled or finished. */
  @Override
  public List<Claim> heartbeat(String worker, List<Claim> held, Duration lease) {
    checkLease(lease);
    if (held.isEmpty()) {
      return List.of();
    }
    String until = dialect == Dialect.POSTGRESQL ? "now() + make_interval(secs => ?)"
        : "DATEADD(MICROSECOND, ?, CURRENT_TIMESTAMP)";
    return write("renew the leases of " + worker, false, c -> {
      List<Claim> lost = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("UPDATE tasks q SET lease_until = " + until
          + " WHERE q.project = ? AND q.run_id = ? AND q.task_id = ? AND q.fencing_token = ? AND q.lease_owner = ? "
          + "AND q.state = 'RUNNING' AND q.cancellation IS NULL AND " + RUN_IS_LIVE)) {
        for (Claim h : held) {
          if (dialect == Dialect.POSTGRESQL) {
            ps.setDouble(1, lease.toNanos() / 1e9);
          } else {
            ps.setLong(1, lease.toNanos() / 1000);
          }
          ps.setString(2, h.project());
          ps.setString(3, h.runId());
          ps.setString(4, h.taskId());
          ps.setLong(5, h.fence());
          ps.setString(6, worker);
          if (ps.executeUpdate() == 0) {
            lost.add(h);
          }
        }
      }
      return lost;
    });
  }

  @Override
  public boolean finish(Claim claim, TaskRecord record, @Nullable Instant retryAt, List<Account> accounts,
      BigDecimal reserved, BigDecimal actual) {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(record, "record");
    claim.checkFinish(record, retryAt);
    TaskState to = record.state();
    List<Account> sorted = new ArrayList<>(accounts);
    sorted.sort(ACCOUNT_ORDER);
    String p = claim.project();
    String r = claim.runId();
    return write("finish task " + p + "/" + r + "/" + claim.taskId(), true, c -> {
      // The run row first: finishes of one run queue here, so exactly one of them sees the run's last task end.
      boolean runCancelled;
      try (PreparedStatement ps = c.prepareStatement("SELECT cancellation FROM runs WHERE project = ? AND run_id = ? "
          + "FOR UPDATE")) {
        bind(ps, p, r);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          runCancelled = rs.getString(1) != null;
        }
      }
      int n;
      try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET title = ?, state = ?, lane = ?, lane_rank = ?, "
          + "provider = ?, attempts = ?, attempt_count = ?, output = ?, error_kind = ?, error = ?, cancellation = ?, "
          + "question = ?, updated_at = ?, enqueued_at = NULL, lease_owner = NULL, lease_until = NULL, retry_at = ? "
          + "WHERE project = ? AND run_id = ? AND task_id = ? AND state = 'RUNNING' AND fencing_token = ?")) {
        ps.setString(1, record.title());
        ps.setString(2, to.name());
        ps.setString(3, record.lane().name());
        ps.setInt(4, record.lane().ordinal());
        ps.setString(5, record.provider());
        ps.setString(6, Json.write(record.attempts()));
        ps.setInt(7, record.attempts().size());
        ps.setString(8, record.output());
        ps.setString(9, record.errorKind() == null ? null : record.errorKind().name());
        ps.setString(10, record.error());
        ps.setString(11, Json.writeNullable(record.cancellation()));
        ps.setString(12, Json.writeNullable(record.question()));
        setInstant(ps, 13, record.updatedAt());
        setInstant(ps, 14, to == TaskState.RETRY_WAIT ? retryAt : null);
        ps.setString(15, p);
        ps.setString(16, r);
        ps.setString(17, claim.taskId());
        ps.setLong(18, claim.fence());
        n = ps.executeUpdate();
      }
      if (n == 0) {
        c.rollback();
        return false;
      }
      if (to == TaskState.SUCCEEDED) {
        update(c, "UPDATE tasks SET pending = pending - 1 WHERE project = ? AND run_id = ? AND task_id IN "
            + "(SELECT d.task_id FROM task_dependencies d WHERE d.project = ? AND d.run_id = ? AND d.depends_on = ?)",
            p, r, p, r, claim.taskId());
        update(c, "UPDATE tasks SET state = 'READY', enqueued_at = CURRENT_TIMESTAMP WHERE project = ? AND run_id = ? "
            + "AND state = 'BLOCKED' AND pending <= 0 AND task_id IN (SELECT d.task_id FROM task_dependencies d "
            + "WHERE d.project = ? AND d.run_id = ? AND d.depends_on = ?)", p, r, p, r, claim.taskId());
      } else if (to == TaskState.FAILED || to == TaskState.CANCELLED) {
        skipDependants(c, p, r, claim.taskId(), record.updatedAt());
      }
      if (to.isTerminal()) {
        finishRunIfDone(c, p, r, runCancelled, record.updatedAt());
      }
      settle(c, sorted, reserved, actual);
      return true;
    });
  }

  /** Every task waiting, directly or not, on a task that will never succeed is SKIPPED. */
  private static void skipDependants(Connection c, String p, String r, String taskId, Instant at)
      throws SQLException {
    java.util.ArrayDeque<String> frontier = new java.util.ArrayDeque<>();
    frontier.add(taskId);
    try (PreparedStatement find = c.prepareStatement("SELECT t.task_id FROM task_dependencies d JOIN tasks t "
        + "ON t.project = d.project AND t.run_id = d.run_id AND t.task_id = d.task_id WHERE d.project = ? "
        + "AND d.run_id = ? AND d.depends_on = ? AND t.state = 'BLOCKED'");
        PreparedStatement skip = c.prepareStatement("UPDATE tasks SET state = 'SKIPPED', updated_at = ? "
            + "WHERE project = ? AND run_id = ? AND task_id = ? AND state = 'BLOCKED'")) {
      while (!frontier.isEmpty()) {
        String from = frontier.poll();
        List<String> found = new ArrayList<>();
        bind(find, p, r, from);
        try (ResultSet rs = find.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
        for (String t : found) {
          bind(skip, at, p, r, t);
          if (skip.executeUpdate() == 1) {
            frontier.add(t);
          }
        }
      }
    }
  }

  private static void finishRunIfDone(Connection c, String p, String r, boolean runCancelled, Instant at)
      throws SQLException {
    // Most finishes leave work behind: a probe of the (run, state) index says so without reading every task.
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tasks WHERE project = ? AND run_id = ? AND state IN "
        + "('BLOCKED', 'READY', 'RUNNING', 'RETRY_WAIT', 'PAUSED', 'AWAITING_INPUT', 'AWAITING_REVIEW') "
        + "FETCH FIRST 1 ROWS ONLY")) {
      bind(ps, p, r);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    int open = 0;
    boolean cancelled = runCancelled;
    boolean failed = false;
    try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM tasks WHERE project = ? AND run_id = ? "
        + "GROUP BY state")) {
      bind(ps, p, r);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TaskState s = TaskState.valueOf(rs.getString(1));
          if (!s.isTerminal()) {
            open += rs.getInt(2);
          } else if (s == TaskState.CANCELLED) {
            cancelled = true;
          } else if (s == TaskState.FAILED || s == TaskState.SKIPPED) {
            failed = true;
          }
        }
      }
    }
    if (open > 0) {
      return;
    }
    RunStatus status = cancelled ? RunStatus.CANCELLED : failed ? RunStatus.FAILED : RunStatus.SUCCEEDED;
    update(c, "UPDATE runs SET status = ?, finished_at = ? WHERE project = ? AND run_id = ? AND status = 'RUNNING'",
        status.name(), at, p, r);
    update(c, "UPDATE runs SET finished_at = ? WHERE project = ? AND run_id = ? AND finished_at IS NULL", at, p, r);
  }

  private void settle(Connection c, List<Account> sorted, BigDecimal reserved, BigDecimal actual)
      throws SQLException {
    if (sorted.isEmpty() || (reserved.signum() == 0 && actual.signum() == 0)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE budget_accounts SET reserved = GREATEST(reserved - ?, 0), "
        + "spent = spent + ? WHERE scope_kind = ? AND scope_name = ? AND period = ?")) {
      for (Account a : sorted) {
        ensureAccount(c, a);
        ps.setBigDecimal(1, reserved);
        ps.setBigDecimal(2, actual);
        ps.setString(3, a.scope().kind().name());
        ps.setString(4, a.scope().name());
        ps.setString(5, day(a));
        ps.executeUpdate();
      }
    }
  }

  private void ensureAccount(Connection c, Account a) throws SQLException {
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO budget_accounts (scope_kind, scope_name, period) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        : "INSERT INTO budget_accounts (scope_kind, scope_name, period) SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
            + "CAST(? AS VARCHAR) FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM budget_accounts WHERE scope_kind = ? "
            + "AND scope_name = ? AND period = ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, a.scope().kind().name());
      ps.setString(2, a.scope().name());
      ps.setString(3, day(a));
      if (dialect != Dialect.POSTGRESQL) {
        ps.setString(4, a.scope().kind().name());
        ps.setString(5, a.scope().name());
        ps.setString(6, day(a));
      }
      ps.executeUpdate();
    }
  }

  private static String day(Account a) {
    return a.day() == null ? "" : a.day().toString();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Leases are compared with the database clock. A task whose run is finished or cancelled is never put back.
   * The fencing token goes up, so the worker that lost the lease can no longer finish it.
   */
  @Override
  public int sweep() {
    return write("sweep expired leases and due retries", false, c -> {
      int moved = update(c, "UPDATE tasks q SET state = 'READY', enqueued_at = CURRENT_TIMESTAMP, lease_owner = NULL, "
          + "lease_until = NULL, fencing_token = q.fencing_token + 1 WHERE q.state = 'RUNNING' "
          + "AND q.lease_until <= CURRENT_TIMESTAMP AND q.cancellation IS NULL AND " + RUN_IS_LIVE);
      moved += update(c, "UPDATE tasks q SET state = 'READY', enqueued_at = CURRENT_TIMESTAMP, retry_at = NULL "
          + "WHERE q.state = 'RETRY_WAIT' AND q.retry_at <= CURRENT_TIMESTAMP AND q.cancellation IS NULL AND "
          + RUN_IS_LIVE);
      return moved;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: accounts are taken in a fixed order, each with {@code UPDATE budget_accounts SET reserved =
   * reserved + ? WHERE ... AND spent + reserved + ? <= limit}; the first that matches no row rolls everything back.
   * A daily scope's limit applies to each day's account.
   */
  @Override
  public @Nullable BudgetScope reserve(List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must be >= 0 (was " + amount.toPlainString() + ")");
    }
    List<Account> sorted = new ArrayList<>(accounts);
    sorted.sort(ACCOUNT_ORDER);
    return write("reserve " + amount.toPlainString(), true, c -> {
      for (Account a : sorted) {
        ensureAccount(c, a);
        BigDecimal limit = null;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT limit_amount FROM budgets WHERE scope_kind = ? AND scope_name = ?")) {
          bind(ps, a.scope().kind().name(), a.scope().name());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              limit = rs.getBigDecimal(1);
            }
          }
        }
        if (limit == null && a.scope().kind() == BudgetScope.Kind.TASK) {
          limit = implicitTaskLimit;
        }
        String sql = "UPDATE budget_accounts SET reserved = reserved + ? WHERE scope_kind = ? AND scope_name = ? "
            + "AND period = ?" + (limit == null ? "" : " AND spent + reserved + ? <= ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setBigDecimal(1, amount);
          ps.setString(2, a.scope().kind().name());
          ps.setString(3, a.scope().name());
          ps.setString(4, day(a));
          if (limit != null) {
            ps.setBigDecimal(5, amount);
            ps.setBigDecimal(6, limit);
          }
          if (ps.executeUpdate() == 0) {
            c.rollback();
            return a.scope();
          }
        }
      }
      return null;
    });
  }

  @Override
  public BigDecimal spent(Account account) {
    return read("read the spending of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spent FROM budget_accounts WHERE scope_kind = ? "
          + "AND scope_name = ? AND period = ?")) {
        bind(ps, account.scope().kind().name(), account.scope().name(), day(account));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? plain(rs.getBigDecimal(1)) : BigDecimal.ZERO;
        }
      }
    });
  }

  /** What is reserved on an account and not yet settled (zero when nothing is in flight). */
  public BigDecimal reserved(Account account) {
    return read("read the reservations of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT reserved FROM budget_accounts WHERE scope_kind = ? "
          + "AND scope_name = ? AND period = ?")) {
        bind(ps, account.scope().kind().name(), account.scope().name(), day(account));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? plain(rs.getBigDecimal(1)) : BigDecimal.ZERO;
        }
      }
    });
  }

  private static void checkLease(Duration lease) {
    if (lease.isNegative()) {
      throw new IllegalArgumentException("lease must be >= 0 (was " + lease + "): give workers time to heartbeat");
    }
  }

  // ------------------------------------------------------------------ run leases (many engines, one store)

  /** Always true: runs are leased under the database clock, with fencing tokens. */
  @Override
  public boolean leasesRuns() {
    return true;
  }

  /**
   * {@inheritDoc} The run and its lease are written in one transaction; the lease's expiry is by the database clock.
   *
   * @throws IllegalArgumentException also when the run is not RUNNING
   */
  @Override
  public @Nullable RunLease createRun(RunRecord run, String definition, List<TaskRecord> tasks,
      @Nullable String owner, Duration lease) {
    if (run.status() != RunStatus.RUNNING) {
      throw new IllegalArgumentException("a run created under a lease must be RUNNING (was " + run.status()
          + " for run " + run.project() + "/" + run.id() + "): create a finished run with createRun(run, definition, "
          + "tasks)");
    }
    checkTasks(run, tasks);
    checkLease(lease);
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    return write("create run " + run.project() + "/" + run.id(), false, c -> {
      insertRun(c, run, definition, tasks, attempts.getAndIncrement() > 0);
      return owner == null ? null : leases.hold(c, run.project(), run.id(), owner, lease);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Leases expire by the database clock. On PostgreSQL claimers never wait on each other ({@code FOR UPDATE SKIP
   * LOCKED}); a run whose holder is writing at that moment is passed over until the next claim.
   */
  @Override
  public List<RunLease> claimRuns(String owner, int max, Duration lease) {
    return leases.claim(owner, max, lease);
  }

  /** {@inheritDoc} A lease that expired is renewed as long as no other engine claimed the run since. */
  @Override
  public Optional<RunLease> acquireRun(String project, String runId, String owner, Duration lease) {
    return leases.acquire(project, runId, owner, lease);
  }

  @Override
  public List<RunLease> renewRuns(String owner, Collection<RunLease> held, Duration lease) {
    return leases.renew(owner, held, lease);
  }

  @Override
  public void releaseRun(RunLease lease) {
    leases.release(lease);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the task is not of the lease's run, or the run has no such task
   */
  @Override
  public boolean updateTask(RunLease lease, TaskRecord task, int position) {
    checkBelongs(lease, task.project(), task.runId(), "task '" + task.taskId() + "'");
    if (leases.heldInThisTransaction(lease)) {
      // The transaction holds the run's row with this lease: nothing can take it before the commit. The newest
      // record of the task is sent once, before the commit.
      transactions.joined().pending().task(task);
      return true;
    }
    flushPending(); // what is pending for this task goes in before this write
    return leases.fenced(lease, "update task " + task.project() + "/" + task.runId() + "/" + task.taskId(), false,
        c -> {
          if (writeTask(c, task) == 0) {
            throw noTask(task);
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the run is not the lease's
   */
  @Override
  public boolean updateRun(RunLease lease, RunRecord run) {
    checkBelongs(lease, run.project(), run.id(), "run");
    return leases.fenced(lease, "update run " + run.project() + "/" + run.id(), true, c -> writeRun(c, run));
  }

  private static void checkBelongs(RunLease lease, String project, String runId, String what) {
    if (!lease.project().equals(project) || !lease.runId().equals(runId)) {
      throw new IllegalArgumentException(what + " of " + project + "/" + runId + " does not belong to the lease on "
          + lease.project() + "/" + lease.runId() + ": write it under its own run's lease");
    }
  }

  @Override
  public Optional<RunLease> lease(String project, String runId) {
    return leases.lease(project, runId);
  }

  /** {@inheritDoc} The accounts live in the database, shared by every store instance that opens it. */
  @Override
  public Ledger ledger() {
    return ledger;
  }

  /**
   * {@inheritDoc} Its tables are {@code provider_health}, {@code provider_failures} and {@code provider_starts}
   * (schema version 10); every write locks the provider's row.
   */
  @Override
  public dev.orchestrator.spi.store.ProviderHealth providerHealth() {
    return providerHealth;
  }

  /** {@inheritDoc} Commands stored before schema version 8 name no run: only {@link #takeCommands()} takes them. */
  @Override
  public List<dev.orchestrator.spi.store.Command> takeCommands(String owner) {
    return leases.takeCommands(owner);
  }

  // ------------------------------------------------------------------ pauses

  @Override
  public void savePause(Pause pause) {
    pauses.save(pause);
  }

  @Override
  public boolean deletePause(Pause.Kind kind, String name) {
    return pauses.delete(kind, name);
  }

  /** {@inheritDoc} Sorted by kind, then by name as Java compares strings. */
  @Override
  public List<Pause> pauses() {
    return pauses.list();
  }

  // ------------------------------------------------------------------ agent processes

  @Override
  public void saveAgentProcess(dev.orchestrator.spi.store.AgentProcess process) {
    agentProcesses.save(process);
  }

  @Override
  public void deleteAgentProcess(dev.orchestrator.spi.store.AgentProcess process) {
    agentProcesses.delete(process);
  }

  @Override
  public List<dev.orchestrator.spi.store.AgentProcess> agentProcesses(String project, String runId) {
    return agentProcesses.of(project, runId);
  }

  /** Reads the claimed runs' records, definitions, tasks and agent processes in one transaction, four queries. */
  @Override
  public List<dev.orchestrator.spi.store.ClaimedRun> claimedRuns(List<RunLease> leases) {
    if (leases.isEmpty()) {
      return List.of();
    }
    flushPending();
    StringBuilder where = new StringBuilder("(project, run_id) IN (");
    List<String> args = new ArrayList<>(leases.size() * 2);
    for (RunLease lease : leases) {
      where.append(args.isEmpty() ? "(?, ?)" : ", (?, ?)");
      args.add(lease.project());
      args.add(lease.runId());
    }
    String in = where.append(')').toString();
    Object[] bound = args.toArray();
    return read("read " + leases.size() + " claimed runs", c -> {
      Map<String, RunRecord> runs = new HashMap<>();
      for (RunRecord r : queryRuns(c, "WHERE " + in, bound)) {
        runs.put(r.project() + '\0' + r.id(), r);
      }
      Map<String, String> definitions = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT project, run_id, definition FROM runs WHERE " + in)) {
        bind(ps, bound);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String definition = rs.getString(3);
            definitions.put(rs.getString(1) + '\0' + rs.getString(2), definition == null ? "" : definition);
          }
        }
      }
      Map<String, List<TaskRecord>> tasks = new HashMap<>();
      for (TaskRecord t : queryTasks(c, "WHERE " + in + " ORDER BY project, run_id, position", bound)) {
        tasks.computeIfAbsent(t.project() + '\0' + t.runId(), k -> new ArrayList<>()).add(t);
      }
      Map<String, List<dev.orchestrator.spi.store.AgentProcess>> processes = new HashMap<>();
      for (dev.orchestrator.spi.store.AgentProcess p
          : dev.orchestrator.store.jdbc.internal.AgentProcesses.ofRuns(c, in, args)) {
        processes.computeIfAbsent(p.project() + '\0' + p.runId(), k -> new ArrayList<>()).add(p);
      }
      List<dev.orchestrator.spi.store.ClaimedRun> found = new ArrayList<>(leases.size());
      for (RunLease lease : leases) {
        String key = lease.project() + '\0' + lease.runId();
        RunRecord r = runs.get(key);
        if (r != null) {
          found.add(dev.orchestrator.spi.store.ClaimedRun.of(lease, r, definitions.getOrDefault(key, ""),
              tasks.getOrDefault(key, List.of()), processes.getOrDefault(key, List.of())));
        }
      }
      return found;
    });
  }

  // ------------------------------------------------------------------ schedules

  private static final String SCHEDULE_COLUMNS = "id, project, workflow, definition, params, trigger_kind, "
      + "cron_expression, cron_syntax, cron_repeat, fire_at, zone, misfire, paused, created_at";
  private static final String FIRE_COLUMNS = "schedule_id, fire_time, outcome, run_id, recorded_at, detail";
  private static final String TRIGGER_CRON = "CRON";
  private static final String TRIGGER_AT = "AT";

  /**
   * {@inheritDoc}
   *
   * <p>One statement that inserts or updates by id ({@code ON CONFLICT (id) DO UPDATE} on PostgreSQL, {@code MERGE
   * ... KEY (id)} on H2), so the schedule's fires are kept.
   */
  @Override
  public void save(ScheduleStore.StoredSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO schedules (" + SCHEDULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET project = EXCLUDED.project, workflow = EXCLUDED.workflow, "
            + "definition = EXCLUDED.definition, params = EXCLUDED.params, trigger_kind = EXCLUDED.trigger_kind, "
            + "cron_expression = EXCLUDED.cron_expression, cron_syntax = EXCLUDED.cron_syntax, "
            + "cron_repeat = EXCLUDED.cron_repeat, fire_at = EXCLUDED.fire_at, zone = EXCLUDED.zone, "
            + "misfire = EXCLUDED.misfire, paused = EXCLUDED.paused, created_at = EXCLUDED.created_at"
        : "MERGE INTO schedules (" + SCHEDULE_COLUMNS + ") KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // A MERGE racing another for a new id may meet the row it inserted: run again, it then updates.
    write("save schedule " + schedule.id(), true, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bindSchedule(ps, schedule);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<ScheduleStore.StoredSchedule> find(String id) {
    return read("read schedule " + id, c -> querySchedules(c, "WHERE id = ?", id).stream().findFirst());
  }

  /** {@inheritDoc} Sorted by id as Java compares strings, whatever the database's collation. */
  @Override
  public List<ScheduleStore.StoredSchedule> list() {
    List<ScheduleStore.StoredSchedule> all = read("list schedules", c -> querySchedules(c, ""));
    all.sort(Comparator.comparing(ScheduleStore.StoredSchedule::id));
    return all;
  }

  /** {@inheritDoc} Its fires go with it ({@code ON DELETE CASCADE}). */
  @Override
  public boolean delete(String id) {
    return write("delete schedule " + id, false, c -> update(c, "DELETE FROM schedules WHERE id = ?", id) > 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement, never a lock held while the run starts: it inserts the {@code CLAIMED} row from the schedule's
   * row only when the schedule exists and is not paused, and the primary key {@code (schedule_id, fire_time)} lets
   * one insert succeed. PostgreSQL: {@code INSERT ... SELECT ... WHERE NOT paused ON CONFLICT DO NOTHING}; H2:
   * {@code INSERT ... SELECT ... WHERE NOT paused AND NOT EXISTS (...)}, where a concurrent claimer's duplicate-key
   * error means "claimed by another".
   */
  @Override
  public boolean claimFire(String scheduleId, Instant fireTime, Instant recordedAt) {
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(recordedAt, "recordedAt");
    String sql = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO schedule_fires (" + FIRE_COLUMNS + ") SELECT s.id, ?, 'CLAIMED', NULL, ?, '' "
            + "FROM schedules s WHERE s.id = ? AND NOT s.paused ON CONFLICT DO NOTHING"
        : "INSERT INTO schedule_fires (" + FIRE_COLUMNS + ") SELECT s.id, CAST(? AS TIMESTAMP(6) WITH TIME ZONE), "
            + "'CLAIMED', NULL, CAST(? AS TIMESTAMP(6) WITH TIME ZONE), '' FROM schedules s WHERE s.id = ? "
            + "AND NOT s.paused AND NOT EXISTS (SELECT 1 FROM schedule_fires f WHERE f.schedule_id = s.id "
            + "AND f.fire_time = CAST(? AS TIMESTAMP(6) WITH TIME ZONE))";
    return write("claim the fire of schedule " + scheduleId + " at " + fireTime, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        setInstant(ps, 1, fireTime);
        setInstant(ps, 2, recordedAt);
        ps.setString(3, scheduleId);
        if (dialect != Dialect.POSTGRESQL) {
          setInstant(ps, 4, fireTime);
        }
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          // Another caller inserted the row first: the unique key gave the fire to it.
          c.rollback();
          return false;
        }
        throw e;
      }
    });
  }

  /** {@inheritDoc} One {@code UPDATE} by the primary key. */
  @Override
  public void completeFire(ScheduleFire fire) {
    Objects.requireNonNull(fire, "fire");
    write("record the fire of schedule " + fire.scheduleId() + " at " + fire.fireTime(), false, c -> {
      int n;
      try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_fires SET outcome = ?, run_id = ?, "
          + "recorded_at = ?, detail = ? WHERE schedule_id = ? AND fire_time = ?")) {
        ps.setString(1, fire.outcome().name());
        ps.setString(2, fire.runId());
        setInstant(ps, 3, fire.recordedAt());
        ps.setString(4, fire.detail());
        ps.setString(5, fire.scheduleId());
        setInstant(ps, 6, fire.fireTime());
        n = ps.executeUpdate();
      }
      if (n == 0) {
        throw new IllegalStateException("the fire of schedule '" + fire.scheduleId() + "' at " + fire.fireTime()
            + " was not claimed: call claimFire first");
      }
      return null;
    });
  }

  @Override
  public List<ScheduleFire> fires(String scheduleId) {
    return read("read the fires of schedule " + scheduleId,
        c -> queryFires(c, "WHERE schedule_id = ? ORDER BY fire_time", scheduleId));
  }

  @Override
  public Optional<ScheduleFire> lastFire(String scheduleId) {
    return read("read the last fire of schedule " + scheduleId, c -> queryFires(c,
        "WHERE schedule_id = ? ORDER BY fire_time DESC FETCH FIRST 1 ROWS ONLY", scheduleId).stream().findFirst());
  }

  private static void bindSchedule(PreparedStatement ps, ScheduleStore.StoredSchedule s) throws SQLException {
    ps.setString(1, s.id());
    ps.setString(2, s.project());
    ps.setString(3, s.workflow());
    ps.setString(4, s.definition());
    ps.setString(5, Json.write(s.params())); // insertion order kept: the schedule's order
    if (s.trigger() instanceof Trigger.Cron cron) {
      ps.setString(6, TRIGGER_CRON);
      ps.setString(7, cron.expression());
      ps.setString(8, cron.syntax().name());
      ps.setBoolean(9, cron.repeat());
      setInstant(ps, 10, null);
    } else if (s.trigger() instanceof Trigger.Once once) {
      ps.setString(6, TRIGGER_AT);
      ps.setNull(7, Types.VARCHAR);
      ps.setNull(8, Types.VARCHAR);
      ps.setNull(9, Types.BOOLEAN);
      setInstant(ps, 10, once.at());
    } else {
      throw new IllegalArgumentException("unknown trigger " + s.trigger().getClass().getName());
    }
    ps.setString(11, s.zone().getId());
    ps.setString(12, Json.write(s.misfire()));
    ps.setBoolean(13, s.paused());
    setInstant(ps, 14, s.createdAt());
  }

  private static List<ScheduleStore.StoredSchedule> querySchedules(Connection c, String where, Object... args)
      throws SQLException {
    List<ScheduleStore.StoredSchedule> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + SCHEDULE_COLUMNS + " FROM schedules " + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String kind = rs.getString(6);
          Trigger trigger = switch (kind) {
            case TRIGGER_CRON -> new Trigger.Cron(rs.getString(7), CronSyntax.valueOf(rs.getString(8)),
                rs.getBoolean(9));
            case TRIGGER_AT -> Trigger.at(instant(rs, 10));
            default -> throw new OrchestratorException("stored schedule " + rs.getString(1) + " has the trigger "
                + "kind '" + kind + "', which this version does not know: upgrade Orchestrator");
          };
          out.add(ScheduleStore.StoredSchedule.builder().id(rs.getString(1)).project(rs.getString(2))
              .workflow(rs.getString(3)).definition(rs.getString(4)).params(Json.readStrings(rs.getString(5)))
              .trigger(trigger).zone(ZoneId.of(rs.getString(11)))
              .misfire(Json.read(rs.getString(12), MisfirePolicy.class)).paused(rs.getBoolean(13))
              .createdAt(instant(rs, 14)).build());
        }
      }
    }
    return out;
  }

  private static List<ScheduleFire> queryFires(Connection c, String where, Object... args) throws SQLException {
    List<ScheduleFire> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + FIRE_COLUMNS + " FROM schedule_fires " + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ScheduleFire.builder().scheduleId(rs.getString(1)).fireTime(instant(rs, 2))
              .outcome(ScheduleFire.Outcome.valueOf(rs.getString(3))).runId(rs.getString(4))
              .recordedAt(instant(rs, 5)).detail(rs.getString(6)).build());
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ outbox

  /** Created on first use. */
  private volatile dev.orchestrator.store.jdbc.internal.@Nullable JdbcOutbox outbox;

  /** {@inheritDoc} Its tables are {@code outbox_cursors} and {@code outbox}; every time is the database's. */
  @Override
  public dev.orchestrator.spi.store.Outbox outbox() {
    dev.orchestrator.store.jdbc.internal.JdbcOutbox o = outbox;
    if (o == null) {
      synchronized (closed) {
        o = outbox;
        if (o == null) {
          o = new dev.orchestrator.store.jdbc.internal.JdbcOutbox(transactions);
          outbox = o;
        }
      }
    }
    return o;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Closes the connection pool this store made (a caller's data source stays open). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closePool();
      log.info("Store closed (store={})", description);
    }
  }

  private void closePool() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /** For people: the kind of database and where it is, never a password. */
  @Override
  public String toString() {
    return "JdbcStore[" + description + ", schema " + schemaVersion + "]";
  }

  // ------------------------------------------------------------------ rows

  private static List<RunRecord> queryRuns(Connection c, String where, Object... args) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs " + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(RunRecord.builder().project(rs.getString(1)).id(rs.getString(2)).workflow(rs.getString(3))
              .status(RunStatus.valueOf(rs.getString(4))).params(Json.readStrings(rs.getString(5)))
              .submittedAt(instant(rs, 6)).finishedAt(nullableInstant(rs, 7))
              .cancellation(Json.readNullable(rs.getString(8), Cancellation.class)).build());
        }
      }
    }
    return out;
  }

  private static List<TaskRecord> queryTasks(Connection c, String where, Object... args) throws SQLException {
    List<TaskRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks " + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String errorKind = rs.getString(10);
          out.add(TaskRecord.builder().project(rs.getString(1)).runId(rs.getString(2)).taskId(rs.getString(3))
              .title(rs.getString(4)).state(TaskState.valueOf(rs.getString(5)))
              .lane(Priority.valueOf(rs.getString(6))).provider(rs.getString(7))
              .attempts(Json.readAttempts(rs.getString(8))).output(rs.getString(9))
              .errorKind(errorKind == null ? null : dev.orchestrator.ErrorKind.valueOf(errorKind))
              .error(rs.getString(11)).cancellation(Json.readNullable(rs.getString(12), Cancellation.class))
              .question(Json.readQuestion(rs.getString(13))).updatedAt(instant(rs, 14)).build());
        }
      }
    }
    return out;
  }

  private static List<Project> queryProjects(Connection c, String where, Object... args) throws SQLException {
    List<Project> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + PROJECT_COLUMNS + " FROM projects " + where)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Project.builder().name(rs.getString(1)).createdAt(instant(rs, 2)).archived(rs.getBoolean(3))
              .zone(ZoneId.of(rs.getString(4))).settings(Json.readStrings(rs.getString(5))).build());
        }
      }
    }
    return out;
  }

  private static void bindRun(PreparedStatement ps, RunRecord run) throws SQLException {
    ps.setString(1, run.project());
    ps.setString(2, run.id());
    ps.setString(3, run.workflow());
    ps.setString(4, run.status().name());
    ps.setString(5, Json.writeStrings(run.params()));
    setInstant(ps, 6, run.submittedAt());
    setInstant(ps, 7, run.finishedAt());
    ps.setString(8, Json.writeNullable(run.cancellation()));
  }

  private static void bindTask(PreparedStatement ps, TaskRecord t) throws SQLException {
    ps.setString(1, t.project());
    ps.setString(2, t.runId());
    ps.setString(3, t.taskId());
    ps.setString(4, t.title());
    ps.setString(5, t.state().name());
    ps.setString(6, t.lane().name());
    ps.setString(7, t.provider());
    ps.setString(8, Json.write(t.attempts()));
    ps.setString(9, t.output());
    ps.setString(10, t.errorKind() == null ? null : t.errorKind().name());
    ps.setString(11, t.error());
    ps.setString(12, Json.writeNullable(t.cancellation()));
    ps.setString(13, Json.writeNullable(t.question()));
    setInstant(ps, 14, t.updatedAt());
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant instant) {
        setInstant(ps, i + 1, instant);
      } else if (a instanceof Boolean b) {
        ps.setBoolean(i + 1, b);
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  /** Instants go in as UTC timestamps to the microsecond, the precision every supported database keeps. */
  private static void setInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }

  private static @Nullable Instant nullableInstant(ResultSet rs, int index) throws SQLException {
    OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  // ------------------------------------------------------------------ transactions

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: one database transaction, on one connection, which every read and write of this store on the calling
   * thread joins until the work returns; it is committed then, and rolled back if the work throws. It is not run
   * again when the database aborts it (the work may have changed things outside the store): the failure is thrown,
   * and nothing was kept.
   */
  @Override
  public <T> T atomically(java.util.function.Supplier<T> work) {
    return transactions.atomically(work);
  }

  /** Runs {@code work}, which only reads, on this store's transactions (see {@link Transactions}). */
  private <T> T read(String what, Work<T> work) {
    return transactions.read(what, work::apply);
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws, run again when
   * another process got in the way and never applied twice (see {@link Transactions}). When {@code retryOnDuplicate}
   * is set, one that met a row inserted meanwhile is run again from the start too.
   */
  private <T> T write(String what, boolean retryOnDuplicate, Work<T> work) {
    return transactions.write(what, retryOnDuplicate, work::apply);
  }
}
