package dev.orchestrator;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception this library throws. Unchecked: callers catch the subclasses they can act on.
 *
 * <p>Messages name the offending value and the fix, for example
 * {@code "maxAttempts must be >= 1 (was 0)"}; subclasses carry the same facts as structured fields.
 *
 * @since 0.1
 */
public class OrchestratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the problem and the fix. */
  public OrchestratorException(String message) {
    super(message);
  }

  /** Creates an exception that keeps the underlying cause. */
  public OrchestratorException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
