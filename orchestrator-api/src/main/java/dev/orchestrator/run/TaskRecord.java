package dev.orchestrator.run;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of one task of a run at one moment: immutable, so it can be handed to any thread.
 *
 * @param project the project
 * @param runId the run
 * @param taskId the task's id in its workflow
 * @param title the title with parameters filled in
 * @param state its state
 * @param lane the lane it waits in (its priority, raised by aging)
 * @param provider the provider instance chosen for it, or null before it first runs
 * @param attempts every provider call made for it, oldest first
 * @param output its output, once succeeded
 * @param errorKind why it failed, or null
 * @param error the failure's message, or null
 * @param cancellation who cancelled it and why, or null
 * @param question the question it asked a human, or null
 * @param updatedAt when it last changed
 * @since 0.1
 */
public record TaskRecord(String project, String runId, String taskId, String title, TaskState state, Priority lane,
    @Nullable String provider, List<Attempt> attempts, @Nullable String output, @Nullable ErrorKind errorKind,
    @Nullable String error, @Nullable Cancellation cancellation, @Nullable Question question, Instant updatedAt) {

  public TaskRecord {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lane, "lane");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A new task, blocked on its dependencies. */
  public static TaskRecord created(String project, String runId, String taskId, String title, Priority lane,
      Instant at) {
    return new TaskRecord(project, runId, taskId, title, TaskState.BLOCKED, lane, null, List.of(), null, null, null,
        null, null, at);
  }

  /**
   * This task in another state, checked against the transition table.
   *
   * @throws IllegalTransitionException when the table does not allow the move
   */
  public TaskRecord moveTo(TaskState to, Instant at) {
    state.checkMove(taskId, to);
    return new TaskRecord(project, runId, taskId, title, to, lane, provider, attempts, output, errorKind, error,
        cancellation, question, at);
  }

  /** This task waiting in another lane. */
  public TaskRecord withLane(Priority lane) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, output, errorKind, error,
        cancellation, question, updatedAt);
  }

  /**
   * This task moved to {@code RUNNING} with a new attempt on {@code provider}, in one step.
   *
   * @throws IllegalTransitionException when the table does not allow the move
   */
  public TaskRecord start(String provider, Instant at) {
    return start(provider, at, null);
  }

  /** As {@link #start(String, Instant)}, the new attempt holding the prompt its call is sent. */
  public TaskRecord start(String provider, Instant at, @Nullable String prompt) {
    state.checkMove(taskId, TaskState.RUNNING);
    return new TaskRecord(project, runId, taskId, title, TaskState.RUNNING, lane, provider,
        appended(attempts, Attempt.started(attempts.size() + 1, provider, at, prompt)), output, null, null,
        cancellation, question, at);
  }

  /**
   * This task moved to {@code SUCCEEDED} with its output, in one step.
   *
   * @throws IllegalTransitionException when the table does not allow the move
   */
  public TaskRecord succeed(String output, Instant at) {
    state.checkMove(taskId, TaskState.SUCCEEDED);
    return new TaskRecord(project, runId, taskId, title, TaskState.SUCCEEDED, lane, provider, attempts, output, null,
        null, cancellation, question, at);
  }

  /** This task with a new attempt started on {@code provider}. */
  public TaskRecord withAttemptStarted(String provider, Instant at) {
    return withAttemptStarted(provider, at, null);
  }

  /** As {@link #withAttemptStarted(String, Instant)}, the new attempt holding the prompt its call is sent. */
  public TaskRecord withAttemptStarted(String provider, Instant at, @Nullable String prompt) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider,
        appended(attempts, Attempt.started(attempts.size() + 1, provider, at, prompt)), output, null, null,
        cancellation, question, updatedAt);
  }

  /** This task with its latest attempt replaced by {@code ended}. */
  public TaskRecord withLastAttempt(Attempt ended) {
    if (attempts.isEmpty()) {
      throw new IllegalStateException("task '" + taskId + "' has no attempt to end");
    }
    Attempt[] list = attempts.toArray(new Attempt[0]);
    list[list.length - 1] = ended;
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, List.of(list), output, errorKind,
        error, cancellation, question, updatedAt);
  }

  /**
   * {@code attempts} and then {@code next}, as the unmodifiable list the constructor keeps as it is (a copy through an
   * ArrayList would cost a task two lists per attempt).
   */
  private static List<Attempt> appended(List<Attempt> attempts, Attempt next) {
    if (attempts.isEmpty()) {
      return List.of(next);
    }
    Attempt[] list = attempts.toArray(new Attempt[attempts.size() + 1]);
    list[list.length - 1] = next;
    return List.of(list);
  }

  /** This task with its output. */
  public TaskRecord withOutput(String output) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, output, null, null,
        cancellation, question, updatedAt);
  }

  /** This task with a failure. */
  public TaskRecord withError(ErrorKind kind, String message) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, output, kind, message,
        cancellation, question, updatedAt);
  }

  /** This task with its cancellation recorded, or cleared with null. */
  public TaskRecord withCancellation(@Nullable Cancellation cancellation) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, output, errorKind, error,
        cancellation, question, updatedAt);
  }

  /** This task with a question. */
  public TaskRecord withQuestion(@Nullable Question question) {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, output, errorKind, error,
        cancellation, question, updatedAt);
  }

  /** This task with its failure cleared, to run again. */
  public TaskRecord cleared() {
    return new TaskRecord(project, runId, taskId, title, state, lane, provider, attempts, null, null, null, null,
        question, updatedAt);
  }

  /** The latest attempt, or null before the first. */
  public @Nullable Attempt lastAttempt() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  /**
   * What happened, attempt by attempt, for people: {@code "openai TIMEOUT, openai TIMEOUT, anthropic succeeded"}.
   */
  public String history() {
    StringBuilder sb = new StringBuilder();
    for (Attempt a : attempts) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(a);
    }
    return sb.toString();
  }

  /** The tokens of every attempt. */
  public TokenUsage usage() {
    TokenUsage u = TokenUsage.NONE;
    for (Attempt a : attempts) {
      u = u.plus(a.usage());
    }
    return u;
  }

  /**
   * The cost of every attempt that ended. A call still in flight holds its budget reservation as its cost (so a store
   * that outlives the process knows what it may have spent), which is not spending yet.
   */
  public Money cost() {
    Money m = Money.ZERO;
    for (Attempt a : attempts) {
      if (a.outcome() != null) {
        m = m.plus(a.cost());
      }
    }
    return m;
  }

  /**
   * How the cost of the attempts that ended was found: the least certain of them ({@link CostBasis#UNPRICED}, then
   * {@link CostBasis#ESTIMATED}), {@link CostBasis#MEASURED} when every one was measured or none ended.
   */
  public CostBasis costBasis() {
    CostBasis b = CostBasis.MEASURED;
    for (Attempt a : attempts) {
      if (a.outcome() != null) {
        b = b.and(a.costBasis());
      }
    }
    return b;
  }
}
