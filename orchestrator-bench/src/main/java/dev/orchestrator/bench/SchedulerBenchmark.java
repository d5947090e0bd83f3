package dev.orchestrator.bench;

import com.github.dexecutor.core.task.ExecutionResults;
import dev.langchain4j.agentic.UntypedAgent;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Workflow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.state.AgentState;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The scheduler hot path with no-op tasks: what the engine costs per task when the provider costs nothing.
 *
 * <p>Four workloads:
 * <ul>
 *   <li>{@code chain}: 1,000 tasks, each waiting for the one before;
 *   <li>{@code independent}: 10,000 tasks without dependencies;
 *   <li>{@code layered}: 100 layers of 100 tasks, each with 3 random parents in the layer before (seed 42);
 *   <li>{@code diamond}: 10 rounds (10 runs, one after the other) of 1 -> 1,000 -> 1.
 * </ul>
 * and five executors:
 * <ul>
 *   <li>{@code orchestrator}: {@code submit(project, workflow).completion().join()} on a fresh {@link Orchestrator}
 *       whose drain loop runs on one thread (the engine's default), with a no-op provider;
 *   <li>{@code futures}: the baseline, plain {@code CompletableFuture} composition ({@code allOf} of the parents,
 *       then the task) on an executor of one thread;
 *   <li>{@code dexecutor}: Dexecutor 2.1.2 on an executor of one thread;
 *   <li>{@code langgraph4j}: a compiled LangGraph4j graph, invoked on the benchmark thread ({@link AgentGraphs});
 *   <li>{@code agentic}: a LangChain4j agentic workflow of non-AI agents, its parallel groups on one thread.
 * </ul>
 * The two agent-graph libraries take only sequences of parallel groups, so the layered graph is approximated by a
 * barrier per layer (see {@link AgentGraphs}); the other three workloads are exact.
 *
 * <p>{@code provider} says how the no-op work completes, the same for every executor ({@link NoopWork}):
 * {@code inline}, the provider returns a completed future (the task body runs where the task starts); {@code async},
 * it is completed on a separate pool thread, as an HTTP provider's call is (the task body hops to that pool).
 *
 * <p>Scores are <b>microseconds per task</b>: {@link OperationsPerInvocation} divides each invocation's time by its
 * number of tasks (1,000; 10,000; 10,000; 10,020). The per-run structure that each library builds once and reuses
 * (the workflow, the compiled graph, the agentic workflow) is built in the trial setup, which then runs it once
 * and fails the trial unless every task ran.
 *
 * <p>Run by hand, never by CI: {@code java -jar orchestrator-bench/target/benchmarks.jar SchedulerBenchmark}. The
 * defaults (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement) fit a small shared machine; override them with JMH's
 * {@code -f -wi -i -w -r}, and choose with {@code -p provider=inline}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class SchedulerBenchmark {
  static final int CHAIN = 1_000;
  static final int INDEPENDENT = 10_000;
  static final int LAYERS = 100;
  static final int WIDTH = 100;
  static final int FAN_IN = 3;
  static final long SEED = 42;
  static final int DIAMOND_WIDTH = 1_000;
  static final int DIAMOND_ROUNDS = 10;
  static final int DIAMOND_TASKS = DIAMOND_ROUNDS * (DIAMOND_WIDTH + 2);

  /** How the no-op work completes: {@code inline} (a completed future) or {@code async} (on a pool thread). */
  @Param({"inline", "async"})
  public String provider;

  /** This trial's graph, and what its executor reuses across invocations (only the one it needs is built). */
  Dag dag;
  @Nullable Workflow workflow;
  @Nullable CompiledGraph<AgentState> graph;
  @Nullable UntypedAgent agents;

  NoopWork work;
  NoopProvider noopProvider;
  /** The engine's dispatch thread, shared by the per-invocation orchestrators. */
  ExecutorService dispatch;
  ExecutorService futuresWorker;
  ExecutorService dexecutorWorker;
  ExecutorService agenticWorker;

  /** Builds what the trial's benchmark ({@code workload_executor}) needs, then checks that one run does it all. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    String workload = method.substring(0, method.indexOf('_'));
    String executor = method.substring(method.indexOf('_') + 1);
    dag = switch (workload) {
      case "chain" -> Dag.chain(CHAIN);
      case "independent" -> Dag.independent(INDEPENDENT);
      case "layered" -> Dag.layered(LAYERS, WIDTH, FAN_IN, SEED);
      case "diamond" -> Dag.diamond(DIAMOND_WIDTH);
      default -> throw new IllegalStateException("unknown workload in benchmark " + method);
    };
    work = new NoopWork(NoopWork.Mode.of(provider));
    noopProvider = new NoopProvider(work);
    dispatch = Runners.worker("orchestrator-dispatch");
    futuresWorker = Runners.worker("futures-worker");
    dexecutorWorker = Runners.worker("dexecutor-worker");
    agenticWorker = Runners.worker("agentic-worker");
    selfCheck(executor);
    switch (executor) {
      case "orchestrator" -> workflow = dag.toWorkflow();
      case "langgraph4j" -> graph = AgentGraphs.langGraph(dag, work, Runners.NOOP);
      case "agentic" -> agents = AgentGraphs.agentic(dag, work, Runners.NOOP, agenticWorker);
      default -> { }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dispatch.shutdownNow();
    futuresWorker.shutdownNow();
    dexecutorWorker.shutdownNow();
    agenticWorker.shutdownNow();
    work.close();
  }

  /**
   * A fresh engine per invocation: an orchestrator keeps every run it was given (its handle and the store's records)
   * until it is closed, so one long-lived instance would grow by a whole run per invocation and the benchmark would
   * end up measuring the garbage collector. Building one is not measured; the dispatch thread is shared.
   */
  @State(Scope.Thread)
  public static class Engine {
    Orchestrator orchestrator;

    @Setup(Level.Invocation)
    public void open(SchedulerBenchmark b) {
      orchestrator = Runners.orchestrator(b.dispatch, b.noopProvider);
    }

    @TearDown(Level.Invocation)
    public void close() {
      orchestrator.close();
    }
  }

  private RunSnapshot engine(Engine e) {
    return Runners.runEngine(e.orchestrator, java.util.Objects.requireNonNull(workflow));
  }

  private Object futures() {
    Runners.runFutures(dag, futuresWorker, work, Runners.NOOP);
    return dag;
  }

  private Object dexecutor() {
    return Runners.runDexecutor(dag, dexecutorWorker, Runners.noopTasks(work, Runners.NOOP));
  }

  private Object langgraph4j() {
    return AgentGraphs.runLangGraph(java.util.Objects.requireNonNull(graph));
  }

  private Object agentic() {
    return AgentGraphs.runAgentic(java.util.Objects.requireNonNull(agents));
  }

  // ------------------------------------------------------------------ chain of 1,000

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public RunSnapshot chain_orchestrator(Engine e) {
    return engine(e);
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Object chain_futures() {
    return futures();
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Object chain_dexecutor() {
    return dexecutor();
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Object chain_langgraph4j() {
    return langgraph4j();
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Object chain_agentic() {
    return agentic();
  }

  // ------------------------------------------------------------------ 10,000 independent

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public RunSnapshot independent_orchestrator(Engine e) {
    return engine(e);
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public Object independent_futures() {
    return futures();
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public Object independent_dexecutor() {
    return dexecutor();
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public Object independent_langgraph4j() {
    return langgraph4j();
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public Object independent_agentic() {
    return agentic();
  }

  // ------------------------------------------------------------------ layered 100 x 100, 3 parents

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public RunSnapshot layered_orchestrator(Engine e) {
    return engine(e);
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Object layered_futures() {
    return futures();
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Object layered_dexecutor() {
    return dexecutor();
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Object layered_langgraph4j() {
    return langgraph4j();
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Object layered_agentic() {
    return agentic();
  }

  // ------------------------------------------------------------------ 10 rounds of 1 -> 1,000 -> 1

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public RunSnapshot diamond_orchestrator(Engine e) {
    RunSnapshot last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = engine(e);
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public Object diamond_futures() {
    Object last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = futures();
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public Object diamond_dexecutor() {
    Object last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = dexecutor();
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public Object diamond_langgraph4j() {
    Object last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = langgraph4j();
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public Object diamond_agentic() {
    Object last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = agentic();
    }
    return last;
  }

  // ------------------------------------------------------------------ every executor must do the same work

  /** Runs this trial's workload once with {@code executor} and fails the trial unless every task ran and succeeded. */
  private void selfCheck(String executor) {
    AtomicInteger ran = new AtomicInteger();
    Runnable counted = ran::incrementAndGet;
    switch (executor) {
      case "orchestrator" -> {
        try (Orchestrator o = Runners.orchestrator(dispatch, noopProvider)) {
          RunSnapshot s = Runners.runEngine(o, dag.toWorkflow());
          long ok = s.tasks().stream().map(TaskRecord::state).filter(TaskState.SUCCEEDED::equals).count();
          check(s.status() == RunStatus.SUCCEEDED && ok == dag.size(), executor, s.status() + ", " + ok
              + " succeeded");
        }
        return;
      }
      case "futures" -> Runners.runFutures(dag, futuresWorker, work, counted);
      case "dexecutor" -> {
        ExecutionResults<Integer, Boolean> r = Runners.runDexecutor(dag, dexecutorWorker,
            Runners.noopTasks(work, counted));
        check(r.getSuccess().size() == dag.size(), executor, r.getSuccess().size() + " succeeded, "
            + r.getErrored().size() + " errored, " + r.getSkipped().size() + " skipped");
      }
      case "langgraph4j" -> AgentGraphs.runLangGraph(AgentGraphs.langGraph(dag, work, counted));
      case "agentic" -> AgentGraphs.runAgentic(AgentGraphs.agentic(dag, work, counted, agenticWorker));
      default -> throw new IllegalStateException("unknown executor '" + executor + "'");
    }
    check(ran.get() == dag.size(), executor, ran.get() + " ran");
  }

  private void check(boolean ok, String who, String detail) {
    if (!ok) {
      throw new IllegalStateException(who + " (" + provider + ") did not run all of " + dag + ": " + detail);
    }
  }
}
