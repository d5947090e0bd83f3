package dev.orchestrator.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The projects paused in this engine, why, and the tasks each holds back in the order they were paused. */
final class ProjectPauses {
  /** Paused projects and why: read by any thread, written in the drain loop. */
  private final ConcurrentHashMap<String, String> reasons = new ConcurrentHashMap<>();
  /** Confined to the drain loop. */
  private final Map<String, List<TaskNode>> waiting = new HashMap<>();

  /** Why the project is paused, or null when it is not. */
  @Nullable String reason(String project) {
    return reasons.get(project);
  }

  Set<String> projects() {
    return reasons.keySet();
  }

  /** Marks the project paused; false when it was paused already. */
  boolean pause(String project, String reason) {
    return reasons.putIfAbsent(project, reason) == null;
  }

  /** Marks the project resumed and returns the tasks it held back, or null when it was not paused. */
  @Nullable List<TaskNode> resume(String project) {
    if (reasons.remove(project) == null) {
      return null;
    }
    List<TaskNode> held = waiting.remove(project);
    return held == null ? List.of() : held;
  }

  /** Where the project's held-back tasks wait. */
  List<TaskNode> waiting(String project) {
    return waiting.computeIfAbsent(project, k -> new ArrayList<>());
  }

  /** Forgets a held-back task (cancelled, or its run went elsewhere). */
  void remove(TaskNode n) {
    List<TaskNode> held = waiting.get(n.run.project);
    if (held != null) {
      held.remove(n);
    }
  }
}
