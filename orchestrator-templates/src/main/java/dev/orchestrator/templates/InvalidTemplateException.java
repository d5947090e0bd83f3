package dev.orchestrator.templates;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/**
 * A template document was rejected when it was loaded: it is not valid JSON, breaks the format, or uses a
 * placeholder that names no parameter. Nothing was loaded. {@link #problems()} lists every problem found, each
 * naming the field, the value and the fix.
 */
public final class InvalidTemplateException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final List<String> problems;

  /**
   * @param location where the document came from (a file, a class path resource, {@code <string>})
   * @param problems one sentence per problem, never empty
   */
  public InvalidTemplateException(String location, List<String> problems) {
    super(Messages.list("template " + location + " is invalid", problems));
    this.location = location;
    this.problems = List.copyOf(problems);
  }

  /** Where the rejected document came from. */
  public String location() {
    return location;
  }

  /** Every problem found, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
