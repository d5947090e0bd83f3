package dev.orchestrator.core.internal;

import dev.orchestrator.run.Run;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The shadow comparisons an engine started and has not seen finish, and those sampled a moment ago that are about to
 * start, so that a process about to end can wait for them ({@code Orchestrator.shadowComparisons}). Thread-safe.
 */
final class Comparisons implements Shadows.Starter {
  /** Submits a run executed by this engine. */
  interface Submit {
    Run submit(String project, Workflow workflow, Map<String, String> params);
  }

  private final Submit submit;
  private final Set<Run> running = ConcurrentHashMap.newKeySet();
  /** Sampled and neither started nor given up yet; guarded by {@code this}. */
  private int starting;

  Comparisons(Submit submit) {
    this.submit = submit;
  }

  @Override
  public synchronized void sampled() {
    starting++;
  }

  @Override
  public String start(String project, Workflow workflow, Map<String, String> params) {
    Run run = submit.submit(project, workflow, params);
    running.add(run);
    run.completion().whenComplete((done, error) -> running.remove(run));
    return run.id();
  }

  @Override
  public synchronized void settled() {
    starting--;
    notifyAll();
  }

  /** The comparisons not finished, once those about to start have started (waiting at most {@code wait}). */
  synchronized List<Run> await(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    for (long left = wait.toNanos(); starting > 0 && left > 0; left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(running);
  }
}
