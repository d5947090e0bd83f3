package dev.orchestrator.core.internal;

/**
 * One step of the {@link CallPipeline}: work done on a {@link Call} before the provider is called, after it ended, or
 * both. The pipeline runs every step's {@link #before} in list order, and when the call ended every step's
 * {@link #after} in the same order; a step that returns false has moved the task on (failed it, paused it, queued it
 * again, sent it to review) and the steps after it do not run. Steps run on the drain loop.
 */
interface CallStep {
  /** Before the call. Returns false when this step stopped it. */
  default boolean before(Call call) {
    return true;
  }

  /** After the call ended. Returns false when this step finished handling the attempt. */
  default boolean after(Call call) {
    return true;
  }
}
