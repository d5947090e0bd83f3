package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three engine JVMs on PostgreSQL share 2,000 tasks (20 runs queued for any engine, each of 60 independent tasks and
 * 10 chains of 4); one is killed with SIGKILL while its runs have calls in flight. Its runs are taken over once its
 * leases expire: every task ends SUCCEEDED exactly once, the tasks it had in flight show the interrupted attempt and
 * then a retry, the event log has each task's success once and each run's end, and the budget ledger equals the
 * successful calls' cost to the cent with nothing left reserved.
 * Waits are bounded: the store is polled on a timer with a deadline, and processes are awaited with timeouts.
 */
class ClusterKillIT {
  private static final int RUNS = 20;
  private static final int INDEPENDENT = 60;
  private static final int CHAINS = 10;
  private static final int CHAIN_LENGTH = 4;
  private static final int TASKS = RUNS * (INDEPENDENT + CHAINS * CHAIN_LENGTH);
  private static final String PROJECT = "cluster";

  @TempDir
  Path logs;

  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  private static Workflow workflow() {
    Workflow.Builder b = Workflow.builder("cluster-kill");
    for (int i = 0; i < INDEPENDENT; i++) {
      b.task("i" + i, t -> t.title("independent").instructions("say {{word}}"));
    }
    for (int c = 0; c < CHAINS; c++) {
      for (int s = 0; s < CHAIN_LENGTH; s++) {
        String id = "c" + c + "s" + s;
        String prev = "c" + c + "s" + (s - 1);
        if (s == 0) {
          b.task(id, t -> t.title("chain start").instructions("start {{word}}"));
        } else {
          b.task(id, t -> t.title("chain step").instructions("continue after {{tasks." + prev + "}}")
              .dependsOn(prev));
        }
      }
    }
    return b.build();
  }

  @Test
  void killingAWorkerLosesNoTaskAndSucceedsNoneTwice() throws Exception {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    String schema = PostgresTestServer.newSchema();
    String url = PostgresTestServer.urlFor(schema);
    List<Process> workers = new ArrayList<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try (JdbcStore store = JdbcStore.postgres(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD)) {
      Workflow wf = workflow();
      List<String> runIds = new ArrayList<>();
      try (ClusterWorkerMain.FixedCostProvider provider = new ClusterWorkerMain.FixedCostProvider();
          Orchestrator client = Orchestrator.builder().store(store).provider(provider).claimRuns(false).build()) {
        for (int r = 0; r < RUNS; r++) {
          runIds.add(client.enqueue(PROJECT, wf, Map.of("word", "w" + r)).id());
        }
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int w = 0; w < 3; w++) {
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            ClusterWorkerMain.class.getName(), schema, "w" + w);
        pb.redirectErrorStream(true).redirectOutput(logs.resolve("w" + w + ".log").toFile());
        workers.add(pb.start());
      }

      // Kill a worker while its runs have calls in flight, once the cluster is well under way. Runs are claimed
      // whole, so which worker holds some depends on which started first: the victim is one that does.
      Set<String> heldByVictim = new HashSet<>();
      int[] victimIndex = {-1};
      await(poller, Duration.ofSeconds(90), () -> {
        if (count(url, "SELECT COUNT(*) FROM tasks WHERE state = 'SUCCEEDED'") < TASKS / 4) {
          return false;
        }
        for (int w = 0; w < 3; w++) {
          heldByVictim.clear();
          heldByVictim.addAll(ids(url, heldBy("w" + w)));
          if (heldByVictim.size() >= 3) {
            victimIndex[0] = w;
            return true;
          }
        }
        return false;
      }, "a worker holding runs with calls in flight after a quarter of the tasks");
      Process victim = workers.get(victimIndex[0]);
      victim.destroyForcibly();
      assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(victim.exitValue()).isEqualTo(137); // 128 + SIGKILL
      // What the dead worker still holds now was cut off mid-call (its leases have not expired yet: 2 s).
      heldByVictim.clear();
      heldByVictim.addAll(ids(url, heldBy("w" + victimIndex[0])));

      await(poller, Duration.ofSeconds(50), () -> count(url, "SELECT COUNT(*) FROM runs WHERE status = 'RUNNING'") == 0,
          "every run finished");

      BigDecimal succeededCost = BigDecimal.ZERO;
      int succeeded = 0;
      int retried = 0;
      long interruptedAttempts = 0;
      for (String runId : runIds) {
        RunRecord run = store.run(PROJECT, runId).orElseThrow();
        assertThat(run.status()).as("run %s", runId).isEqualTo(RunStatus.SUCCEEDED);
        for (TaskRecord t : store.tasks(PROJECT, runId)) {
          assertThat(t.state()).as("task %s/%s", runId, t.taskId()).isEqualTo(TaskState.SUCCEEDED);
          List<Attempt> wins = t.attempts().stream().filter(a -> a.outcome() == Attempt.Outcome.SUCCEEDED).toList();
          assertThat(wins).as("successful attempts of %s/%s: %s", runId, t.taskId(), t.history()).hasSize(1);
          assertThat(t.attempts().get(t.attempts().size() - 1).outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
          succeededCost = succeededCost.add(wins.get(0).cost().amount());
          succeeded++;
          if (heldByVictim.contains(runId + "/" + t.taskId())) {
            retried++;
            assertThat(t.attempts()).as("attempts of %s/%s, held by the killed worker", runId, t.taskId())
                .hasSizeGreaterThanOrEqualTo(2);
            assertThat(t.attempts()).as("attempts of %s/%s", runId, t.taskId())
                .anyMatch(a -> a.message() != null && a.message().startsWith("interrupted"));
          }
        }
        // A call cut off mid-way is recorded at its reservation (the most it may have cost), marked estimated, once:
        // an engine that was still alive and ended the call as it lost the run keeps nothing of that end.
        long cut = store.tasks(PROJECT, runId).stream().flatMap(t -> t.attempts().stream())
            .filter(a -> a.message() != null && a.message().startsWith("interrupted")).count();
        interruptedAttempts += cut;
        BigDecimal attemptsCost = store.tasks(PROJECT, runId).stream().flatMap(t -> t.attempts().stream())
            .filter(a -> a.outcome() != null).map(a -> a.cost().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(spent(store, BudgetScope.run(runId))).as("spent by run %s (its ended attempts cost %s, %s cut)",
            runId, attemptsCost, cut).isBetween(
            new BigDecimal("1.00"), new BigDecimal("1.00").add(ClusterWorkerMain.FixedCostProvider.WORST.amount()
                .multiply(BigDecimal.valueOf(cut))));
      }
      assertThat(succeeded).isEqualTo(TASKS);
      // The snapshot of the victim's calls was taken after the kill: runs already taken over are not in it.
      assertThat(retried).isEqualTo(heldByVictim.size());
      assertThat(interruptedAttempts).isGreaterThanOrEqualTo(heldByVictim.size()).isPositive();
      BigDecimal expected = ClusterWorkerMain.FixedCostProvider.COST.amount().multiply(BigDecimal.valueOf(TASKS));
      assertThat(succeededCost).isEqualByComparingTo(expected);
      BigDecimal atMost = succeededCost.add(ClusterWorkerMain.FixedCostProvider.WORST.amount()
          .multiply(BigDecimal.valueOf(interruptedAttempts)));
      assertThat(spent(store, BudgetScope.global())).isBetween(succeededCost, atMost);
      assertThat(spent(store, BudgetScope.project(PROJECT))).isEqualByComparingTo(spent(store, BudgetScope.global()));
      assertThat(spent(store, BudgetScope.provider("fixed"))).isEqualByComparingTo(spent(store, BudgetScope.global()));
      assertThat(store.ledger().balances()).allSatisfy(b -> assertThat(b.reserved()).as("reserved on %s",
          b.account()).isEqualByComparingTo("0"));
      assertThat(count(url, "SELECT COUNT(*) FROM events WHERE type = 'TaskSucceededEvent'")).isEqualTo(TASKS);
      assertThat(count(url, "SELECT COUNT(*) FROM events WHERE type = 'RunFinishedEvent'")).isEqualTo(RUNS);
      assertThat(count(url, "SELECT COUNT(*) FROM events WHERE type = 'RunRecoveredEvent'")).isPositive();
    } finally {
      poller.shutdownNow();
      for (Process p : workers) {
        p.getOutputStream().close(); // ends the worker's loop
      }
      for (Process p : workers) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      for (int w = 0; w < workers.size(); w++) {
        Path log = logs.resolve("w" + w + ".log");
        if (Files.exists(log)) {
          List<String> lines = Files.readAllLines(log);
          lines.stream().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception"))
              .limit(20).forEach(l -> System.out.println("[w" + log.getFileName() + "] " + l));
        }
      }
    }
  }

  /**
   * $9.00 of work (12 runs of 75 calls at $0.01) under an $11.00 global limit, on three workers of four calls each,
   * one of which is killed (SIGKILL) 20 times and started again. Every call reserves its worst case ($0.02), so the
   * limit binds while work is in flight; a dead worker's reservations must come back when its runs are taken over,
   * or the cluster stalls short of the limit. Every run finishes, nothing stays reserved, and the limit holds.
   */
  @Test
  void aTightBudgetFinishesEveryRunThoughWorkersAreKilledTwentyTimes() throws Exception {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    int runs = 12;
    int calls = 75;
    String schema = PostgresTestServer.newSchema();
    String url = PostgresTestServer.urlFor(schema);
    Process[] workers = new Process[3];
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    try (JdbcStore store = JdbcStore.postgres(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD)) {
      store.saveBudget(dev.orchestrator.budget.Budget.of(BudgetScope.global(), dev.orchestrator.Money.usd("11.00")));
      Workflow.Builder b = Workflow.builder("tight");
      for (int i = 0; i < calls; i++) {
        b.task("t" + i, t -> t.title("call").instructions("say {{word}}"));
      }
      Workflow wf = b.build();
      List<String> runIds = new ArrayList<>();
      try (ClusterWorkerMain.FixedCostProvider provider = new ClusterWorkerMain.FixedCostProvider();
          Orchestrator client = Orchestrator.builder().store(store).provider(provider).claimRuns(false).build()) {
        for (int r = 0; r < runs; r++) {
          runIds.add(client.enqueue(PROJECT, wf, Map.of("word", "w" + r)).id());
        }
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      int[] starts = {0};
      java.util.function.IntFunction<Process> start = w -> {
        Path log = logs.resolve("tight-w" + w + "-" + (starts[0]++) + ".log");
        try {
          return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
              System.getProperty("java.class.path"), ClusterWorkerMain.class.getName(),
              schema, "w" + w, "400", "4").redirectErrorStream(true)
              .redirectOutput(log.toFile()).start();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      for (int w = 0; w < workers.length; w++) {
        workers[w] = start.apply(w);
      }
      java.util.Random random = new java.util.Random();
      long done = 0;
      for (int kill = 0; kill < 20; kill++) {
        long before = done;
        await(poller, Duration.ofSeconds(60), () -> count(url, "SELECT COUNT(*) FROM tasks WHERE state = 'SUCCEEDED'")
            > before, "progress since kill " + kill);
        done = count(url, "SELECT COUNT(*) FROM tasks WHERE state = 'SUCCEEDED'");
        assertThat(done).as("tasks done at kill " + kill).isLessThan((long) runs * calls);
        int victim = random.nextInt(workers.length);
        workers[victim].destroyForcibly();
        assertThat(workers[victim].waitFor(10, TimeUnit.SECONDS)).isTrue();
        workers[victim] = start.apply(victim);
      }
      await(poller, Duration.ofSeconds(120), () -> count(url, "SELECT COUNT(*) FROM runs WHERE status = 'RUNNING'")
          == 0, "every run finished");
      for (String runId : runIds) {
        assertThat(store.run(PROJECT, runId).orElseThrow().status()).as("run %s", runId)
            .isEqualTo(RunStatus.SUCCEEDED);
      }
      assertThat(count(url, "SELECT COUNT(*) FROM tasks WHERE state = 'SUCCEEDED'")).isEqualTo((long) runs * calls);
      assertThat(store.ledger().balances()).allSatisfy(bal -> assertThat(bal.reserved()).as("reserved on %s",
          bal.account()).isEqualByComparingTo("0"));
      assertThat(spent(store, BudgetScope.global())).isBetween(new BigDecimal("9.00"), new BigDecimal("11.00"));
    } finally {
      poller.shutdownNow();
      for (Process p : workers) {
        if (p != null) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** The tasks in flight in the runs that {@code worker} holds. */
  private static String heldBy(String worker) {
    return "SELECT t.run_id || '/' || t.task_id FROM tasks t JOIN runs r ON r.project = t.project "
        + "AND r.run_id = t.run_id WHERE t.state = 'RUNNING' AND r.lease_owner = '" + worker + "'";
  }

  private static BigDecimal spent(JdbcStore store, BudgetScope scope) {
    return store.ledger().balance(new Account(scope, null)).spent();
  }

  /** Polls {@code condition} every 100 ms on {@code poller} until it holds, or fails after {@code timeout}. */
  /** Polls {@code condition} every 100 ms until it holds, failing the test with {@code what} after {@code timeout}. */
  static void await(ScheduledExecutorService poller, Duration timeout, BooleanSupplier condition,
      String what) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    var task = poller.scheduleWithFixedDelay(() -> {
      try {
        if (condition.getAsBoolean()) {
          done.complete(null);
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail("not reached within " + timeout + ": " + what);
    } finally {
      task.cancel(false);
    }
  }

  private static long count(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD);
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD);
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
