package dev.orchestrator.notifiers;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/**
 * A notification configuration was rejected. The message lists every problem, each naming the field by its path
 * (such as {@code projects.blog.notifications.rules[1].notify[0]}), the value and the fix; secret values are never
 * quoted.
 */
public final class InvalidNotificationConfigException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** Creates the exception from one or more problems. */
  public InvalidNotificationConfigException(List<String> problems) {
    super("invalid notification configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}
