package dev.orchestrator.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Cluster throughput in no-op tasks per second with 1, 4 and 8 workers on a shared database, beside db-scheduler
 * executing the same number of no-op one-time tasks with the same number of threads on the same PostgreSQL. A plain
 * {@code main}: JMH fits multi-process database throughput poorly. Each backend is warmed up once, then every
 * measurement is repeated and the median reported. Backends:
 *
 * <ul>
 *   <li>{@code engines} (PostgreSQL): {@code w} real engines, each an {@link Orchestrator} with its own engine name,
 *       its own {@code JdbcStore.postgres} (as separate worker processes have), {@code claimRuns(true)}, a 10 ms
 *       {@code syncInterval} ({@code --sync-ms}) and a no-op provider, on one schema. {@code N} tasks are first
 *       stored as {@code R} runs of {@code N / R} independent tasks with {@link Orchestrator#enqueue} by an engine
 *       that claims nothing (not timed); time runs from starting the engines (their first claim happens while they
 *       are built) until the store shows every run SUCCEEDED. Measured for each {@code --runs} value.
 *   <li>{@code h2}, {@code postgres}: the cluster protocol of {@link ClaimStore} alone, which the engine does not use:
 *       {@code w} threads, each with its own worker id, loop {@code claim(id, batch, 60 s, 24 h)} and, for each
 *       claim, {@code finish(claim, SUCCEEDED record, null, no accounts, 0, 0)}, until a claim comes back empty, on
 *       {@code N} tasks enqueued with {@link ClaimStore#enqueue} in {@code R} runs (not timed).
 *   <li>{@code db-scheduler}: a new schema with db-scheduler's PostgreSQL table {@code scheduled_tasks}; {@code N}
 *       instances of one no-op {@code OneTimeTask} are scheduled due now ({@code scheduleBatch}, not timed); then one
 *       {@code Scheduler} with {@code threads(w)}, lock-and-fetch polling ({@code SELECT ... FOR UPDATE SKIP
 *       LOCKED}), the given poll interval and immediate execution starts; a task counts when db-scheduler reports it
 *       complete (after its row is deleted). It has no runs, so it is measured once per worker count.
 * </ul>
 *
 * <p>H2 gets a new temporary data directory per measurement, PostgreSQL a new schema.
 *
 * <p>Arguments (all optional): {@code --tasks 5000 --runs 5000,50 --workers 1,4,8 --reps 3 --batch 10 --sync-ms 10
 * --poll-ms 10 --backends engines,db-scheduler --timeout-s 600} ({@code --runs} defaults to one-task runs and runs
 * of 100 tasks; {@code --backends h2,postgres} adds the claim-level modes). PostgreSQL comes from
 * {@code ORCHESTRATOR_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD}; without it only H2 runs.
 */
public final class ClusterThroughput {
  private static final String PROJECT = "bench";
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration BOOST = Duration.ofHours(24);

  private final int tasks;
  private final int batch;
  private final Duration sync;
  private final Duration poll;
  private final Duration timeout;
  private final BenchSupport.@Nullable Postgres pg;

  private ClusterThroughput(int tasks, int batch, Duration sync, Duration poll, Duration timeout,
      BenchSupport.@Nullable Postgres pg) {
    this.tasks = tasks;
    this.batch = batch;
    this.sync = sync;
    this.poll = poll;
    this.timeout = timeout;
    this.pg = pg;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    int tasks = Integer.parseInt(opts.getOrDefault("tasks", "5000"));
    int[] workers = BenchSupport.ints(opts.getOrDefault("workers", "1,4,8"));
    int[] runs = BenchSupport.ints(opts.getOrDefault("runs", tasks + "," + Math.max(1, tasks / 100)));
    int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
    int batch = Integer.parseInt(opts.getOrDefault("batch", "10"));
    Duration sync = Duration.ofMillis(Long.parseLong(opts.getOrDefault("sync-ms", "10")));
    Duration poll = Duration.ofMillis(Long.parseLong(opts.getOrDefault("poll-ms", "10")));
    Duration timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout-s", "600")));
    List<String> backends = List.of(opts.getOrDefault("backends", "engines,db-scheduler").split(","));
    for (int r : runs) {
      if (r < 1 || tasks % r != 0) {
        throw new IllegalArgumentException("--tasks must be a multiple of every --runs value (was " + tasks + " and "
            + r + ")");
      }
    }
    BenchSupport.Postgres pg = BenchSupport.Postgres.fromEnvironment();
    if (pg == null && !backends.stream().allMatch("h2"::equals)) {
      System.out.println("ORCHESTRATOR_TEST_POSTGRES_URL is not set: run eval \"$(bash .ci/postgres.sh start)\" "
          + "first; measuring H2 only");
      backends = backends.stream().filter("h2"::equals).toList();
    }
    ClusterThroughput bench = new ClusterThroughput(tasks, batch, sync, poll, timeout, pg);
    System.out.printf(Locale.ROOT, "tasks=%d runs=%s batch=%d sync=%dms poll=%dms reps=%d workers=%s backends=%s "
        + "java=%s cpus=%d%n", tasks, Arrays.toString(runs), batch, sync.toMillis(), poll.toMillis(), reps,
        Arrays.toString(workers), backends, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average at start: " + BenchSupport.loadAverage());

    // backend -> runs (0 for db-scheduler, which has none) -> workers -> median tasks per second
    Map<String, Map<Integer, Map<Integer, Double>>> medians = new LinkedHashMap<>();
    for (String backend : backends) {
      int[] shapes = backend.equals("db-scheduler") ? new int[] {0} : runs;
      for (int r : shapes) {
        String label = r == 0 ? backend : backend + " runs=" + r;
        // Warm-up: one discarded measurement with the largest number of workers.
        int most = workers[workers.length - 1];
        System.out.printf(Locale.ROOT, "%-26s warm-up (%d workers): %.0f tasks/s%n", label, most,
            bench.measure(backend, most, r));
        for (int w : workers) {
          double[] rates = new double[reps];
          for (int i = 0; i < reps; i++) {
            rates[i] = bench.measure(backend, w, r);
            System.out.printf(Locale.ROOT, "%-26s workers=%d rep=%d: %.0f tasks/s (load %s)%n", label, w, i + 1,
                rates[i], BenchSupport.loadAverage());
          }
          double median = BenchSupport.median(rates);
          medians.computeIfAbsent(backend, k -> new LinkedHashMap<>()).computeIfAbsent(r, k -> new LinkedHashMap<>())
              .put(w, median);
          System.out.printf(Locale.ROOT, "%-26s workers=%d median %.0f tasks/s (min %.0f, max %.0f)%n", label, w,
              median, Arrays.stream(rates).min().orElseThrow(), Arrays.stream(rates).max().orElseThrow());
        }
      }
    }
    System.out.println("load average at end: " + BenchSupport.loadAverage());
    for (int r : runs) {
      System.out.println();
      System.out.printf(Locale.ROOT, "%d runs of %d tasks (medians, tasks per second)%n", r, tasks / r);
      System.out.println("| workers | engines, PostgreSQL | db-scheduler, PostgreSQL | engines / db-scheduler "
          + "| claim+finish, H2 | claim+finish, PostgreSQL |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      for (int w : workers) {
        Double engines = find(medians, "engines", r, w);
        Double ds = find(medians, "db-scheduler", 0, w);
        System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", w, BenchSupport.fmt(engines),
            BenchSupport.fmt(ds), BenchSupport.ratio(engines, ds), BenchSupport.fmt(find(medians, "h2", r, w)),
            BenchSupport.fmt(find(medians, "postgres", r, w)));
      }
    }
  }

  private static @Nullable Double find(Map<String, Map<Integer, Map<Integer, Double>>> medians, String backend,
      int runs, int workers) {
    return medians.getOrDefault(backend, Map.of()).getOrDefault(runs, Map.of()).get(workers);
  }

  private BenchSupport.Postgres pg() {
    return Objects.requireNonNull(pg, "ORCHESTRATOR_TEST_POSTGRES_URL");
  }

  /** One measurement: tasks per second. */
  private double measure(String backend, int workers, int runs) throws Exception {
    switch (backend) {
      case "engines" -> {
        String schema = pg().newSchema();
        try {
          return engines(schema, workers, runs);
        } finally {
          pg().dropSchema(schema);
        }
      }
      case "h2" -> {
        Path dir = Files.createTempDirectory("cluster-throughput-h2");
        try (JdbcStore store = JdbcStore.embedded(dir)) {
          return claimAndFinish(store, workers, runs);
        } finally {
          BenchSupport.deleteTree(dir);
        }
      }
      case "postgres" -> {
        String schema = pg().newSchema();
        try (JdbcStore store = JdbcStore.postgres(pg().urlFor(schema), pg().user(), pg().password())) {
          return claimAndFinish(store, workers, runs);
        } finally {
          pg().dropSchema(schema);
        }
      }
      case "db-scheduler" -> {
        String schema = pg().newSchema();
        try {
          return dbScheduler(schema, workers);
        } finally {
          pg().dropSchema(schema);
        }
      }
      default -> throw new IllegalArgumentException("unknown backend '" + backend
          + "': use engines, h2, postgres or db-scheduler");
    }
  }

  // ---------------------------------------------------------------- real engines

  private JdbcStore postgresStore(String schema) {
    return JdbcStore.postgres(pg().urlFor(schema), pg().user(), pg().password());
  }

  private double engines(String schema, int workers, int runs) throws Exception {
    Workflow workflow = Dag.independent(tasks / runs).toWorkflow();
    Set<String> enqueued = new HashSet<>();
    try (JdbcStore store = postgresStore(schema);
        Orchestrator submitter = Orchestrator.builder()
            .store(store)
            .engineName("bench-submitter")
            .claimRuns(false)
            .provider(new NoopProvider(), Runners.MAX_CONCURRENT_CALLS)
            .build()) {
      for (int r = 0; r < runs; r++) {
        enqueued.add(submitter.enqueue(PROJECT, workflow, Map.of()).id());
      }
    }
    // Every engine's store is open (pool started, schema checked) before the clock starts, as a worker process's is
    // before it takes work; a separate one watches the runs.
    List<JdbcStore> stores = new ArrayList<>();
    List<Orchestrator> engines = new ArrayList<>();
    Set<String> succeeded = ConcurrentHashMap.newKeySet();
    CountDownLatch allSucceeded = new CountDownLatch(1);
    EventSubscriber listener = e -> {
      if (e instanceof RunFinishedEvent f && f.status() == RunStatus.SUCCEEDED && succeeded.add(f.runId())
          && succeeded.size() == runs) {
        allSucceeded.countDown();
      }
    };
    try (JdbcStore watcher = postgresStore(schema)) {
      for (int w = 0; w < workers; w++) {
        stores.add(postgresStore(schema));
      }
      long start = System.nanoTime();
      for (int w = 0; w < workers; w++) {
        engines.add(Orchestrator.builder()
            .store(stores.get(w))
            .engineName("bench-e" + w)
            .claimRuns(true)
            .syncInterval(sync)
            .provider(new NoopProvider(), Runners.MAX_CONCURRENT_CALLS)
            .listener(listener)
            .build());
      }
      long end = awaitSucceeded(watcher, enqueued, allSucceeded, start);
      return tasks / ((end - start) / 1e9);
    } finally {
      for (Orchestrator o : engines) {
        o.close();
      }
      for (JdbcStore s : stores) {
        s.close();
      }
    }
  }

  /**
   * Waits until the store shows every enqueued run SUCCEEDED, or fails at the deadline; returns when it did. The
   * engines' finish events say when to look; the store is also read every 200 ms in case an event is missed.
   */
  private long awaitSucceeded(JdbcStore watcher, Set<String> enqueued, CountDownLatch events, long start)
      throws InterruptedException {
    long deadline = start + timeout.toNanos();
    while (true) {
      boolean signalled = events.await(200, TimeUnit.MILLISECONDS);
      long now = System.nanoTime();
      Map<RunStatus, Long> byStatus = new EnumMap<>(RunStatus.class);
      int ours = 0;
      for (RunRecord r : watcher.runs(PROJECT)) {
        if (enqueued.contains(r.id())) {
          ours++;
          byStatus.merge(r.status(), 1L, Long::sum);
        }
      }
      long ok = byStatus.getOrDefault(RunStatus.SUCCEEDED, 0L);
      if (ok == enqueued.size()) {
        return signalled ? now : System.nanoTime();
      }
      if (byStatus.keySet().stream().anyMatch(s -> s.isFinished() && s != RunStatus.SUCCEEDED)) {
        throw new IllegalStateException("a run ended otherwise than SUCCEEDED: " + byStatus);
      }
      if (now > deadline) {
        throw new IllegalStateException("only " + ok + " of " + enqueued.size() + " runs SUCCEEDED within "
            + timeout + " (" + ours + " found: " + byStatus + ")");
      }
    }
  }

  // ---------------------------------------------------------------- claim and finish alone
  private double claimAndFinish(JdbcStore store, int workers, int runs) throws Exception {
    int perRun = tasks / runs;
    Workflow.Builder b = Workflow.builder("cluster-throughput");
    for (int i = 0; i < perRun; i++) {
      b.task("t" + i, t -> t.title("noop").instructions("noop"));
    }
    Workflow workflow = b.build();
    // The stored records (READY after enqueue), to build each finish's record without reading the task again.
    Map<String, TaskRecord> ready = new HashMap<>(tasks * 2);
    for (int r = 0; r < runs; r++) {
      String runId = enqueue(store, workflow);
      for (TaskRecord t : store.tasks(PROJECT, runId)) {
        ready.put(runId + '\u0000' + t.taskId(), t);
      }
    }
    if (ready.size() != tasks) {
      throw new IllegalStateException("submitted " + ready.size() + " tasks, expected " + tasks);
    }
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch allFinished = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicLong end = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<?>> loops = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        String id = "bench-w" + w;
        loops.add(pool.submit(() -> {
          go.await();
          while (true) {
            List<Claim> claims = store.claim(id, batch, LEASE, BOOST);
            if (claims.isEmpty()) {
              return null; // independent tasks, no failures: an empty claim means the queue is drained
            }
            for (Claim c : claims) {
              TaskRecord t = ready.get(c.runId() + '\u0000' + c.taskId());
              Instant now = Instant.now();
              TaskRecord started = t.moveTo(TaskState.RUNNING, now).withAttemptStarted("noop", now);
              TaskRecord done = started.withLastAttempt(started.lastAttempt().ended(now, Attempt.Outcome.SUCCEEDED,
                  null, null, TokenUsage.NONE, Money.ZERO)).moveTo(TaskState.SUCCEEDED, now);
              if (store.finish(c, done, null, List.of(), BigDecimal.ZERO, BigDecimal.ZERO)) {
                if (finished.incrementAndGet() == tasks) {
                  end.set(System.nanoTime());
                  allFinished.countDown();
                }
              } else {
                rejected.incrementAndGet();
              }
            }
          }
        }));
      }
      long start = System.nanoTime();
      go.countDown();
      if (!allFinished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("only " + finished.get() + " of " + tasks + " tasks finished within "
            + timeout + " (" + rejected.get() + " finishes rejected)");
      }
      for (Future<?> f : loops) {
        f.get(timeout.toMillis(), TimeUnit.MILLISECONDS); // surfaces a worker's exception
      }
      if (rejected.get() != 0) {
        throw new IllegalStateException(rejected.get() + " finishes rejected: leases lost during the benchmark");
      }
      return tasks / ((end.get() - start) / 1e9);
    } finally {
      pool.shutdownNow();
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        System.out.println("worker threads still running after 30 s");
      }
    }
  }

  /** Stores a run of {@code workflow} and queues its tasks for claims; returns the run's id. */
  private static String enqueue(JdbcStore store, Workflow workflow) {
    String runId = java.util.UUID.randomUUID().toString();
    Instant now = Instant.now();
    List<TaskRecord> records = new ArrayList<>();
    Map<String, List<String>> dependsOn = new LinkedHashMap<>();
    for (var spec : workflow.tasks()) {
      records.add(TaskRecord.created(PROJECT, runId, spec.id(), spec.title(), spec.priority(), now));
      dependsOn.put(spec.id(), spec.dependsOn());
    }
    store.createRun(dev.orchestrator.run.RunRecord.submitted(PROJECT, runId, workflow.name(),
        Map.of(), now), "", records);
    store.enqueue(PROJECT, runId, dependsOn);
    return runId;
  }

  // ---------------------------------------------------------------- db-scheduler

  /** db-scheduler's documented PostgreSQL table (postgresql_tables.sql of the 16.x line). */
  private static final String[] DB_SCHEDULER_DDL = {
    "create table scheduled_tasks (task_name text not null, task_instance text not null, task_data bytea, "
        + "execution_time timestamp with time zone not null, picked BOOLEAN not null, picked_by text, "
        + "last_success timestamp with time zone, last_failure timestamp with time zone, consecutive_failures INT, "
        + "last_heartbeat timestamp with time zone, version BIGINT not null, priority SMALLINT, "
        + "PRIMARY KEY (task_name, task_instance))",
    "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
    "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
    "CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)",
  };

  private double dbScheduler(String schema, int workers) throws Exception {
    try (Connection c = DriverManager.getConnection(pg().urlFor(schema), pg().user(), pg().password());
        Statement s = c.createStatement()) {
      for (String ddl : DB_SCHEDULER_DDL) {
        s.execute(ddl);
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg().urlFor(schema));
    config.setUsername(pg().user());
    config.setPassword(pg().password());
    // As JdbcStore.postgres: a fixed pool of 10, enough for the executor threads plus the poller at 8 workers.
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(2);
    config.setPoolName("db-scheduler-bench");
    try (HikariDataSource ds = new HikariDataSource(config)) {
      OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, ctx) -> { });
      SchedulerClient client = SchedulerClient.Builder.create(ds, noop).build();
      List<TaskInstance<?>> instances = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        instances.add(noop.instance("t" + i));
      }
      client.scheduleBatch(instances, Instant.now().minusSeconds(1));

      CountDownLatch allFinished = new CountDownLatch(1);
      AtomicInteger finished = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicLong end = new AtomicLong();
      Scheduler scheduler = Scheduler.create(ds, noop)
          .schedulerName(new SchedulerName.Fixed("bench"))
          .threads(workers)
          .pollingInterval(poll)
          .pollUsingLockAndFetch(0.5, 1.0)
          .enableImmediateExecution()
          .shutdownMaxWait(Duration.ofSeconds(10))
          .addSchedulerListener(new AbstractSchedulerListener() {
            @Override
            public void onExecutionComplete(ExecutionComplete complete) {
              if (complete.getResult() != ExecutionComplete.Result.OK) {
                failed.incrementAndGet();
              } else if (finished.incrementAndGet() == tasks) {
                end.set(System.nanoTime());
                allFinished.countDown();
              }
            }
          })
          .build();
      long start = System.nanoTime();
      scheduler.start();
      try {
        if (!allFinished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("db-scheduler finished only " + finished.get() + " of " + tasks
              + " tasks within " + timeout + " (" + failed.get() + " failed)");
        }
      } finally {
        scheduler.stop();
      }
      if (failed.get() != 0) {
        throw new IllegalStateException(failed.get() + " db-scheduler executions failed");
      }
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          var rs = s.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
        rs.next();
        if (rs.getLong(1) != 0) {
          throw new IllegalStateException(rs.getLong(1) + " db-scheduler rows left after every task completed");
        }
      }
      return tasks / ((end.get() - start) / 1e9);
    }
  }

}
