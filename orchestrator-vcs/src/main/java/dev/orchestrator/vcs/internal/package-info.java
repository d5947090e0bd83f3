/**
 * Version control's own workings: the {@code git} command, branch names, worktrees, commits. No compatibility
 * promise: for use by {@code orchestrator-vcs} and the command line only.
 */
@NullMarked
package dev.orchestrator.vcs.internal;

import org.jspecify.annotations.NullMarked;
