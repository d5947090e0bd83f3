package dev.orchestrator.cli.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.store.jdbc.StoreUnavailableException;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.TemplateNotFoundException;
import dev.orchestrator.workflow.InvalidWorkflowException;
import org.jspecify.annotations.Nullable;

/** Maps any failure to one line and an exit code. */
final class Errors {
  private Errors() {}

  /**
   * The store's plain refusal behind a failure, however deep (the engine may wrap a store call that stayed busy), or
   * null.
   */
  private static @Nullable StoreUnavailableException storeRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StoreUnavailableException s) {
        return s;
      }
    }
    return null;
  }

  /** The exit code of a failure. */
  static int exitCode(Throwable t) {
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    StoreUnavailableException refused = storeRefusal(t);
    if (refused != null) {
      return Stores.refusal(refused).exitCode();
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
    StoreUnavailableException refused = t instanceof CliException ? null : storeRefusal(t);
    String m = refused != null ? Stores.refusal(refused).getMessage() : t.getMessage();
    if (m == null || m.isBlank()) {
      return Messages.get("unexpected", t.getClass().getName());
    }
    // One line: a multi-line message (a list of problems) is joined.
    // One line, and a pasted value (quoted in the message) shown by its start and length.
    return Texts.cutQuoted(String.join(" ", m.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
        .toList()));
  }
}
