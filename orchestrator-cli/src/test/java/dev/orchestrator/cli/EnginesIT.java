package dev.orchestrator.cli;

import static dev.orchestrator.cli.StatusJson.openQuestion;
import static dev.orchestrator.cli.StatusJson.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.store.jdbc.JdbcStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several orchestrator processes over one store, started through the real launcher ({@code bin/orchestrator}) as a
 * person or an operator would: a background run steered from other processes, a run whose process is killed taken
 * over by a worker once its lease expires, and a PostgreSQL cluster of workers killed again and again. The tasks run
 * on a {@code cli} provider whose command appends the task's id to a file, so every execution is counted. Runs after
 * {@code package} (it needs the runnable jar); no API key reaches the children. Waits poll with deadlines.
 */
class EnginesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LAUNCHER = Path.of("..", "bin", "orchestrator").toAbsolutePath().normalize();
  /** Short leases, so a dead process's runs are taken over within seconds. */
  private static final String LEASE = "3s";

  @TempDir
  Path temp;

  private Path data;
  private Path config;
  private Path executions;
  /** Extra environment of every child. */
  private final Map<String, String> env = new HashMap<>();
  private final List<Process> started = new ArrayList<>();
  private int outputs;
  /** The PostgreSQL schema of this test, if it made one. */
  private String schema;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    assertThat(LAUNCHER).exists().isExecutable();
    data = temp.resolve("data");
    config = temp.resolve("config.json");
    executions = temp.resolve("executions.txt");
    Files.createFile(executions);
    // The test configuration, plus `agent`: a command that notes each call's prompt's first line (the task id;
    // the outputs of the tasks it depends on follow) and takes a second. Its model prices its calls, so they
    // reserve budget.
    ObjectNode c = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    ObjectNode agent = ((ObjectNode) c.get("providers")).putObject("agent");
    agent.put("type", "cli");
    agent.put("command", "sh -c 'echo \"$0\" | head -n 1 >> " + executions + "; sleep 1; echo \"done $0\"' {prompt}");
    agent.put("model", "claude-sonnet-4-5");
    Files.writeString(config, c.toPrettyString());
    env.put("ORCHESTRATOR_LEASE", LEASE);
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    // Calls of killed engines (their command-line agents) are not left behind.
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (Process p : started) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(System.getenv("ORCHESTRATOR_TEST_POSTGRES_URL"),
          System.getenv("ORCHESTRATOR_TEST_POSTGRES_USER"), System.getenv("ORCHESTRATOR_TEST_POSTGRES_PASSWORD"));
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("schema " + schema + " not dropped: " + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- (1) steering a background run

  @Test
  void aDetachedRunIsAnsweredAndCancelledFromOtherProcesses() throws Exception {
    Path workflow = temp.resolve("ask.json");
    Files.writeString(workflow, """
        { "name": "Ask and wait", "tasks": [
          {"id": "ask", "title": "Ask", "assigned_to": "claude", "question": "Which tone?",
           "instructions": "Write in this tone: {{input}}"},
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "wait"},
          {"id": "after", "title": "After", "assigned_to": "claude", "depends_on": ["ask", "wait"],
           "instructions": "x"} ] }
        """);
    Result detached = orchestrator("run", workflow.toString(), "--detach");
    assertThat(detached.code()).as(detached.err()).isZero();
    Matcher m = Pattern.compile("Run ([0-9a-f-]{36}) started in the background").matcher(detached.out());
    assertThat(m.find()).as(detached.out()).isTrue();
    String runId = m.group(1);

    // Each status is a process of its own: poll (bounded) until the question is asked and the slow task runs.
    JsonNode status = null;
    for (int i = 0; i < 30 && !(status != null && openQuestion(status) != null && state(status, "wait").equals(
        "RUNNING")); i++) {
      status = status(runId);
    }
    assertThat(status).isNotNull();
    assertThat(state(status, "wait")).isEqualTo("RUNNING");
    String engine = status.get("engine").asText();
    assertThat(engine).startsWith("run@");
    assertThat(status.get("executing").asBoolean()).isTrue();
    String questionId = openQuestion(status);
    assertThat(questionId).isNotNull();
    assertThat(orchestrator("status", runId).out()).contains("Executed by engine " + engine + ".");

    Result answer = orchestrator("answer", questionId, "playful");
    assertThat(answer.code()).as(answer.err()).isZero();
    assertThat(answer.out()).contains("Answered " + questionId + "; task ask of run " + runId
        + " goes on in engine " + engine + ".");
    for (int i = 0; i < 30 && !state(status, "ask").equals("SUCCEEDED"); i++) {
      status = status(runId);
    }
    assertThat(state(status, "ask")).isEqualTo("SUCCEEDED");

    Result cancel = orchestrator("cancel", runId);
    assertThat(cancel.code()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("Cancelled run " + runId + ": engine " + engine + ", which executes the run, "
        + "did it.");
    JsonNode after = status(runId);
    assertThat(after.at("/run/status").asText()).isEqualTo("CANCELLED");
    assertThat(state(after, "wait")).isEqualTo("CANCELLED");
    assertThat(after.get("executing").asBoolean()).isFalse();
    assertThat(Files.readString(data.resolve("runs").resolve(runId + ".log")))
        .contains("ask: succeeded on claude", "wait: cancelled by", "Run " + runId + " CANCELLED");
  }

  /**
   * On PostgreSQL: a process frozen with SIGSTOP keeps the embedded store's connections of every other process
   * waiting when it serves that store (H2's automatic mixed mode), so the embedded store cannot show this.
   */
  @Test
  void aCancelForAnEngineThatDiedWaitsInTheStoreForTheWorkerThatTakesTheRunOver() throws Exception {
    String store = postgres();
    Path workflow = temp.resolve("slow.json");
    Files.writeString(workflow, """
        { "name": "Slow", "tasks": [ {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "w"} ] }
        """);
    // The run's process holds its lease for 20 s, so it still looks alive when the cancel is sent.
    env.put("ORCHESTRATOR_LEASE", "20s");
    Result detached = orchestrator("--store", store, "run", workflow.toString(), "--detach");
    assertThat(detached.code()).as(detached.err()).isZero();
    Matcher m = Pattern.compile("Run ([0-9a-f-]{36}) started in the background").matcher(detached.out());
    assertThat(m.find()).as(detached.out()).isTrue();
    String runId = m.group(1);
    JsonNode status = status(runId, "--store", store);
    for (int i = 0; i < 30 && !state(status, "wait").equals("RUNNING"); i++) {
      status = status(runId, "--store", store);
    }
    assertThat(state(status, "wait")).isEqualTo("RUNNING");
    Matcher pid = Pattern.compile("^run@.*:(\\d+):[0-9a-f]+$").matcher(status.get("engine").asText());
    assertThat(pid.find()).as(status.get("engine").asText()).isTrue();
    ProcessHandle holder = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
    List<ProcessHandle> calls = holder.descendants().toList();
    // Frozen, the engine takes no command and renews nothing: its lease runs out while the cancel waits for it.
    assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(holder.pid())).start().waitFor()).isZero();
    try {
      Result cancel = orchestrator("--store", store, "cancel", runId);
      assertThat(cancel.code()).as(cancel.err()).isZero();
      assertThat(cancel.out()).contains("No engine executes run " + runId + " now",
          "Start one: orchestrator worker");
    } finally {
      holder.destroyForcibly();
      calls.forEach(ProcessHandle::destroyForcibly);
    }
    assertThat(holder.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();

    env.put("ORCHESTRATOR_LEASE", LEASE);
    Path workerOut = nextOutput();
    Process worker = start(workerOut, "--store", store, "worker");
    await("the worker carries the stored cancel out", Duration.ofSeconds(90),
        () -> read(workerOut).contains("Run " + runId + " finished:"));
    assertThat(read(workerOut)).contains("Adopted run " + runId, "Run " + runId + " finished: CANCELLED");
    worker.destroy();
    JsonNode after = status(runId, "--store", store);
    assertThat(after.at("/run/status").asText()).isEqualTo("CANCELLED");
    assertThat(state(after, "wait")).isEqualTo("CANCELLED");
  }

  // ---------------------------------------------------------------- (2) a killed process, taken over by a worker

  @Test
  void aWorkerTakesOverTheRunOfAKilledProcessOnceItsLeaseExpires() throws Exception {
    // Two chains of four tasks of a second each.
    Path workflow = temp.resolve("chains.json");
    Files.writeString(workflow, chains(2, 4));
    Process run = start("run", workflow.toString());
    // Killed once the first two tasks are done and the next two are in flight.
    await("four calls started", Duration.ofSeconds(60), () -> executions().size() >= 4);
    run.destroyForcibly();
    assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String runId = JSON.readTree(orchestrator("status", "--json").out()).at("/runs/0/run/id").asText();
    JsonNode killed = status(runId);
    assertThat(killed.at("/run/status").asText()).isEqualTo("RUNNING");

    Path workerOut = nextOutput();
    Process worker = start(workerOut, "worker");
    await("the worker finishes the run", Duration.ofSeconds(90),
        () -> read(workerOut).contains("Run " + runId + " finished:"));
    assertThat(read(workerOut)).contains("Adopted run " + runId + " (Chains) of project default.",
        "Run " + runId + " finished: SUCCEEDED");
    worker.destroy(); // SIGTERM: the worker closes its engine and stops
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(read(workerOut)).contains("Stopping after 1 finished run(s)");

    JsonNode done = status(runId);
    assertThat(done.at("/run/status").asText()).isEqualTo("SUCCEEDED");
    List<TaskView> tasks = new ArrayList<>();
    for (JsonNode t : done.get("tasks")) {
      List<Attempt.Outcome> outcomes = new ArrayList<>();
      List<String> messages = new ArrayList<>();
      for (JsonNode a : t.get("attempts")) {
        outcomes.add(a.hasNonNull("outcome") ? Attempt.Outcome.valueOf(a.get("outcome").asText()) : null);
        messages.add(a.hasNonNull("message") ? a.get("message").asText() : "");
      }
      tasks.add(new TaskView(t.get("taskId").asText(), TaskState.valueOf(t.get("state").asText()), outcomes,
          messages));
    }
    int interrupted = assertEachSucceededOnce(tasks);
    assertThat(interrupted).as("the calls in flight when the process was killed").isPositive();
  }

  // ---------------------------------------------------------------- (3) a PostgreSQL cluster under SIGKILL

  @Test
  void threeWorkersOnPostgresFinishAClusterRunThoughWorkersAreKilledTwentyTimes() throws Exception {
    String storeUrl = postgres();
    cluster(storeUrl, System.getenv("ORCHESTRATOR_TEST_POSTGRES_USER"),
        System.getenv("ORCHESTRATOR_TEST_POSTGRES_PASSWORD"));
  }

  /**
   * A new schema on the test server for this test's processes (dropped after it), their credentials in the
   * environment; skips the test when no server is named.
   */
  private String postgres() throws SQLException {
    String url = System.getenv("ORCHESTRATOR_TEST_POSTGRES_URL");
    assumeTrue(url != null && !url.isBlank(), "ORCHESTRATOR_TEST_POSTGRES_URL is not set: run "
        + "`. /tmp/orchestrator-pg/env.sh` (or eval \"$(bash .ci/postgres.sh start)\") first");
    String user = System.getenv("ORCHESTRATOR_TEST_POSTGRES_USER");
    String password = System.getenv("ORCHESTRATOR_TEST_POSTGRES_PASSWORD");
    String name = "orch_cli_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    schema = name;
    env.put("ORCHESTRATOR_DB_USER", user);
    env.put("ORCHESTRATOR_DB_PASSWORD", password);
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  /** What each call of the paid agent bills, as its JSON result says. */
  private static final BigDecimal CALL_COST = new BigDecimal("0.05");

  /**
   * Three workers and a cluster run of 180 tasks on a paid agent; a random worker is killed (SIGKILL) 20 times and
   * started again. Every task succeeds exactly once, nothing runs more often than interrupted attempts explain, no
   * money stays reserved, what the accounts spent is what the attempts cost, the event log tells every outcome and
   * the run's end, and the budget's 50% alert reached the webhook receiver once.
   */
  private void cluster(String storeUrl, String user, String password) throws Exception {
    int chains = 3;
    int length = 60;
    int kills = 20;
    Path workflow = temp.resolve("chains.json");
    Files.writeString(workflow, chains(chains, length).replace("\"agent\"", "\"paid\""));
    try (HttpStub webhook = new HttpStub(200)) {
      // A paid agent whose result says what the call cost; a rule sends budget alerts to a local receiver.
      ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(config));
      StatusJson.addPaidAgent((ObjectNode) c.get("providers"), "paid", executions, 2, CALL_COST);
      c.set("notifications", JSON.readTree("""
          {"webhook": "%s", "digest_window": "0s",
           "channels": {"webhook": {"secret": "a-secret-of-32-characters-000000"}},
           "rules": [{"event": "budget_threshold", "notify": ["webhook"]}]}
          """.formatted(webhook.url("/hooks/budget"))));
      Files.writeString(config, c.toPrettyString());
      // $9.00 of work under a $15.00 limit: the 50% threshold is crossed once; the calls the kills cut are recorded
      // at their reservations and may carry spending past 75% too, each threshold then crossed once.
      Result budget = orchestrator("--store", storeUrl, "budget", "set", "--global", "--limit", "15");
      assertThat(budget.code()).as(budget.err()).isZero();

      Process[] workers = new Process[3];
      Path[] outs = new Path[3];
      for (int i = 0; i < workers.length; i++) {
        outs[i] = nextOutput();
        workers[i] = start(outs[i], "--store", storeUrl, "worker");
      }
      Result queued = orchestrator("--store", storeUrl, "run", "--cluster", workflow.toString(), "--json");
      assertThat(queued.code()).as(queued.err()).isZero();
      String runId = JSON.readTree(queued.out()).get("runId").asText();

      try (JdbcStore store = JdbcStore.postgres(storeUrl, user, password)) {
        Random random = new Random();
        int holderKills = 0;
        int succeeded = 0;
        for (int kill = 0; kill < kills; kill++) {
          int before = succeeded;
          // Kills only while every worker is up (a restarted one has built its engine), so two always run.
          await("progress since the last kill, with every worker up", Duration.ofSeconds(90),
              () -> succeeded(store, runId) > before && up(outs));
          succeeded = succeeded(store, runId);
          assertThat(store.run("default", runId).orElseThrow().status()).as("the run still runs at kill " + kill)
              .isEqualTo(RunStatus.RUNNING);
          int holder = holderIndex(store, runId, workers);
          // Every other kill takes the run from the engine executing it; the others hit a random worker.
          int victim = kill % 2 == 0 && holder >= 0 ? holder : random.nextInt(workers.length);
          holderKills += victim == holder ? 1 : 0;
          workers[victim].destroyForcibly();
          assertThat(workers[victim].waitFor(10, TimeUnit.SECONDS)).isTrue();
          outs[victim] = nextOutput();
          workers[victim] = start(outs[victim], "--store", storeUrl, "worker");
        }
        try {
          await("the run finishes", Duration.ofSeconds(120),
              () -> store.run("default", runId).orElseThrow().status() != RunStatus.RUNNING);
        } catch (AssertionError e) {
          StringBuilder why = new StringBuilder(e.getMessage()).append("; unfinished tasks:");
          for (TaskRecord t : store.tasks("default", runId)) {
            if (!t.state().isTerminal()) {
              why.append("\n  ").append(t.taskId()).append(' ').append(t.state()).append(" [").append(t.history())
                  .append("] ").append(t.error());
            }
          }
          for (int i = 0; i < outs.length; i++) {
            why.append("\n--- worker ").append(i).append(":\n").append(tail(outs[i]));
          }
          throw new AssertionError(why.toString(), e);
        }
        assertThat(store.run("default", runId).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        List<TaskRecord> tasks = store.tasks("default", runId);
        assertThat(tasks).hasSize(chains * length);
        int interrupted = assertEachSucceededOnce(tasks.stream().map(TaskView::of).toList());
        long takeovers = store.events("default", runId).stream().filter(e -> e instanceof RunRecoveredEvent).count();
        assertThat(takeovers).as("the first claim, then one takeover per kill of the holder")
            .isGreaterThanOrEqualTo(1 + holderKills);
        assertThat(holderKills).isGreaterThanOrEqualTo(kills / 2);

        // Money: nothing stays reserved, and the accounts spent exactly what the attempts cost.
        BigDecimal attempts = tasks.stream().flatMap(t -> t.attempts().stream())
            .map(a -> a.cost().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(attempts).as("what the successful calls cost, at least")
            .isGreaterThanOrEqualTo(CALL_COST.multiply(BigDecimal.valueOf(tasks.size())));
        List<Balance> balances = store.ledger().balances();
        assertThat(balances).as("accounts touched by the calls").isNotEmpty();
        for (Balance b : balances) {
          assertThat(b.reserved()).as("reserved on " + b.account()).isEqualByComparingTo(BigDecimal.ZERO);
        }
        Balance global = balances.stream().filter(b -> b.account().scope().equals(BudgetScope.global()))
            .findFirst().orElseThrow();
        assertThat(global.spent()).as("global spend against the attempts' costs (%d interrupted)", interrupted)
            .isEqualByComparingTo(attempts);
        List<Double> reached = Stream.of(0.5, 0.75, 0.9)
            .filter(t -> global.spent().compareTo(new BigDecimal("15").multiply(BigDecimal.valueOf(t))) >= 0).toList();
        assertThat(reached).as("the $9.00 of successes cross 50%").startsWith(0.5);

        // The event log: every task's outcome and the run's end.
        List<dev.orchestrator.event.Event> events = store.events("default", runId);
        for (TaskRecord t : tasks) {
          assertThat(events).as("events of " + t.taskId()).anyMatch(e -> e instanceof TaskSucceededEvent s
              && s.taskId().equals(t.taskId()));
        }
        assertThat(events.stream().filter(RunFinishedEvent.class::isInstance)).hasSize(1);
        assertThat(store.eventsAfter(0, 100_000).stream().map(StoredEvent::event)
            .filter(BudgetThresholdCrossedEvent.class::isInstance).map(BudgetThresholdCrossedEvent.class::cast)
            .map(BudgetThresholdCrossedEvent::threshold).toList()).as("thresholds crossed (spent %s of 15)",
                global.spent()).containsExactlyElementsOf(reached);

        // Each alert reached the receiver once, from whichever worker delivered it.
        await("the alerts at the webhook", Duration.ofSeconds(30), () -> webhook.requests().size() >= reached.size());
        assertThat(webhook.requests()).as("deliveries of the alerts").hasSize(reached.size());
        assertThat(webhook.requests()).anyMatch(r -> r.body().contains("50"));
      }
      for (Process w : workers) {
        w.destroy();
      }
    }
  }

  /** Whether every worker has started its engine (it says so once it fires schedules, its last step). */
  private static boolean up(Path[] outs) {
    for (Path out : outs) {
      if (!read(out).contains("Firing the store's schedules.")) {
        return false;
      }
    }
    return true;
  }

  /** The index of the worker whose engine holds the run (its name carries its process id), or -1. */
  private static int holderIndex(JdbcStore store, String runId, Process[] workers) {
    String owner = store.lease("default", runId).map(RunLease::owner).orElse("");
    for (int i = 0; i < workers.length; i++) {
      if (owner.contains(":" + workers[i].pid() + ":")) {
        return i;
      }
    }
    return -1;
  }

  private static int succeeded(JdbcStore store, String runId) {
    return (int) store.tasks("default", runId).stream().filter(t -> t.state() == TaskState.SUCCEEDED).count();
  }

  /** What the checks need of a task, from the store or from {@code status --json}. */
  record TaskView(String taskId, TaskState state, List<Attempt.Outcome> outcomes, List<String> messages) {
    static TaskView of(TaskRecord t) {
      return new TaskView(t.taskId(), t.state(), t.attempts().stream().map(Attempt::outcome).toList(),
          t.attempts().stream().map(a -> a.message() == null ? "" : a.message()).toList());
    }
  }

  /**
   * Every task SUCCEEDED with exactly one successful attempt; each was executed at least once, and again only for
   * an attempt cut off by a killed process ({@code interrupted}). Returns how many attempts were interrupted.
   */
  private int assertEachSucceededOnce(List<TaskView> tasks) throws IOException {
    List<String> executed = executions();
    int interrupted = 0;
    for (TaskView t : tasks) {
      assertThat(t.state()).as(t.taskId()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(t.outcomes().stream().filter(o -> o == Attempt.Outcome.SUCCEEDED)).as(t.taskId()).hasSize(1);
      int cut = (int) t.messages().stream().filter(m -> m.startsWith("interrupted")).count();
      long runs = executed.stream().filter(t.taskId()::equals).count();
      assertThat(runs).as("executions of " + t.taskId()).isBetween(1L, 1L + cut);
      interrupted += cut;
    }
    assertThat(executed.size()).as("executions").isLessThanOrEqualTo(tasks.size() + interrupted);
    return interrupted;
  }

  // ---------------------------------------------------------------- helpers

  /** The last lines a process printed, to say what it was doing when a wait ran out. */
  private static String tail(Path output) throws IOException {
    List<String> lines = Files.exists(output) ? Files.readAllLines(output, StandardCharsets.UTF_8) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  /**
   * {@code chains} chains of {@code length} tasks on `agent`; a task's instructions are its id, and it does not see
   * the output of the task before it (the agent echoes its prompt, so outputs would grow along a chain, and with
   * them what each call costs against the run's budget).
   */
  private static String chains(int chains, int length) {
    StringBuilder sb = new StringBuilder("{ \"name\": \"Chains\", \"tasks\": [\n");
    for (int c = 0; c < chains; c++) {
      for (int s = 0; s < length; s++) {
        String id = "c" + c + "s" + s;
        sb.append("  {\"id\": \"").append(id).append("\", \"title\": \"").append(id)
            .append("\", \"assigned_to\": \"agent\", \"context\": \"none\", \"instructions\": \"").append(id)
            .append('"');
        if (s > 0) {
          sb.append(", \"depends_on\": [\"c").append(c).append('s').append(s - 1).append("\"]");
        }
        sb.append(c == chains - 1 && s == length - 1 ? "}\n" : "},\n");
      }
    }
    return sb.append("] }\n").toString();
  }

  private List<String> executions() throws IOException {
    return Files.readAllLines(executions, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).toList();
  }



  private JsonNode status(String runId, String... options) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("status", runId, "--json"));
    Result r = orchestrator(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private ProcessBuilder builder(String... args) {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString(), "--data-dir", data.toString(), "--config",
        config.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("ANTHROPIC_API_KEY");
    pb.environment().remove("GEMINI_API_KEY");
    pb.environment().putAll(env);
    // Many short-lived JVMs on a small machine: start fast, compile little.
    pb.environment().put("ORCHESTRATOR_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    return pb;
  }

  /** Runs a command to its end (at most a minute). */
  private Result orchestrator(String... args) throws IOException, InterruptedException {
    Path out = nextOutput();
    Path err = Path.of(out + ".err");
    Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("orchestrator " + String.join(" ", args)).isTrue();
    return new Result(p.exitValue(), read(out), read(err));
  }

  /** Starts a long-running command, its output to a file of its own. */
  private Process start(String... args) throws IOException {
    return start(nextOutput(), args);
  }

  private Process start(Path out, String... args) throws IOException {
    Process p = builder(args).redirectOutput(out.toFile()).redirectError(Path.of(out + ".err").toFile()).start();
    started.add(p);
    return p;
  }

  private Path nextOutput() {
    return temp.resolve("out-" + (++outputs) + ".txt");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Polls {@code done} every 100 ms until it holds; fails after {@code timeout}. */
  private static void await(String what, Duration timeout, Check done) throws InterruptedException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<Void> result = new CompletableFuture<>();
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (done.holds()) {
          result.complete(null);
        }
      } catch (Exception | AssertionError e) {
        result.completeExceptionally(e);
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    try {
      result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
    } catch (ExecutionException e) {
      throw new AssertionError("failed while waiting for: " + what, e.getCause());
    } finally {
      timer.shutdownNow();
    }
  }

  /** A condition that may read files or the store. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }
}
