package dev.orchestrator.templates;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/**
 * The values given to {@link Template#instantiate(java.util.Map)} were rejected: a required parameter is
 * missing, a value does not have the declared type or breaks a constraint, or a name is not a parameter of the
 * template. Each problem names the parameter, the value and the expected type. Nothing was built.
 */
public final class InvalidParameterException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String template;
  private final List<String> problems;

  /**
   * @param template the template's id
   * @param problems one sentence per problem, never empty
   */
  public InvalidParameterException(String template, List<String> problems) {
    super(Messages.list("parameters of template '" + template + "' are invalid", problems));
    this.template = template;
    this.problems = List.copyOf(problems);
  }

  /** The id of the template being instantiated. */
  public String template() {
    return template;
  }

  /** Every problem found, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
