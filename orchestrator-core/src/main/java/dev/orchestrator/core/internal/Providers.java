package dev.orchestrator.core.internal;

import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The configured provider instances ({@link Slot}s) and how a task picks among them: its candidates, its reviewers,
 * the first available one, the next one to fail over to. Immutable after construction; the slots themselves are
 * confined to the drain loop.
 */
final class Providers {
  private static final Slot[] NO_SLOTS = new Slot[0];

  private final Map<String, Slot> slots;
  private final Slot[] slotArray;
  private final @Nullable String defaultProvider;

  /** @param slots by lower-case name, in configuration order */
  Providers(Map<String, Slot> slots, @Nullable String defaultProvider) {
    this.slots = slots;
    this.slotArray = slots.values().toArray(new Slot[0]);
    this.defaultProvider = defaultProvider;
  }

  /** Every slot, in configuration order. */
  Slot[] all() {
    return slotArray;
  }

  Set<String> names() {
    return slots.keySet();
  }

  boolean contains(String name) {
    return slots.containsKey(name);
  }

  /** The slot of a provider named by a caller; an error naming the configured ones when there is none. */
  Slot slot(String name) {
    Objects.requireNonNull(name, "name");
    Slot slot = slots.get(name.toLowerCase(Locale.ROOT));
    if (slot == null) {
      throw new IllegalArgumentException("there is no provider '" + name + "' (configured: " + slots.keySet() + ")");
    }
    return slot;
  }

  /** The task's reviewers in order; empty without a review, and a problem for each unknown one. */
  Slot[] reviewers(TaskSpec spec, List<String> problems) {
    Review review = spec.review();
    if (review == null) {
      return NO_SLOTS;
    }
    List<Slot> out = new ArrayList<>();
    for (String name : review.reviewers()) {
      Slot s = slots.get(name);
      if (s == null) {
        problems.add("task '" + spec.id() + "' names reviewer '" + name + "', which is not configured (configured: "
            + slots.keySet() + "): configure it or fix the name");
      } else {
        out.add(s);
      }
    }
    return out.toArray(new Slot[0]);
  }

  /**
   * The task's candidates: its providers in order, then those declaring its task type; for an
   * {@link TaskSpec#autoProvider() auto} task its providers alone, or every instance (the default one first) when it
   * lists none. Null with a problem.
   */
  Slot @Nullable [] candidates(TaskSpec spec, List<String> problems) {
    List<Slot> out = new ArrayList<>(2);
    if (spec.autoProvider() && spec.providers().isEmpty()) {
      if (defaultProvider != null) {
        out.add(slots.get(defaultProvider));
      }
      for (Slot s : slotArray) {
        if (!out.contains(s)) {
          out.add(s);
        }
      }
      return out.isEmpty() ? null : out.toArray(new Slot[0]);
    }
    if (spec.providers().isEmpty()) {
      if (defaultProvider != null) {
        out.add(slots.get(defaultProvider));
      } else if (slots.size() == 1) {
        out.add(slotArray[0]);
      } else {
        problems.add("task '" + spec.id() + "' names no provider and there is no default among " + slots.keySet()
            + ": call provider(...) on the task or defaultProvider(...) on the orchestrator");
        return null;
      }
    }
    for (String name : spec.providers()) {
      Slot s = slots.get(name.toLowerCase(Locale.ROOT));
      if (s == null) {
        problems.add("task '" + spec.id() + "' names provider '" + name + "', which is not configured (configured: "
            + slots.keySet() + "): configure it or fix the name");
      } else {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    if (spec.autoProvider()) {
      return out.toArray(new Slot[0]);
    }
    for (Slot s : slotArray) {
      if (!out.contains(s) && s.taskTypes.contains(spec.taskType())) {
        out.add(s);
      }
    }
    return out.toArray(new Slot[0]);
  }

  /**
   * The candidates of each of the plan's groups of tasks (see {@link #candidates(TaskSpec, List)}), or null when the
   * providers of any task are wrong: then ask task by task for the problems.
   */
  Slot @Nullable [][] candidates(Workflow workflow, WorkflowPlan plan) {
    Slot[][] out = new Slot[plan.groups()][];
    List<String> problems = new ArrayList<>(0);
    for (int g = 0; g < out.length; g++) {
      out[g] = candidates(workflow.tasks().get(plan.firstOf(g)), problems);
      if (out[g] == null || !problems.isEmpty()) {
        return null;
      }
    }
    return out;
  }

  /** The first candidate that is neither paused nor open, other than {@code except}, or null. */
  static @Nullable Slot firstAvailable(TaskNode n, @Nullable Slot except) {
    for (Slot c : n.candidates()) {
      if (c != except && c.available()) {
        return c;
      }
    }
    return null;
  }

  /** The next candidate after the current one, preferring available ones; null when there is no other. */
  static @Nullable Slot nextCandidate(TaskNode n) {
    Slot[] c = n.candidates();
    if (c.length < 2) {
      return null;
    }
    int at = Arrays.asList(c).indexOf(n.slot);
    for (int i = 1; i < c.length; i++) {
      Slot s = c[(at + i) % c.length];
      if (s.available()) {
        return s;
      }
    }
    return c[(at + 1) % c.length];
  }
}
