package dev.orchestrator.vcs.internal;

/**
 * The names of a run's branches: normal branches under {@code orchestrator/<run>/}, visible to every git tool. Task
 * ids hold only letters, digits, '_' and '-', so the run's own two branches, which start with '@', never meet one.
 */
public final class Branches {
  /** The namespace of every branch this module makes. */
  public static final String PREFIX = "orchestrator/";

  private Branches() {}

  /** The branch pointing at the run's base commit: where every task started from, and where a rollback returns. */
  public static String base(String runId) {
    return PREFIX + runId + "/@base";
  }

  /** The run's branch, into which task branches are merged. */
  public static String run(String runId) {
    return PREFIX + runId + "/@run";
  }

  /** A task's branch. */
  public static String task(String runId, String taskId) {
    return PREFIX + runId + "/" + taskId;
  }

  /** The full ref of a branch. */
  public static String ref(String branch) {
    return "refs/heads/" + branch;
  }
}
