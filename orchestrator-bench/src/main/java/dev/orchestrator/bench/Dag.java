package dev.orchestrator.bench;

import dev.orchestrator.workflow.Workflow;
import java.util.Random;

/**
 * A benchmark graph, independent of any executor: task {@code i} waits for the tasks in {@code parents[i]}, and
 * tasks are numbered in a topological order (every parent has a smaller index). The same instance is turned into an
 * Orchestrator {@link Workflow}, a web of {@code CompletableFuture}s and a Dexecutor graph, so the three run exactly
 * the same dependencies.
 *
 * <p>Immutable after construction; not for use outside the benchmarks.
 */
final class Dag {
  final String name;
  final int[][] parents;
  /** The tasks nobody depends on: joining them means the whole graph has run. */
  final int[] sinks;
  /** Task ids as the workflow names them: {@code t0, t1, ...}. */
  final String[] ids;

  private Dag(String name, int[][] parents) {
    this.name = name;
    this.parents = parents;
    boolean[] hasChild = new boolean[parents.length];
    for (int i = 0; i < parents.length; i++) {
      for (int p : parents[i]) {
        if (p >= i) {
          throw new IllegalArgumentException("task " + i + " depends on " + p + ": parents must come first");
        }
        hasChild[p] = true;
      }
    }
    int count = 0;
    for (boolean b : hasChild) {
      count += b ? 0 : 1;
    }
    sinks = new int[count];
    for (int i = 0, k = 0; i < parents.length; i++) {
      if (!hasChild[i]) {
        sinks[k++] = i;
      }
    }
    ids = new String[parents.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "t" + i;
    }
  }

  int size() {
    return parents.length;
  }

  int edges() {
    int e = 0;
    for (int[] p : parents) {
      e += p.length;
    }
    return e;
  }

  /** {@code t0 <- t1 <- ... <- t(n-1)}: no parallelism at all, every task waits for the one before. */
  static Dag chain(int n) {
    int[][] parents = new int[n][];
    parents[0] = new int[0];
    for (int i = 1; i < n; i++) {
      parents[i] = new int[] {i - 1};
    }
    return new Dag("chain-" + n, parents);
  }

  /** {@code n} tasks without dependencies. */
  static Dag independent(int n) {
    int[][] parents = new int[n][];
    for (int i = 0; i < n; i++) {
      parents[i] = new int[0];
    }
    return new Dag("independent-" + n, parents);
  }

  /**
   * {@code layers} layers of {@code width} tasks; every task after the first layer depends on {@code fanIn} distinct
   * tasks of the layer before, chosen by a {@link Random} with a fixed seed (the same graph on every run).
   */
  static Dag layered(int layers, int width, int fanIn, long seed) {
    if (fanIn > width) {
      throw new IllegalArgumentException("fanIn " + fanIn + " > width " + width);
    }
    Random random = new Random(seed);
    int[][] parents = new int[layers * width][];
    for (int i = 0; i < width; i++) {
      parents[i] = new int[0];
    }
    for (int layer = 1; layer < layers; layer++) {
      int previous = (layer - 1) * width;
      for (int j = 0; j < width; j++) {
        int[] p = new int[fanIn];
        for (int k = 0; k < fanIn; k++) {
          int candidate;
          do {
            candidate = previous + random.nextInt(width);
          } while (contains(p, k, candidate));
          p[k] = candidate;
        }
        java.util.Arrays.sort(p);
        parents[layer * width + j] = p;
      }
    }
    return new Dag("layered-" + layers + "x" + width, parents);
  }

  /** One source, {@code width} tasks that wait for it, and one sink that waits for all of them. */
  static Dag diamond(int width) {
    int[][] parents = new int[width + 2][];
    parents[0] = new int[0];
    for (int i = 1; i <= width; i++) {
      parents[i] = new int[] {0};
    }
    int[] all = new int[width];
    for (int i = 0; i < width; i++) {
      all[i] = i + 1;
    }
    parents[width + 1] = all;
    return new Dag("diamond-" + width, parents);
  }

  private static boolean contains(int[] a, int length, int value) {
    for (int i = 0; i < length; i++) {
      if (a[i] == value) {
        return true;
      }
    }
    return false;
  }

  /** The graph as a workflow of no-op tasks (instructions {@code "x"}, no placeholders, the default provider). */
  Workflow toWorkflow() {
    Workflow.Builder b = Workflow.builder(name);
    for (int i = 0; i < parents.length; i++) {
      int[] p = parents[i];
      String[] deps = new String[p.length];
      for (int k = 0; k < p.length; k++) {
        deps[k] = ids[p[k]];
      }
      b.task(ids[i], t -> t.instructions("x").dependsOn(deps));
    }
    return b.build();
  }

  /**
   * The tasks by depth: level 0 holds the tasks without parents, level {@code k} the tasks whose deepest parent is at
   * level {@code k - 1}. Libraries that only know sequences of parallel groups run these levels one after the other.
   */
  int[][] levels() {
    int[] depth = new int[parents.length];
    int max = 0;
    for (int i = 0; i < parents.length; i++) {
      int d = 0;
      for (int p : parents[i]) {
        d = Math.max(d, depth[p] + 1);
      }
      depth[i] = d;
      max = Math.max(max, d);
    }
    int[] counts = new int[max + 1];
    for (int d : depth) {
      counts[d]++;
    }
    int[][] levels = new int[max + 1][];
    for (int d = 0; d <= max; d++) {
      levels[d] = new int[counts[d]];
    }
    int[] fill = new int[max + 1];
    for (int i = 0; i < parents.length; i++) {
      levels[depth[i]][fill[depth[i]]++] = i;
    }
    return levels;
  }

  /**
   * Whether running {@link #levels()} one after the other, each level waiting for the whole level before it, is
   * exactly this graph: true when every task after the first level depends on every task of the level before
   * (a chain, independent tasks, a diamond), false when it only approximates it with a barrier per level (the
   * layered graph, whose tasks wait for 3 tasks of the layer before, not all of them).
   */
  boolean levelsAreExact() {
    int[][] levels = levels();
    for (int d = 1; d < levels.length; d++) {
      int[] before = levels[d - 1];
      for (int i : levels[d]) {
        if (parents[i].length != before.length) {
          return false;
        }
        int[] p = parents[i].clone();
        java.util.Arrays.sort(p);
        int[] b = before.clone();
        java.util.Arrays.sort(b);
        if (!java.util.Arrays.equals(p, b)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name + " (" + size() + " tasks, " + edges() + " edges)";
  }
}
