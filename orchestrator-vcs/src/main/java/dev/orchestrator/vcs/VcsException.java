package dev.orchestrator.vcs;

import dev.orchestrator.OrchestratorException;
import org.jspecify.annotations.Nullable;

/**
 * Version control refused or failed an operation: a repository that is not one, a path that leaves the repository, a
 * rollback that later work depends on, a working tree with changes of its own, or a {@code git} command that failed
 * (its message then carries git's own words and the command).
 *
 * @since 0.1
 */
public class VcsException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message names the problem and the fix. */
  public VcsException(String message) {
    super(message);
  }

  /** An exception whose message names the problem and the fix, with its cause. */
  public VcsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
