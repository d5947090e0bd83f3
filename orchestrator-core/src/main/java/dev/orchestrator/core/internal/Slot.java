package dev.orchestrator.core.internal;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.provider.AiProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One provider instance as the dispatcher sees it: its concurrency limit, its calls in flight, and per project the
 * three FIFO lanes of tasks that wait for it. Projects with waiting tasks take turns.
 *
 * <p>Confined to the engine's drain loop: no field is touched from another thread.
 */
final class Slot {
  final AiProvider provider;
  final String name;
  final int limit;
  final @Nullable RetryPolicy retry;
  final CircuitBreakerPolicy breakerPolicy;
  final RateLimit rate;
  final Set<String> taskTypes;
  int inFlight;

  /** What the engine last learned of the provider's breaker and rate window: {@link Resilience}'s alone. */
  Resilience.Circuit circuit;

  boolean paused;
  @Nullable String pauseReason;
  final List<TaskNode> pausedNodes = new ArrayList<>();
  /** Tasks waiting out a retry's backoff before their next call here, in the order they failed. */
  final java.util.LinkedHashSet<TaskNode> retrying = new java.util.LinkedHashSet<>();
  private final Map<String, Lanes> byProject = new HashMap<>();
  /** The projects with waiting tasks, in turn order. */
  private final ArrayDeque<Lanes> rotation = new ArrayDeque<>();

  Slot(AiProvider provider, String name, int limit, @Nullable RetryPolicy retry, CircuitBreakerPolicy breakerPolicy,
      RateLimit rate, Set<String> taskTypes) {
    this.provider = provider;
    this.name = name;
    this.limit = limit;
    this.retry = retry;
    this.breakerPolicy = breakerPolicy;
    this.rate = rate;
    this.taskTypes = Set.copyOf(taskTypes);
  }

  /** Told when aging moves a task up a lane. */
  interface Booster {
    void boosted(TaskNode node, int fromLane, int toLane);
  }

  boolean hasWork() {
    return !rotation.isEmpty();
  }

  /** Whether new work may be routed here: not paused and the circuit not open. */
  boolean available() {
    return !paused && !circuit.isOpen();
  }

  /** The queued tasks of one project, highest lane first; the others keep their places. */
  List<TaskNode> removeProject(String project) {
    List<TaskNode> out = new ArrayList<>();
    Lanes lanes = byProject.get(project);
    if (lanes != null && lanes.size > 0) {
      lanes.drainTo(out);
      if (lanes.inRotation) {
        lanes.inRotation = false;
        rotation.remove(lanes);
      }
    }
    return out;
  }

  /** Every queued task, highest lane first, each lane in order; the lanes are left empty. */
  List<TaskNode> removeAll() {
    List<TaskNode> out = new ArrayList<>();
    for (Lanes lanes : rotation) {
      lanes.drainTo(out);
      lanes.inRotation = false;
    }
    rotation.clear();
    return out;
  }

  void enqueue(TaskNode node, long now) {
    Lanes lanes = byProject.computeIfAbsent(node.run.project, Lanes::new);
    lanes.add(node, now);
    if (!lanes.inRotation) {
      lanes.inRotation = true;
      rotation.addLast(lanes);
    }
  }

  void remove(TaskNode node) {
    Lanes lanes = byProject.get(node.run.project);
    if (lanes != null && lanes.remove(node) && lanes.size == 0 && lanes.inRotation) {
      lanes.inRotation = false;
      rotation.remove(lanes);
    }
  }

  /**
   * Puts a task just {@link #take taken} back where it was: at the head of its lane, its project's turn next, its
   * waiting time kept.
   */
  void putBack(TaskNode node) {
    Lanes lanes = byProject.computeIfAbsent(node.run.project, Lanes::new);
    lanes.putBack(node);
    if (lanes.inRotation) {
      rotation.remove(lanes);
    }
    lanes.inRotation = true;
    rotation.addFirst(lanes);
  }

  /**
   * Takes the next task: the project whose turn it is gives the head of its highest non-empty lane, after moving up
   * every task that waited longer than {@code boostMillis}.
   */
  TaskNode take(long now, long boostMillis, Booster booster) {
    Lanes lanes = rotation.pollFirst();
    TaskNode node = lanes.take(now, boostMillis, booster);
    if (lanes.size > 0) {
      rotation.addLast(lanes);
    } else {
      lanes.inRotation = false;
    }
    return node;
  }

  /** Three FIFO lanes of one project; lane 0 is HIGH. The head of each lane is its longest-waiting task. */
  static final class Lanes {
    final String project;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<TaskNode>[] lanes = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>(),
        new ArrayDeque<>()};
    int size;
    boolean inRotation;

    Lanes(String project) {
      this.project = project;
    }

    void add(TaskNode node, long now) {
      node.laneSince = now;
      lanes[node.lane].addLast(node);
      size++;
    }

    void putBack(TaskNode node) {
      lanes[node.lane].addFirst(node);
      size++;
    }

    void drainTo(List<TaskNode> out) {
      for (ArrayDeque<TaskNode> q : lanes) {
        out.addAll(q);
        q.clear();
      }
      size = 0;
    }

    boolean remove(TaskNode node) {
      if (lanes[node.lane].removeFirstOccurrence(node)) {
        size--;
        return true;
      }
      return false;
    }

    TaskNode take(long now, long boostMillis, Booster booster) {
      // Aging costs O(1) per promoted task: a lane is FIFO by the time its tasks entered it, so once its head has
      // not waited long enough, nothing behind it has either. Lower lanes first, so a task moves one lane per interval.
      for (int lane = 1; lane <= 2; lane++) {
        ArrayDeque<TaskNode> q = lanes[lane];
        TaskNode head;
        while ((head = q.peekFirst()) != null && now - head.laneSince >= boostMillis) {
          q.pollFirst();
          head.lane = lane - 1;
          head.laneSince = now;
          lanes[lane - 1].addLast(head);
          booster.boosted(head, lane, lane - 1);
        }
      }
      for (ArrayDeque<TaskNode> q : lanes) {
        TaskNode node = q.pollFirst();
        if (node != null) {
          size--;
          return node;
        }
      }
      throw new IllegalStateException("take() on empty lanes of project " + project);
    }
  }
}
