package dev.orchestrator.workflow;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/**
 * A workflow, its tasks or the values given to it at submission were rejected. Nothing was built or
 * submitted. {@link #problems()} lists every problem found, each naming the field, the value and the fix.
 *
 * @since 0.1
 */
public final class InvalidWorkflowException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String workflow;
  private final List<String> problems;

  /**
   * @param workflow the workflow's name
   * @param problems one sentence per problem, never empty
   */
  public InvalidWorkflowException(String workflow, List<String> problems) {
    super(message(workflow, problems));
    this.workflow = workflow;
    this.problems = List.copyOf(problems);
  }

  private static String message(String workflow, List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    if (problems.size() == 1) {
      return "workflow '" + workflow + "' is invalid: " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder("workflow '").append(workflow).append("' is invalid (")
        .append(problems.size()).append(" problems):");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }

  /** The name of the rejected workflow. */
  public String workflow() {
    return workflow;
  }

  /** Every problem found, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
