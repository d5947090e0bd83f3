package dev.orchestrator.bench;

import com.github.dexecutor.core.DefaultDexecutor;
import com.github.dexecutor.core.DexecutorConfig;
import com.github.dexecutor.core.ExecutionConfig;
import com.github.dexecutor.core.task.ExecutionResults;
import com.github.dexecutor.core.task.Task;
import com.github.dexecutor.core.task.TaskProvider;
import dev.orchestrator.Scheduler;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.workflow.Workflow;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The ways the benchmarks run a {@link Dag} with the engine, the {@code CompletableFuture} baseline and Dexecutor
 * (the agent-graph libraries are in {@link AgentGraphs}). Not thread-safe unless said; not for use outside the
 * benchmarks.
 */
final class Runners {
  /** How many events per project the benchmark's stores keep (the engine appends three per no-op task). */
  static final int EVENT_CAPACITY = 1_024;

  /**
   * The engine's per-provider concurrency limit in the benchmarks: {@code -Dorchestrator.bench.maxConcurrentCalls=N}
   * (1,024 by default). The baselines have no such limit.
   */
  static final int MAX_CONCURRENT_CALLS = Integer.getInteger("orchestrator.bench.maxConcurrentCalls", 1_024);

  /** No task has a timeout, so nothing is ever scheduled; this saves the engine its timer thread. */
  static final Scheduler NO_TIMERS = Scheduler.none();

  static final Runnable NOOP = () -> {};

  private Runners() {}

  /** A single named daemon thread: what the engine owns by default, and what the baselines get too. */
  static ExecutorService worker(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** An orchestrator with the inline no-op provider whose drain loop runs on {@code dispatch}. */
  static Orchestrator orchestrator(Executor dispatch) {
    return orchestrator(dispatch, new NoopProvider());
  }

  /** An orchestrator with {@code provider} whose drain loop runs on {@code dispatch}. */
  static Orchestrator orchestrator(Executor dispatch, NoopProvider provider) {
    return Orchestrator.builder()
        .provider(provider, MAX_CONCURRENT_CALLS)
        .executor(dispatch)
        .scheduler(NO_TIMERS)
        .store(InMemoryStore.withEventCapacity(EVENT_CAPACITY))
        .build();
  }

  /** Submits one run and waits for its end. */
  static RunSnapshot runEngine(Orchestrator orchestrator, Workflow workflow) {
    return orchestrator.submit("bench", workflow).completion().join();
  }

  /**
   * The baseline: each task is {@code runAsync} (no parent), {@code parent.thenRunAsync} (one parent) or
   * {@code allOf(parents).thenRunAsync} (several) of a no-op on {@code executor}; then it joins the sinks.
   */
  static void runFutures(Dag dag, Executor executor, Runnable task) {
    int[][] parents = dag.parents;
    CompletableFuture<?>[] futures = new CompletableFuture<?>[parents.length];
    for (int i = 0; i < parents.length; i++) {
      int[] p = parents[i];
      if (p.length == 0) {
        futures[i] = CompletableFuture.runAsync(task, executor);
      } else if (p.length == 1) {
        futures[i] = futures[p[0]].thenRunAsync(task, executor);
      } else {
        CompletableFuture<?>[] ps = new CompletableFuture<?>[p.length];
        for (int k = 0; k < p.length; k++) {
          ps[k] = futures[p[k]];
        }
        futures[i] = CompletableFuture.allOf(ps).thenRunAsync(task, executor);
      }
    }
    joinSinks(dag, futures);
  }

  static void runFutures(Dag dag, Executor executor) {
    runFutures(dag, executor, NOOP);
  }

  /**
   * The baseline with {@code work}'s mode: inline as {@link #runFutures(Dag, Executor, Runnable)}; async, each task
   * starts on {@code executor} once its parents are done ({@code thenComposeAsync}) and its body hops to the pool,
   * whose completion releases the children, as a provider call does in the engine.
   */
  static void runFutures(Dag dag, Executor executor, NoopWork work, Runnable task) {
    if (work.mode() == NoopWork.Mode.INLINE) {
      runFutures(dag, executor, task);
      return;
    }
    int[][] parents = dag.parents;
    CompletableFuture<?>[] futures = new CompletableFuture<?>[parents.length];
    CompletableFuture<Void> none = CompletableFuture.completedFuture(null);
    for (int i = 0; i < parents.length; i++) {
      int[] p = parents[i];
      CompletableFuture<?> ready;
      if (p.length == 0) {
        ready = none;
      } else if (p.length == 1) {
        ready = futures[p[0]];
      } else {
        CompletableFuture<?>[] ps = new CompletableFuture<?>[p.length];
        for (int k = 0; k < p.length; k++) {
          ps[k] = futures[p[k]];
        }
        ready = CompletableFuture.allOf(ps);
      }
      futures[i] = ready.thenComposeAsync(v -> work.start(task), executor);
    }
    joinSinks(dag, futures);
  }

  private static void joinSinks(Dag dag, CompletableFuture<?>[] futures) {
    int[] sinks = dag.sinks;
    if (sinks.length == 1) {
      futures[sinks[0]].join();
    } else {
      CompletableFuture<?>[] ends = new CompletableFuture<?>[sinks.length];
      for (int k = 0; k < sinks.length; k++) {
        ends[k] = futures[sinks[k]];
      }
      CompletableFuture.allOf(ends).join();
    }
  }

  /**
   * The peer: a new Dexecutor graph of the same dependencies, executed on {@code executor} (Dexecutor's own loop
   * runs on the calling thread and hands every task to the executor). Building the graph is part of the work, as
   * building the futures is for the baseline and building the run's task nodes is for the engine.
   */
  static ExecutionResults<Integer, Boolean> runDexecutor(Dag dag, ExecutorService executor,
      TaskProvider<Integer, Boolean> tasks) {
    DefaultDexecutor<Integer, Boolean> dexecutor = new DefaultDexecutor<>(new DexecutorConfig<>(executor, tasks));
    int[][] parents = dag.parents;
    for (int i = 0; i < parents.length; i++) {
      int[] p = parents[i];
      if (p.length == 0) {
        dexecutor.addIndependent(i);
      } else {
        for (int parent : p) {
          dexecutor.addDependency(parent, i);
        }
      }
    }
    return dexecutor.execute(ExecutionConfig.TERMINATING);
  }

  static ExecutionResults<Integer, Boolean> runDexecutor(Dag dag, ExecutorService executor) {
    return runDexecutor(dag, executor, NOOP_TASKS);
  }

  /** Dexecutor needs a task object per node; it keeps per-run state in it, so each call makes a new one. */
  static final TaskProvider<Integer, Boolean> NOOP_TASKS = id -> new NoopTask();

  /** Dexecutor's tasks with {@code work}'s mode: a Dexecutor task is synchronous, so async waits for the hop. */
  static TaskProvider<Integer, Boolean> noopTasks(NoopWork work, Runnable body) {
    return id -> new NoopTask(work, body);
  }

  static final class NoopTask extends Task<Integer, Boolean> {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable NoopWork work;
    private final transient Runnable body;

    NoopTask() {
      this.work = null;
      this.body = NOOP;
    }

    NoopTask(NoopWork work, Runnable body) {
      this.work = work.mode() == NoopWork.Mode.INLINE && body == NOOP ? null : work;
      this.body = body;
    }

    @Override
    public Boolean execute() {
      if (work == null) {
        body.run();
      } else {
        work.runAndWait(body);
      }
      return Boolean.TRUE;
    }
  }
}
