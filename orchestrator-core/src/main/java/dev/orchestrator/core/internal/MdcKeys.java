package dev.orchestrator.core.internal;

/** The MDC keys the engine sets around provider calls, in one place. */
public final class MdcKeys {
  /** The project of the task being called. */
  public static final String PROJECT = "orchestrator.project";
  /** The run. */
  public static final String RUN = "orchestrator.run";
  /** The task. */
  public static final String TASK = "orchestrator.task";

  private MdcKeys() {}
}
