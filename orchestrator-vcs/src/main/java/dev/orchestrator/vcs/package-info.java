/**
 * Version control for tasks that change files, for application developers: {@link
 * dev.orchestrator.vcs.VersionControl} (a provider decorator: a git worktree and branch per task, a commit per result
 * with its cost in trailers, merging into the run's branch, rollback) and {@link dev.orchestrator.vcs.VcsSettings}
 * (a project's repository, integration policy and output files). See {@code docs/vcs.md}.
 */
@NullMarked
package dev.orchestrator.vcs;

import org.jspecify.annotations.NullMarked;
