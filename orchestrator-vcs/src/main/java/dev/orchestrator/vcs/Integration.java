package dev.orchestrator.vcs;

/**
 * What happens to a task's branch once it has its commit.
 *
 * @since 0.1
 */
public enum Integration {
  /**
   * Merge each task's branch into the run's branch ({@code orchestrator/<run>/@run}) when the task succeeds and,
   * again if that failed, when a dependant starts: a task with dependencies starts from the run's branch, so it sees
   * its parents' changes. A merge that conflicts makes the dependant wait for input with the conflict as its reason.
   */
  MERGE,
  /** Leave every task's branch for review: every task starts from the run's base commit and nothing is merged. */
  LEAVE
}
