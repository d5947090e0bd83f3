package dev.orchestrator.bench;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * No-op tasks per second through one real engine ({@link Orchestrator} with a no-op provider) on each store: the
 * in-memory store, the embedded H2 store ({@code JdbcStore.embedded}, a new temporary directory per measurement) and
 * PostgreSQL ({@code JdbcStore.postgres}, a new schema per measurement). A plain {@code main}: a measurement opens a
 * database, which JMH fits poorly.
 *
 * <p>Two workflows: {@code independent}, {@code N} tasks without dependencies, and {@code layered}, {@code N / width}
 * layers of {@code width} tasks with 3 random parents each in the layer before (seed 42). One measurement builds an
 * engine on a fresh store (not timed), then times {@code submit(...).completion().join()} of one run and checks that
 * every task succeeded. Each store and workflow is warmed up once (discarded), then measured {@code reps} times; the
 * median is reported, with the ratios H2 / in-memory and PostgreSQL / in-memory.
 *
 * <p>Arguments (all optional): {@code --tasks 2000 --width 100 --reps 3 --provider inline|async
 * --stores memory,h2,postgres --timeout-s 600}. PostgreSQL comes from {@code ORCHESTRATOR_TEST_POSTGRES_URL},
 * {@code _USER} and {@code _PASSWORD}; without it PostgreSQL is skipped.
 */
public final class EngineThroughput {
  private static final String PROJECT = "bench";

  private final BenchSupport.Postgres postgres;
  private final NoopWork work;
  private final long timeoutMillis;

  private EngineThroughput(BenchSupport.Postgres postgres, NoopWork work, long timeoutMillis) {
    this.postgres = postgres;
    this.work = work;
    this.timeoutMillis = timeoutMillis;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    int tasks = Integer.parseInt(opts.getOrDefault("tasks", "2000"));
    int width = Integer.parseInt(opts.getOrDefault("width", "100"));
    int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
    long timeoutMillis = TimeUnit.SECONDS.toMillis(Long.parseLong(opts.getOrDefault("timeout-s", "600")));
    List<String> stores = List.of(opts.getOrDefault("stores", "memory,h2,postgres").split(","));
    NoopWork.Mode mode = NoopWork.Mode.of(opts.getOrDefault("provider", "inline"));
    if (tasks % width != 0 || tasks / width < 2) {
      throw new IllegalArgumentException("--tasks must be a multiple of --width, at least two layers (was " + tasks
          + " and " + width + ")");
    }
    BenchSupport.Postgres pg = BenchSupport.Postgres.fromEnvironment();
    if (pg == null && stores.contains("postgres")) {
      System.out.println("ORCHESTRATOR_TEST_POSTGRES_URL is not set: run eval \"$(bash .ci/postgres.sh start)\" "
          + "first; skipping PostgreSQL");
      stores = stores.stream().filter(s -> !s.equals("postgres")).toList();
    }
    Map<String, Workflow> workflows = new LinkedHashMap<>();
    workflows.put("independent", Dag.independent(tasks).toWorkflow());
    workflows.put("layered", Dag.layered(tasks / width, width, 3, 42).toWorkflow());
    System.out.printf(Locale.ROOT, "tasks=%d width=%d reps=%d provider=%s stores=%s java=%s cpus=%d%n", tasks, width,
        reps, mode.name().toLowerCase(Locale.ROOT), stores, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average at start: " + BenchSupport.loadAverage());

    Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
    try (NoopWork work = new NoopWork(mode)) {
      EngineThroughput bench = new EngineThroughput(pg, work, timeoutMillis);
      for (String store : stores) {
        for (Map.Entry<String, Workflow> w : workflows.entrySet()) {
          double warm = bench.measure(store, w.getValue());
          System.out.printf(Locale.ROOT, "%-8s %-11s warm-up: %.0f tasks/s%n", store, w.getKey(), warm);
          double[] rates = new double[reps];
          for (int r = 0; r < reps; r++) {
            rates[r] = bench.measure(store, w.getValue());
            System.out.printf(Locale.ROOT, "%-8s %-11s rep=%d: %.0f tasks/s (load %s)%n", store, w.getKey(), r + 1,
                rates[r], BenchSupport.loadAverage());
          }
          double median = BenchSupport.median(rates);
          medians.computeIfAbsent(w.getKey(), k -> new LinkedHashMap<>()).put(store, median);
          System.out.printf(Locale.ROOT, "%-8s %-11s median %.0f tasks/s%n", store, w.getKey(), median);
        }
      }
    }
    System.out.println("load average at end: " + BenchSupport.loadAverage());
    System.out.println();
    System.out.println("| workflow | in-memory | H2 | PostgreSQL | H2 / in-memory | PostgreSQL / in-memory |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String w : workflows.keySet()) {
      Map<String, Double> m = medians.getOrDefault(w, Map.of());
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", w, BenchSupport.fmt(m.get("memory")),
          BenchSupport.fmt(m.get("h2")), BenchSupport.fmt(m.get("postgres")),
          BenchSupport.ratio(m.get("h2"), m.get("memory")), BenchSupport.ratio(m.get("postgres"), m.get("memory")));
    }
  }

  /** One measurement on a fresh store: tasks per second from submit to the run's end. */
  private double measure(String store, Workflow workflow) throws Exception {
    switch (store) {
      case "memory" -> {
        return run(InMemoryStore.create(), workflow);
      }
      case "h2" -> {
        Path dir = Files.createTempDirectory("engine-throughput-h2");
        try (JdbcStore s = JdbcStore.embedded(dir)) {
          return run(s, workflow);
        } finally {
          BenchSupport.deleteTree(dir);
        }
      }
      case "postgres" -> {
        String schema = postgres.newSchema();
        try (JdbcStore s = JdbcStore.postgres(postgres.urlFor(schema), postgres.user(), postgres.password())) {
          return run(s, workflow);
        } finally {
          postgres.dropSchema(schema);
        }
      }
      default -> throw new IllegalArgumentException("unknown store '" + store + "': use memory, h2 or postgres");
    }
  }

  private double run(Store store, Workflow workflow) throws Exception {
    try (Orchestrator engine = Orchestrator.builder()
        .provider(new NoopProvider(work), Runners.MAX_CONCURRENT_CALLS)
        .store(store)
        .build()) {
      long start = System.nanoTime();
      RunSnapshot done = engine.submit(PROJECT, workflow).completion().get(timeoutMillis, TimeUnit.MILLISECONDS);
      long elapsed = System.nanoTime() - start;
      long ok = done.tasks().stream().map(TaskRecord::state).filter(TaskState.SUCCEEDED::equals).count();
      if (done.status() != RunStatus.SUCCEEDED || ok != workflow.tasks().size()) {
        throw new IllegalStateException("run ended " + done.status() + " with " + ok + " of "
            + workflow.tasks().size() + " tasks succeeded");
      }
      return workflow.tasks().size() / (elapsed / 1e9);
    }
  }
}
