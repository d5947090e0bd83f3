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
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Claim plus finish throughput of the cluster protocol ({@link ClaimStore}), in tasks per second, with 1, 4 and 8
 * concurrent workers on H2 and on PostgreSQL, and db-scheduler executing the same number of no-op one-time tasks with
 * the same number of threads on the same PostgreSQL. A plain {@code main}: JMH fits multi-threaded database
 * throughput poorly. Each backend is warmed up once, then every measurement is repeated and the median reported.
 *
 * <p>Orchestrator: {@code N} independent tasks are stored and enqueued ({@link ClaimStore#enqueue}, not timed) in
 * {@code runs} runs;
 * then {@code w} threads, each with its own worker id, loop {@code claim(id, batch, 60 s, 24 h)} and, for each claim,
 * {@code finish(claim, SUCCEEDED record, null, no accounts, 0, 0)}, until a claim comes back empty. No provider is
 * called and no budget account is touched. H2 gets a new temporary data directory per measurement, PostgreSQL a new
 * schema.
 *
 * <p>db-scheduler: a new schema with db-scheduler's PostgreSQL table {@code scheduled_tasks}; {@code N} instances of
 * one no-op {@code OneTimeTask} are scheduled due now ({@code scheduleBatch}, not timed); then one {@code Scheduler}
 * with {@code threads(w)}, lock-and-fetch polling ({@code SELECT ... FOR UPDATE SKIP LOCKED}), the given poll interval
 * and immediate execution starts; a task counts when db-scheduler reports it complete (after its row is deleted).
 *
 * <p>Time runs from the moment the workers are released (the scheduler is started) until the last task is finished.
 *
 * <p>Arguments (all optional): {@code --tasks 5000 --workers 1,4,8 --reps 3 --batch 10 --runs 1 --poll-ms 10
 * --backends h2,postgres,db-scheduler --timeout-s 600}. PostgreSQL comes from {@code ORCHESTRATOR_TEST_POSTGRES_URL},
 * {@code _USER} and {@code _PASSWORD}; without it only H2 runs.
 */
public final class ClusterThroughput {
  private static final String PROJECT = "bench";
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration BOOST = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int tasks;
  private final int batch;
  private final int runs;
  private final Duration poll;
  private final Duration timeout;
  private final String pgUrl = env("ORCHESTRATOR_TEST_POSTGRES_URL");
  private final String pgUser = env("ORCHESTRATOR_TEST_POSTGRES_USER");
  private final String pgPassword = env("ORCHESTRATOR_TEST_POSTGRES_PASSWORD");

  private ClusterThroughput(int tasks, int batch, int runs, Duration poll, Duration timeout) {
    this.tasks = tasks;
    this.batch = batch;
    this.runs = runs;
    this.poll = poll;
    this.timeout = timeout;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs; '" + args[args.length - 1] + "' has no value");
    }
    int tasks = Integer.parseInt(opts.getOrDefault("tasks", "5000"));
    int[] workers = Arrays.stream(opts.getOrDefault("workers", "1,4,8").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
    int batch = Integer.parseInt(opts.getOrDefault("batch", "10"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "1"));
    Duration poll = Duration.ofMillis(Long.parseLong(opts.getOrDefault("poll-ms", "10")));
    Duration timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout-s", "600")));
    List<String> backends = List.of(opts.getOrDefault("backends", "h2,postgres,db-scheduler").split(","));
    if (tasks % runs != 0) {
      throw new IllegalArgumentException("--tasks must be a multiple of --runs");
    }
    ClusterThroughput bench = new ClusterThroughput(tasks, batch, runs, poll, timeout);
    if (bench.pgUrl.isBlank() && (backends.contains("postgres") || backends.contains("db-scheduler"))) {
      System.out.println("ORCHESTRATOR_TEST_POSTGRES_URL is not set: run eval \"$(bash .ci/postgres.sh start)\" "
          + "first; measuring H2 only");
      backends = backends.stream().filter("h2"::equals).toList();
    }
    System.out.printf(Locale.ROOT, "tasks=%d runs=%d batch=%d poll=%dms reps=%d workers=%s java=%s cpus=%d%n", tasks,
        runs, batch, poll.toMillis(), reps, Arrays.toString(workers), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average at start: " + loadAverage());

    Map<String, Map<Integer, Double>> medians = new LinkedHashMap<>();
    for (String backend : backends) {
      // Warm-up: one discarded measurement with the largest number of workers.
      double warm = bench.measure(backend, workers[workers.length - 1]);
      System.out.printf(Locale.ROOT, "%-13s warm-up (%d workers): %.0f tasks/s%n", backend,
          workers[workers.length - 1], warm);
      for (int w : workers) {
        double[] rates = new double[reps];
        for (int r = 0; r < reps; r++) {
          rates[r] = bench.measure(backend, w);
          System.out.printf(Locale.ROOT, "%-13s workers=%d rep=%d: %.0f tasks/s (load %s)%n", backend, w, r + 1,
              rates[r], loadAverage());
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        medians.computeIfAbsent(backend, k -> new LinkedHashMap<>()).put(w, median);
        System.out.printf(Locale.ROOT, "%-13s workers=%d median %.0f tasks/s (min %.0f, max %.0f)%n", backend, w,
            median, sorted[0], sorted[sorted.length - 1]);
      }
    }
    System.out.println("load average at end: " + loadAverage());
    System.out.println();
    System.out.println("| workers | Orchestrator H2 | Orchestrator PostgreSQL | db-scheduler PostgreSQL "
        + "| PostgreSQL / db-scheduler | H2 / db-scheduler |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int w : workers) {
      Double h2 = medians.getOrDefault("h2", Map.of()).get(w);
      Double pg = medians.getOrDefault("postgres", Map.of()).get(w);
      Double ds = medians.getOrDefault("db-scheduler", Map.of()).get(w);
      System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", w, fmt(h2), fmt(pg), fmt(ds), ratio(pg, ds),
          ratio(h2, ds));
    }
  }

  private static String fmt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** One measurement: tasks per second. */
  private double measure(String backend, int workers) throws Exception {
    return switch (backend) {
      case "h2" -> {
        Path dir = Files.createTempDirectory("cluster-throughput-h2");
        try (JdbcStore store = JdbcStore.embedded(dir)) {
          yield orchestrator(store, workers);
        } finally {
          deleteTree(dir);
        }
      }
      case "postgres" -> {
        String schema = newSchema();
        try (JdbcStore store = JdbcStore.postgres(urlFor(schema), pgUser, pgPassword)) {
          yield orchestrator(store, workers);
        } finally {
          dropSchema(schema);
        }
      }
      case "db-scheduler" -> {
        String schema = newSchema();
        try {
          yield dbScheduler(schema, workers);
        } finally {
          dropSchema(schema);
        }
      }
      default -> throw new IllegalArgumentException("unknown backend '" + backend
          + "': use h2, postgres or db-scheduler");
    };
  }

  // ---------------------------------------------------------------- Orchestrator

  private double orchestrator(JdbcStore store, int workers) throws Exception {
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
    store.createRun(new dev.orchestrator.run.RunRecord(PROJECT, runId, workflow.name(),
        dev.orchestrator.run.RunStatus.RUNNING, Map.of(), now, null, null), "", records);
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
    try (Connection c = DriverManager.getConnection(urlFor(schema), pgUser, pgPassword);
        Statement s = c.createStatement()) {
      for (String ddl : DB_SCHEDULER_DDL) {
        s.execute(ddl);
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(urlFor(schema));
    config.setUsername(pgUser);
    config.setPassword(pgPassword);
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

  // ---------------------------------------------------------------- PostgreSQL schemas and temp dirs

  private String newSchema() throws SQLException {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    String name = "bench_" + HexFormat.of().formatHex(bytes);
    try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return name;
  }

  private void dropSchema(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  private String urlFor(String schema) {
    return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
