package dev.orchestrator.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A commit was made in the project's repository for a task: its result ({@code task}), the text it wrote to a file
 * ({@code output}), its branch merged into the run's branch ({@code merge}), or its work undone ({@code revert}, and
 * {@code reset} when a whole run's branch went back to its base). Written by version control
 * ({@code orchestrator-vcs}), one event per commit, so {@code orchestrator logs}, the dashboard and listeners see
 * which commits a task made and which files they changed.
 *
 * @param action {@code task}, {@code output}, {@code merge}, {@code revert} or {@code reset}
 * @param commit the commit's full id
 * @param branch the branch the commit is on, such as {@code orchestrator/<run>/<task>}
 * @param files the paths the commit changed, relative to the repository's root, in git's order
 * @since 0.1
 */
public record TaskCommittedEvent(String project, String runId, String taskId, Instant at, String action,
    String commit, String branch, List<String> files) implements TaskEvent {
  public TaskCommittedEvent {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(branch, "branch");
    files = List.copyOf(files);
  }
}
