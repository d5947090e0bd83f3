package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenarios (human input, review, guard, breaker and failover, rate limit, pause, priority change, cancel,
 * resume, budget pause and resume on a raise) played against one in-process engine on the in-memory store, and
 * against two engines in two other JVMs sharing one PostgreSQL store while this JVM only submits and steers: each
 * scenario ends the same way in both, and the way it should.
 */
class FeatureParityIT {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir
  Path logs;

  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  /** Where a scenario plays: who runs the engines, and the orchestrator this test submits and steers with. */
  private interface Mode extends AutoCloseable {
    Orchestrator client();

    /** Starts a run: executed here, or queued for the engines elsewhere. */
    Run start(String project, Workflow workflow);

    @Override
    void close() throws Exception;
  }

  /** One engine in this JVM, on the in-memory store. */
  private static final class InProcess implements Mode {
    private final Orchestrator engine = ParityWorld.engine(InMemoryStore.create(), "only").build();

    @Override
    public Orchestrator client() {
      return engine;
    }

    @Override
    public Run start(String project, Workflow workflow) {
      return engine.submit(project, workflow);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** Two engine JVMs on one PostgreSQL schema; this JVM's orchestrator claims no run. */
  private static final class TwoJvms implements Mode {
    private final JdbcStore store;
    private final Orchestrator client;
    private final List<Process> engines = new ArrayList<>();

    TwoJvms(Path logs) throws Exception {
      String schema = PostgresTestServer.newSchema();
      store = JdbcStore.postgres(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
          PostgresTestServer.PASSWORD);
      client = ParityWorld.engine(store, "client").claimRuns(false).build();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (String name : List.of("e1", "e2")) {
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            ParityEngineMain.class.getName(), schema, name);
        pb.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        engines.add(pb.start());
      }
    }

    @Override
    public Orchestrator client() {
      return client;
    }

    @Override
    public Run start(String project, Workflow workflow) {
      return client.enqueue(project, workflow, Map.of());
    }

    @Override
    public void close() throws Exception {
      for (Process p : engines) {
        p.getOutputStream().close();
      }
      for (Process p : engines) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      client.close();
      store.close();
    }
  }

  /** A scenario: plays on a project of its own and returns what it ended with. */
  @FunctionalInterface
  private interface Scenario {
    List<String> play(Mode mode, String project) throws Exception;
  }

  @Test
  void everyScenarioEndsTheSameInOneEngineAndInTwoEngineJvmsOnPostgres() throws Exception {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    Map<String, List<String>> alone;
    try (Mode mode = new InProcess()) {
      alone = playAll(mode);
    }
    Map<String, List<String>> apart;
    try (Mode mode = new TwoJvms(logs)) {
      apart = playAll(mode);
    }
    for (String name : alone.keySet()) {
      System.out.println("[parity] " + name + ": " + alone.get(name));
      assertThat(apart.get(name)).as(name + ": two engine JVMs on PostgreSQL end as one engine does")
          .isEqualTo(alone.get(name));
    }
    poller.shutdownNow();
  }

  private Map<String, List<String>> playAll(Mode mode) throws Exception {
    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("human input", this::humanInput);
    scenarios.put("review", this::review);
    scenarios.put("guard", this::guard);
    scenarios.put("breaker and failover", this::breakerAndFailover);
    scenarios.put("rate limit", this::rateLimit);
    scenarios.put("pause", this::pause);
    scenarios.put("priority change", this::priorityChange);
    scenarios.put("cancel", this::cancel);
    scenarios.put("resume", this::resume);
    scenarios.put("budget pause and resume on a raise", this::budget);
    Map<String, List<String>> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, Scenario> e : scenarios.entrySet()) {
      String project = e.getKey().replace(' ', '-');
      outcomes.put(e.getKey(), e.getValue().play(mode, project));
    }
    return outcomes;
  }

  // ---------------------------------------------------------------- scenarios

  private List<String> humanInput(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w").task("outline", t -> t.instructions("[ask] outline")).build());
    awaitTask(mode, run, "outline", TaskState.AWAITING_INPUT);
    List<Question> open = mode.client().questions(project);
    assertThat(open).singleElement().satisfies(q -> assertThat(q.text()).isEqualTo("Which audience?"));
    mode.client().answer(open.get(0).id(), "engineers");
    List<String> outcome = finished(mode, run);
    assertThat(task(mode, run, "outline").output()).isEqualTo("an outline for engineers");
    return outcome;
  }

  private List<String> review(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w").task("draft", t -> t.instructions("[review] draft")
        .review(Review.by("critic", "must say improved"))).build());
    List<String> outcome = finished(mode, run);
    assertThat(task(mode, run, "draft").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(task(mode, run, "draft").output()).isEqualTo("improved draft");
    return outcome;
  }

  private List<String> guard(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w")
        .task("send", t -> t.instructions("deploy with AKIAIOSFODNN7EXAMPLE"))
        .task("keys", t -> t.instructions("[leak] the keys")).build());
    List<String> outcome = finished(mode, run);
    TaskRecord send = task(mode, run, "send");
    assertThat(send.state()).isEqualTo(TaskState.FAILED);
    assertThat(send.errorKind()).isEqualTo(dev.orchestrator.ErrorKind.GUARD);
    assertThat(send.attempts()).as("a prompt holding a key is never sent").isEmpty();
    assertThat(task(mode, run, "keys").output()).isEqualTo("use the key [REDACTED AWS access key]");
    return outcome;
  }

  private List<String> breakerAndFailover(Mode mode, String project) throws Exception {
    Workflow.Builder w = Workflow.builder("w");
    for (int i = 1; i <= 4; i++) {
      String prev = "t" + (i - 1);
      int step = i;
      w.task("t" + i, t -> {
        t.instructions("step " + step).providers("down", "steady");
        if (step > 1) {
          t.dependsOn(prev);
        }
      });
    }
    Run run = mode.start(project, w.build());
    List<String> outcome = finished(mode, run);
    assertThat(mode.client().circuit("down").state()).isEqualTo(CircuitState.State.OPEN);
    assertThat(task(mode, run, "t4").attempts()).extracting(Attempt::provider)
        .as("no call to an open circuit").containsExactly("steady");
    outcome.add("circuit of down: " + mode.client().circuit("down").state());
    return outcome;
  }

  private List<String> rateLimit(Mode mode, String project) throws Exception {
    Workflow.Builder w = Workflow.builder("w");
    for (int i = 0; i < 3; i++) {
      w.task("m" + i, t -> t.instructions("metered").providers("metered"));
    }
    Run run = mode.start(project, w.build());
    awaitTask(mode, run, "m1", TaskState.SUCCEEDED);
    awaitTask(mode, run, "m0", TaskState.SUCCEEDED);
    List<String> outcome = new ArrayList<>();
    // Two calls a minute: the third waits in READY, for the rest of the minute.
    outcome.add("after two calls, m2 is " + task(mode, run, "m2").state());
    run.cancel("test", "the minute is long");
    outcome.addAll(finished(mode, run));
    return outcome;
  }

  private List<String> pause(Mode mode, String project) throws Exception {
    mode.client().pauseProject(project, "a deploy is going on");
    Run run = mode.start(project, Workflow.builder("w").task("a", t -> t.instructions("a"))
        .task("b", t -> t.instructions("b")).build());
    awaitTask(mode, run, "a", TaskState.PAUSED);
    awaitTask(mode, run, "b", TaskState.PAUSED);
    List<String> outcome = new ArrayList<>(List.of("while paused: " + states(mode, run)));
    mode.client().resumeProject(project);
    outcome.addAll(finished(mode, run));
    return outcome;
  }

  private List<String> priorityChange(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w").task("a", t -> t.instructions("a").providers("serial"))
        .task("b", t -> t.instructions("b").providers("serial"))
        .task("c", t -> t.instructions("c").providers("serial")).build());
    awaitTask(mode, run, "a", TaskState.RUNNING);
    run.changePriority("c", Priority.HIGH);
    List<String> outcome = finished(mode, run);
    List<String> order = snapshot(mode, run).tasks().stream()
        .sorted(Comparator.comparing(t -> t.attempts().get(0).startedAt())).map(TaskRecord::taskId).toList();
    assertThat(order).as("c jumped the queue").containsExactly("a", "c", "b");
    outcome.add("started in the order " + order);
    return outcome;
  }

  private List<String> cancel(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w").task("long", t -> t.instructions("[slow] long"))
        .task("after", t -> t.instructions("after").dependsOn("long")).build());
    awaitTask(mode, run, "long", TaskState.RUNNING);
    run.cancel("test", "not needed");
    return finished(mode, run);
  }

  private List<String> resume(Mode mode, String project) throws Exception {
    Run run = mode.start(project, Workflow.builder("w").task("a", t -> t.instructions("[fail-first] a"))
        .task("b", t -> t.instructions("b").dependsOn("a")).build());
    List<String> outcome = new ArrayList<>(finished(mode, run));
    run.resume("a");
    awaitTask(mode, run, "b", TaskState.SUCCEEDED);
    outcome.addAll(finished(mode, run));
    return outcome;
  }

  private List<String> budget(Mode mode, String project) throws Exception {
    mode.client().setBudget(Budget.of(BudgetScope.project(project), Money.usd("0.015")));
    Run run = mode.start(project, Workflow.builder("w").task("a", t -> t.instructions("a"))
        .task("b", t -> t.instructions("b").dependsOn("a")).build());
    awaitTask(mode, run, "b", TaskState.PAUSED);
    List<String> outcome = new ArrayList<>(List.of("at the limit: " + states(mode, run)));
    mode.client().setBudget(Budget.of(BudgetScope.project(project), Money.usd("1")));
    outcome.addAll(finished(mode, run));
    return outcome;
  }

  // ---------------------------------------------------------------- reading what happened

  private RunSnapshot snapshot(Mode mode, Run run) {
    return mode.client().run(run.project(), run.id()).orElseThrow().snapshot();
  }

  private TaskRecord task(Mode mode, Run run, String taskId) {
    return snapshot(mode, run).tasks().stream().filter(t -> t.taskId().equals(taskId)).findFirst().orElseThrow();
  }

  private String states(Mode mode, Run run) {
    return snapshot(mode, run).tasks().stream().map(t -> t.taskId() + " " + t.state())
        .collect(Collectors.joining(", "));
  }

  private void awaitTask(Mode mode, Run run, String taskId, TaskState state) throws Exception {
    try {
      await(() -> task(mode, run, taskId).state() == state, run.project() + ": " + taskId + " reaches " + state);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (the run's tasks: " + states(mode, run) + ")", e);
    }
  }

  /** Waits for the run to end, and describes how: its status, and each task's state, attempts and output. */
  private List<String> finished(Mode mode, Run run) throws Exception {
    await(() -> snapshot(mode, run).run().status().isFinished(), run.project() + ": the run ends");
    RunSnapshot s = snapshot(mode, run);
    List<String> out = new ArrayList<>();
    out.add("run " + s.run().status());
    for (TaskRecord t : s.tasks()) {
      out.add(t.taskId() + " " + t.state() + " " + t.attempts().stream()
          .map(a -> a.provider() + " " + a.outcome() + (a.errorKind() == null ? "" : " " + a.errorKind()))
          .toList() + " " + t.output());
    }
    return out;
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    ClusterKillIT.await(poller, LIMIT, condition, what);
  }
}
