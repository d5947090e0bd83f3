package dev.orchestrator.bench;

import dev.orchestrator.workflow.Workflow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What defining a workflow costs: {@code Workflow.builder(...)}, one {@code task(id, spec)} per task and
 * {@code build()}, which checks every task's rules, resolves the dependencies, orders the tasks and looks for
 * cycles. Two shapes, the same graphs as {@link SchedulerBenchmark}:
 * <ul>
 *   <li>{@code layered}: 100 layers of 100 tasks, each with 3 random parents in the layer before (seed 42);
 *   <li>{@code chain}: 1,000 tasks, each waiting for the one before.
 * </ul>
 * The ids are made once, in setup, as an application would hold them; everything else is made per invocation.
 *
 * <p>Scores are <b>microseconds per task</b>: {@link OperationsPerInvocation} divides each invocation's time by its
 * number of tasks.
 *
 * <p>Run by hand, never by CI: {@code java -jar orchestrator-bench/target/benchmarks.jar WorkflowBuildBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class WorkflowBuildBenchmark {
  // The scheduler benchmark's shapes, so the two measure the same workflows.
  static final int CHAIN = SchedulerBenchmark.CHAIN;
  static final int LAYERS = SchedulerBenchmark.LAYERS;
  static final int WIDTH = SchedulerBenchmark.WIDTH;
  static final int FAN_IN = SchedulerBenchmark.FAN_IN;
  static final long SEED = SchedulerBenchmark.SEED;

  Dag chain;
  Dag layered;

  @Setup
  public void setUp() {
    chain = Dag.chain(CHAIN);
    layered = Dag.layered(LAYERS, WIDTH, FAN_IN, SEED);
  }

  @Benchmark
  @OperationsPerInvocation(LAYERS * WIDTH)
  public Workflow layered() {
    return layered.toWorkflow();
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public Workflow chain() {
    return chain.toWorkflow();
  }
}
