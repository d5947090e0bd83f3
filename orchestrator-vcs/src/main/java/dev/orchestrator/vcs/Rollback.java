package dev.orchestrator.vcs;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a rollback did.
 *
 * @param runId the run
 * @param tasks the tasks whose commits were reverted (the one asked for first, then the later work a cascade took);
 *     empty for a run's rollback
 * @param branch the branch that was changed
 * @param commit the new commit on it (the revert), or the base commit the run's branch was reset to; null when
 *     there was nothing to undo
 * @param reverted the commits undone, newest first
 * @since 0.1
 */
public record Rollback(String runId, List<String> tasks, String branch, @Nullable String commit,
    List<String> reverted) {
  public Rollback {
    tasks = List.copyOf(tasks);
    reverted = List.copyOf(reverted);
  }
}
