package dev.orchestrator.run;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on one submitted run. Thread-safe: every method may be called from any thread.
 *
 * <pre>{@code
 * Run run = orchestrator.submit("blog", workflow, Map.of("topic", "tides"));
 * run.subscribe(e -> System.out.println(e));
 * RunSnapshot done = run.completion().join();
 * }</pre>
 *
 * @since 0.1
 */
public interface Run {
  /** The run's id. */
  String id();

  /** The project it runs in. */
  String project();

  /** The run and all its tasks now. */
  RunSnapshot snapshot();

  /**
   * One task now.
   *
   * @throws IllegalArgumentException when the workflow has no such task
   */
  TaskRecord task(String taskId);

  /**
   * A future that completes with the final snapshot when every task has finished. Resuming a task of a finished
   * run reopens it, and this method then returns a new future for the next finish. Cancelling the returned
   * future does not cancel the run: use {@link #cancel(String, String)}.
   */
  CompletableFuture<RunSnapshot> completion();

  /** Every event of this run so far, oldest first (as far as the store keeps them). */
  List<Event> events();

  /**
   * Delivers this run's events to {@code listener}, on the engine's thread: first those so far (as far as the store
   * keeps them), then every later one, in order and with none missed between the two, until the returned
   * subscription is closed. A listener that throws is reported and never breaks the run.
   */
  Subscription subscribe(EventSubscriber listener);

  /**
   * Cancels every unfinished task of the run: running provider calls are cancelled (a process is destroyed),
   * their slots freed.
   *
   * @param by who cancels, such as a user name
   * @param reason why
   */
  void cancel(String by, String reason);

  /**
   * Cancels one task. A running call is cancelled and its slot freed; the task's dependants are skipped.
   * Cancelling a finished task does nothing.
   *
   * @throws IllegalArgumentException when the workflow has no such task
   */
  void cancelTask(String taskId, String by, String reason);

  /**
   * Stops one task as {@link #cancelTask} does, but ends it FAILED rather than CANCELLED (the roadmap's "mark as
   * failed"): a person judged the work failed, so the run ends FAILED, and the task can be resumed like any failed
   * task. Its error says who marked it and why. Marking a finished task does nothing.
   *
   * @throws IllegalArgumentException when the workflow has no such task
   * @throws UnsupportedOperationException when this implementation cannot mark tasks failed
   */
  default void failTask(String taskId, String by, String reason) {
    throw new UnsupportedOperationException("this run cannot mark a task failed: cancel it instead");
  }

  /**
   * Puts a cancelled or failed task back in the queue (or back to waiting for its dependencies), and brings back
   * the dependants it caused to be skipped.
   *
   * @throws IllegalArgumentException when the workflow has no such task
   * @throws IllegalStateException when the task is neither cancelled nor failed
   */
  void resume(String taskId);

  /**
   * Changes a task's priority. A ready task moves to the tail of its new lane; a task not yet ready uses it when it
   * becomes ready. Finished or running tasks keep theirs (it is recorded for a resume).
   *
   * @throws IllegalArgumentException when the workflow has no such task
   */
  void changePriority(String taskId, dev.orchestrator.Priority priority);

  /** Stops a subscription. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops delivering events; idempotent. */
    @Override
    void close();
  }
}
