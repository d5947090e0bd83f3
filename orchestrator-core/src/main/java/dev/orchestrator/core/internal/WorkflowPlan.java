package dev.orchestrator.core.internal;

import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What every run of a workflow shares, worked out once per {@link Workflow} instance instead of once per run: each
 * task's dependants by position (its dependencies the workflow resolved already), the groups of tasks that name the
 * same providers and task type (they get the same candidates), and the definition the store keeps, written out on
 * first use.
 *
 * <p>A workflow is immutable, so its plan never changes. Plans are cached by workflow identity and dropped with the
 * workflow; a plan never refers to its workflow, so the cache does not keep it alive. Thread-safe: the arrays are
 * never written after construction.
 */
final class WorkflowPlan {
  /** Weak keys by identity: {@link Workflow} keeps {@link Object#equals}. Guarded by itself. */
  private static final Map<Workflow, WorkflowPlan> PLANS = new WeakHashMap<>();

  /**
   * The dependants of task {@code i} are {@code dependentEdges[dependentStart[i] .. dependentStart[i + 1])}, in
   * workflow order: two arrays for the whole workflow rather than one per task, 16 bytes a task for three dependants
   * instead of about 32.
   */
  private final int[] dependentStart;
  private final int[] dependentEdges;
  /** Per task, its candidate group: tasks of one group name the same providers and task type. */
  private final int[] group;
  /** Per group, the position of its first task. */
  private final int[] groupFirst;
  /** Softly held: the text of a large workflow is as large as the workflow, and is written again if dropped. */
  private volatile SoftReference<String> definition = new SoftReference<>(null);

  private WorkflowPlan(Workflow workflow) {
    List<TaskSpec> specs = workflow.tasks();
    int size = specs.size();
    group = new int[size];
    dependentStart = new int[size + 1];
    int edges = 0;
    Map<List<Object>, Integer> groups = new HashMap<>();
    List<Integer> firsts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      TaskSpec spec = specs.get(i);
      for (int k = 0, count = workflow.dependencyCount(i); k < count; k++) {
        dependentStart[workflow.dependency(i, k) + 1]++;
        edges++;
      }
      List<Object> key = List.of(spec.providers(), spec.taskType());
      Integer g = groups.get(key);
      if (g == null) {
        g = firsts.size();
        groups.put(key, g);
        firsts.add(i);
      }
      group[i] = g;
    }
    for (int i = 0; i < size; i++) {
      dependentStart[i + 1] += dependentStart[i];
    }
    dependentEdges = new int[edges];
    int[] filled = new int[size];
    for (int i = 0; i < size; i++) {
      for (int k = 0, count = workflow.dependencyCount(i); k < count; k++) {
        int dep = workflow.dependency(i, k);
        dependentEdges[dependentStart[dep] + filled[dep]++] = i;
      }
    }
    groupFirst = firsts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The plan of {@code workflow}, worked out on its first run. */
  static WorkflowPlan of(Workflow workflow) {
    synchronized (PLANS) {
      WorkflowPlan plan = PLANS.get(workflow);
      if (plan != null) {
        return plan;
      }
    }
    WorkflowPlan plan = new WorkflowPlan(workflow); // outside the lock: a large workflow takes a while
    synchronized (PLANS) {
      WorkflowPlan raced = PLANS.putIfAbsent(workflow, plan);
      return raced != null ? raced : plan;
    }
  }

  int dependentCount(int task) {
    return dependentStart[task + 1] - dependentStart[task];
  }

  /** The position of the {@code k}th task that depends on the task, in workflow order. */
  int dependent(int task, int k) {
    return dependentEdges[dependentStart[task] + k];
  }

  /** The task's candidate group. */
  int group(int task) {
    return group[task];
  }

  int groups() {
    return groupFirst.length;
  }

  /** The position of the first task of a group: the one whose providers and type stand for the group's. */
  int firstOf(int group) {
    return groupFirst[group];
  }

  /** The workflow's definition as the store keeps it; written on first use, and again if memory ran short. */
  String definition(Workflow workflow) {
    String d = definition.get();
    if (d == null) {
      d = WorkflowCodec.write(workflow);
      definition = new SoftReference<>(d);
    }
    return d;
  }
}
