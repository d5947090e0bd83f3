package dev.orchestrator.templates.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What the offline planner tells the reader besides the template: what it assumed, what it did not understand and
 * what it refused, each in the order found. One per {@link OfflinePlanner#plan} call; not thread-safe.
 */
final class PlanNotes {
  private final List<String> assumptions = new ArrayList<>();
  private final List<String> notUnderstood = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();

  void assumption(String sentence) {
    assumptions.add(sentence);
  }

  void notUnderstood(String sentence) {
    notUnderstood.add(sentence);
  }

  void refused(String sentence) {
    refused.add(sentence);
  }

  /** The refusals so far, in order (a view). */
  List<String> refusals() {
    return refused;
  }

  /** Copies the notes, in order, to {@code plan}. */
  WorkflowPlan.Builder addTo(WorkflowPlan.Builder plan) {
    assumptions.forEach(plan::assumption);
    notUnderstood.forEach(plan::notUnderstood);
    refused.forEach(plan::refused);
    return plan;
  }
}
