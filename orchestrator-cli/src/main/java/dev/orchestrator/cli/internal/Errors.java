package dev.orchestrator.cli.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.TemplateNotFoundException;
import dev.orchestrator.workflow.InvalidWorkflowException;

/** Maps any failure to one line and an exit code. */
final class Errors {
  private Errors() {}

  /** The exit code of a failure. */
  static int exitCode(Throwable t) {
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    if (t instanceof TemplateNotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (t instanceof InvalidWorkflowException || t instanceof InvalidParameterException
        || t instanceof InvalidTemplateException || t instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (t instanceof IllegalStateException) {
      return ExitCodes.REFUSED;
    }
    if (t instanceof OrchestratorException) {
      return ExitCodes.CONFIG;
    }
    return ExitCodes.INTERNAL;
  }

  /** The one line to print: the message, or the class name when there is none. */
  static String line(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return Messages.get("unexpected", t.getClass().getName());
    }
    // One line: a multi-line message (a list of problems) is joined.
    return String.join(" ", m.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }
}
