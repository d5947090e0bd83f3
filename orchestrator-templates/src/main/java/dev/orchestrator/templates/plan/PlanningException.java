package dev.orchestrator.templates.plan;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/**
 * No valid plan could be made for a request: nothing in it could be planned, every step asked for something a plan
 * may not do, or a provider's answer stayed invalid after it was asked once more. {@link #problems()} lists why,
 * each naming what to change.
 *
 * @since 0.1
 */
public final class PlanningException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param message what failed, in one sentence
   * @param problems the reasons, possibly empty
   */
  public PlanningException(String message, List<String> problems) {
    super(problems.isEmpty() ? message : message + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The reasons, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
