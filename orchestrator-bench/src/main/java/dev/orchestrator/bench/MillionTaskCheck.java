package dev.orchestrator.bench;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.workflow.Workflow;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import javax.management.ObjectName;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs a 1,000,000-task layered DAG (1,000 layers of 1,000 no-op tasks, 3 random parents each in the
 * layer before, seed 42) through the engine, and prints how long it took and how much heap it needed. The target is
 * that it completes with {@code -Xmx512m}:
 *
 * <pre>{@code java -Xmx512m -cp orchestrator-bench/target/benchmarks.jar dev.orchestrator.bench.MillionTaskCheck}</pre>
 *
 * <p>Arguments (optional): {@code layers width fanIn}. With {@code -Dorchestrator.bench.histogram=N} it prints the
 * top N classes of a live-heap histogram (the same as {@code jcmd <pid> GC.class_histogram}) after the workflow is
 * built and after the run has finished, to see which structures the memory goes to.
 *
 * <p>Exit status 0 when the run succeeded, 1 otherwise, 3 when an {@link OutOfMemoryError} reached a thread's
 * uncaught-exception handler (the JVM prints it first). Not a test: run it by hand.
 */
public final class MillionTaskCheck {
  private MillionTaskCheck() {}

  public static void main(String[] args) throws Exception {
    // An OutOfMemoryError on the dispatch thread kills the drain loop and the run would never complete: stop at once.
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      try {
        System.err.println("Exception in thread \"" + thread.getName() + "\" " + error);
      } finally {
        if (error instanceof OutOfMemoryError) {
          Runtime.getRuntime().halt(3);
        }
      }
    });
    int layers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int width = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int fanIn = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.printf(Locale.ROOT, "layered DAG: %,d layers x %,d tasks, %d parents each; max heap %,d MB; %s %s%n",
        layers, width, fanIn, maxHeap >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"));

    HeapSampler sampler = new HeapSampler();
    sampler.start();

    long t0 = System.nanoTime();
    Dag dag = Dag.layered(layers, width, fanIn, 42);
    long t1 = System.nanoTime();
    Workflow workflow = dag.toWorkflow();
    long t2 = System.nanoTime();
    report("graph", t1 - t0, sampler);
    report("Workflow.build", t2 - t1, sampler);
    dag = null; // only the workflow is needed from here on
    histogram("after Workflow.build (live: the workflow)");

    RunSnapshot result;
    long t3;
    long t4;
    long t5;
    try (Orchestrator orchestrator = Orchestrator.builder()
        .provider(new NoopProvider(), Runners.MAX_CONCURRENT_CALLS)
        .store(InMemoryStore.withEventCapacity(Runners.EVENT_CAPACITY))
        .build()) {
      t3 = System.nanoTime();
      var run = orchestrator.submit("million", workflow);
      t4 = System.nanoTime();
      report("submit", t4 - t3, sampler);
      result = run.completion().get(10, TimeUnit.MINUTES);
      t5 = System.nanoTime();
      report("run (submit to completion)", t5 - t3, sampler);
      histogram("after completion (live: workflow + finished run held by the orchestrator)");
      long live = liveHeapAfterGc();
      System.out.printf(Locale.ROOT, "live heap after GC, run still held by the orchestrator: %,d MB%n", live >> 20);
    }
    sampler.stop();
    long tasks = result.tasks().size();
    boolean ok = result.status() == RunStatus.SUCCEEDED && tasks == (long) layers * width;
    System.out.printf(Locale.ROOT, "status %s, %,d tasks, %.2f us per task (submit to completion)%n",
        result.status(), tasks, (t5 - t3) / 1e3 / tasks);
    System.out.printf(Locale.ROOT, "peak heap used (sampled every 10 ms): %,d MB; sum of heap pools' peaks: %,d MB%n",
        sampler.peak >> 20, poolPeaks() >> 20);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      System.out.printf(Locale.ROOT, "gc %s: %d collections, %,d ms%n", gc.getName(), gc.getCollectionCount(),
          gc.getCollectionTime());
    }
    System.out.printf(Locale.ROOT, "total elapsed %.1f s: %s%n", (System.nanoTime() - t0) / 1e9,
        ok ? "OK" : "FAILED");
    System.exit(ok ? 0 : 1);
  }

  private static void report(String phase, long nanos, HeapSampler sampler) {
    System.out.printf(Locale.ROOT, "%-28s %8.2f s   heap used now %,5d MB, peak so far %,5d MB%n", phase, nanos / 1e9,
        used() >> 20, sampler.peak >> 20);
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static long liveHeapAfterGc() {
    System.gc();
    return used();
  }

  private static final int HISTOGRAM_LINES = Integer.getInteger("orchestrator.bench.histogram", 0);

  /** Prints the top of a live-object histogram through the DiagnosticCommand MBean (it forces a full GC). */
  private static void histogram(String when) throws Exception {
    if (HISTOGRAM_LINES <= 0) {
      return;
    }
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    String[] lines = text.split("\n");
    System.out.println("---- live heap histogram " + when);
    for (int i = 0; i < Math.min(lines.length, HISTOGRAM_LINES + 3); i++) {
      System.out.println(lines[i]);
    }
    System.out.println(lines[lines.length - 1]);
  }

  private static long poolPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Samples the used heap every 10 ms; the peak is an approximation (a spike shorter than 10 ms is missed). */
  private static final class HeapSampler {
    volatile long peak;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heap-sampler");
      t.setDaemon(true);
      return t;
    });

    void start() {
      timer.scheduleAtFixedRate(() -> {
        long u = used();
        if (u > peak) {
          peak = u;
        }
      }, 0, 10, TimeUnit.MILLISECONDS);
    }

    void stop() {
      timer.shutdownNow();
    }
  }
}
