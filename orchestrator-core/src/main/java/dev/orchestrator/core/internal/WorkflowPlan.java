package dev.orchestrator.core.internal;

import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What every run of a workflow shares, worked out once per {@link Workflow} instance instead of once per run: each
 * task's dependencies and dependants by position, the groups of tasks that name the same providers and task type
 * (they get the same candidates), and the definition the store keeps, written out on first use.
 *
 * <p>A workflow is immutable, so its plan never changes. Plans are cached by workflow identity and dropped with the
 * workflow; a plan never refers to its workflow, so the cache does not keep it alive. Thread-safe: the arrays are
 * never written after construction.
 */
final class WorkflowPlan {
  /** Weak keys by identity: {@link Workflow} keeps {@link Object#equals}. Guarded by itself. */
  private static final Map<Workflow, WorkflowPlan> PLANS = new WeakHashMap<>();

  private final int[][] dependencies;
  private final int[][] dependents;
  /** Per task, its candidate group: tasks of one group name the same providers and task type. */
  private final int[] group;
  /** Per group, the position of its first task. */
  private final int[] groupFirst;
  private volatile String definition;

  private WorkflowPlan(Workflow workflow) {
    List<TaskSpec> specs = workflow.tasks();
    int size = specs.size();
    dependencies = new int[size][];
    dependents = new int[size][];
    group = new int[size];
    int[] dependentCounts = new int[size];
    Map<List<Object>, Integer> groups = new HashMap<>();
    List<Integer> firsts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      TaskSpec spec = specs.get(i);
      List<String> deps = spec.dependsOn();
      int[] idx = deps.isEmpty() ? TaskNode.EMPTY : new int[deps.size()];
      for (int d = 0; d < idx.length; d++) {
        idx[d] = workflow.indexOf(deps.get(d));
        dependentCounts[idx[d]]++;
      }
      dependencies[i] = idx;
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
      dependents[i] = dependentCounts[i] == 0 ? TaskNode.EMPTY : new int[dependentCounts[i]];
      dependentCounts[i] = 0;
    }
    for (int i = 0; i < size; i++) {
      for (int d : dependencies[i]) {
        dependents[d][dependentCounts[d]++] = i;
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

  /** The positions of the task's dependencies, in the order it names them. Shared: never write it. */
  int[] dependencies(int task) {
    return dependencies[task];
  }

  /** The positions of the tasks that depend on the task, in workflow order. Shared: never write it. */
  int[] dependents(int task) {
    return dependents[task];
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

  /** The workflow's definition as the store keeps it; written on first use. */
  String definition(Workflow workflow) {
    String d = definition;
    if (d == null) {
      d = WorkflowCodec.write(workflow);
      definition = d;
    }
    return d;
  }
}
