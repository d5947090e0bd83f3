package dev.orchestrator.bench;

import com.github.dexecutor.core.task.ExecutionResults;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Workflow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler hot path with no-op tasks: what the engine costs per task when the provider costs nothing.
 *
 * <p>Four workloads, each run three ways in the same JMH run:
 * <ul>
 *   <li>{@code chain}: 1,000 tasks, each waiting for the one before;
 *   <li>{@code independent}: 10,000 tasks without dependencies;
 *   <li>{@code layered}: 100 layers of 100 tasks, each with 3 random parents in the layer before (seed 42);
 *   <li>{@code diamond}: 10 rounds (10 runs, one after the other) of 1 -> 1,000 -> 1.
 * </ul>
 * and three executors:
 * <ul>
 *   <li>{@code orchestrator}: {@code submit(project, workflow).completion().join()} on a fresh {@link Orchestrator}
 *       whose drain loop runs on one thread (the engine's default), with a provider that returns a completed future;
 *   <li>{@code futures}: the baseline, plain {@code CompletableFuture} composition ({@code allOf} of the parents,
 *       then {@code thenRunAsync} of a no-op) on an executor of one thread;
 *   <li>{@code dexecutor}: the peer, Dexecutor 2.1.2 on an executor of one thread.
 * </ul>
 * In all three the benchmark thread builds the per-run structure (the run's task nodes, the futures, the Dexecutor
 * graph) and waits; one worker thread runs the tasks. The workflow itself is built (and validated) once, in setup.
 *
 * <p>Scores are <b>microseconds per task</b>: {@link OperationsPerInvocation} divides each invocation's time by its
 * number of tasks (1,000; 10,000; 10,000; 10,020).
 *
 * <p>Run by hand, never by CI: {@code java -jar orchestrator-bench/target/benchmarks.jar SchedulerBenchmark}. The
 * defaults (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement) fit a small shared machine; override them with JMH's
 * {@code -f -wi -i -w -r}.
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

  Dag chain;
  Dag independent;
  Dag layered;
  Dag diamond;
  Workflow chainWorkflow;
  Workflow independentWorkflow;
  Workflow layeredWorkflow;
  Workflow diamondWorkflow;

  /** The engine's dispatch thread, shared by the per-invocation orchestrators. */
  ExecutorService dispatch;
  ExecutorService futuresWorker;
  ExecutorService dexecutorWorker;

  @Setup(Level.Trial)
  public void setUp() {
    chain = Dag.chain(CHAIN);
    independent = Dag.independent(INDEPENDENT);
    layered = Dag.layered(LAYERS, WIDTH, FAN_IN, SEED);
    diamond = Dag.diamond(DIAMOND_WIDTH);
    chainWorkflow = chain.toWorkflow();
    independentWorkflow = independent.toWorkflow();
    layeredWorkflow = layered.toWorkflow();
    diamondWorkflow = diamond.toWorkflow();
    dispatch = Runners.worker("orchestrator-dispatch");
    futuresWorker = Runners.worker("futures-worker");
    dexecutorWorker = Runners.worker("dexecutor-worker");
    selfCheck();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dispatch.shutdownNow();
    futuresWorker.shutdownNow();
    dexecutorWorker.shutdownNow();
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
      orchestrator = Runners.orchestrator(b.dispatch);
    }

    @TearDown(Level.Invocation)
    public void close() {
      orchestrator.close();
    }
  }

  // ------------------------------------------------------------------ chain of 1,000

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public RunSnapshot chain_orchestrator(Engine e) {
    return Runners.runEngine(e.orchestrator, chainWorkflow);
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public void chain_futures() {
    Runners.runFutures(chain, futuresWorker);
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Object chain_dexecutor() {
    return Runners.runDexecutor(chain, dexecutorWorker);
  }

  // ------------------------------------------------------------------ 10,000 independent

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public RunSnapshot independent_orchestrator(Engine e) {
    return Runners.runEngine(e.orchestrator, independentWorkflow);
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public void independent_futures() {
    Runners.runFutures(independent, futuresWorker);
  }

  @Benchmark
  @OperationsPerInvocation(INDEPENDENT)
  public Object independent_dexecutor() {
    return Runners.runDexecutor(independent, dexecutorWorker);
  }

  // ------------------------------------------------------------------ layered 100 x 100, 3 parents

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public RunSnapshot layered_orchestrator(Engine e) {
    return Runners.runEngine(e.orchestrator, layeredWorkflow);
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public void layered_futures() {
    Runners.runFutures(layered, futuresWorker);
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Object layered_dexecutor() {
    return Runners.runDexecutor(layered, dexecutorWorker);
  }

  // ------------------------------------------------------------------ 10 rounds of 1 -> 1,000 -> 1

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public RunSnapshot diamond_orchestrator(Engine e) {
    RunSnapshot last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = Runners.runEngine(e.orchestrator, diamondWorkflow);
    }
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public void diamond_futures() {
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      Runners.runFutures(diamond, futuresWorker);
    }
  }

  @Benchmark
  @OperationsPerInvocation(DIAMOND_TASKS)
  public Object diamond_dexecutor() {
    Object last = null;
    for (int round = 0; round < DIAMOND_ROUNDS; round++) {
      last = Runners.runDexecutor(diamond, dexecutorWorker);
    }
    return last;
  }

  // ------------------------------------------------------------------ the three must do the same work

  /** Runs every workload once each way and fails the trial unless every task ran and succeeded. */
  private void selfCheck() {
    Dag[] dags = {chain, independent, layered, diamond};
    Workflow[] workflows = {chainWorkflow, independentWorkflow, layeredWorkflow, diamondWorkflow};
    for (int w = 0; w < dags.length; w++) {
      Dag dag = dags[w];
      try (Orchestrator o = Runners.orchestrator(dispatch)) {
        RunSnapshot s = Runners.runEngine(o, workflows[w]);
        long ok = s.tasks().stream().map(TaskRecord::state).filter(TaskState.SUCCEEDED::equals).count();
        check(s.status() == RunStatus.SUCCEEDED && ok == dag.size(), "orchestrator", dag,
            s.status() + ", " + ok + " succeeded");
      }
      AtomicInteger ran = new AtomicInteger();
      Runners.runFutures(dag, futuresWorker, ran::incrementAndGet);
      check(ran.get() == dag.size(), "futures", dag, ran.get() + " ran");
      AtomicInteger made = new AtomicInteger();
      ExecutionResults<Integer, Boolean> r = Runners.runDexecutor(dag, dexecutorWorker, id -> {
        made.incrementAndGet();
        return new Runners.NoopTask();
      });
      check(r.getSuccess().size() == dag.size() && made.get() == dag.size(), "dexecutor", dag,
          r.getSuccess().size() + " succeeded, " + r.getErrored().size() + " errored, " + r.getSkipped().size()
              + " skipped");
    }
  }

  private static void check(boolean ok, String who, Dag dag, String detail) {
    if (!ok) {
      throw new IllegalStateException(who + " did not run all of " + dag + ": " + detail);
    }
  }
}
