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
 * The state of one task of a run at one moment: immutable, so it can be handed to any thread. A new task is
 * {@link #created}; the engine derives each next state with the methods that change one thing
 * ({@link #moveTo}, {@link #start}, {@link #withError}, ...), and a store reading its rows back uses
 * {@link #builder()}. The constructor is private, so stores keep compiling when fields are added.
 *
 * <pre>{@code
 * TaskRecord task = TaskRecord.builder()
 *     .project("default").runId(runId).taskId("draft").title("Draft the post")
 *     .state(TaskState.READY).lane(Priority.HIGH).updatedAt(now)
 *     .build();
 * }</pre>
 *
 * <p>Two records are equal when every value is equal.
 *
 * @since 0.1
 */
public final class TaskRecord {
  private final String project;
  private final String runId;
  private final String taskId;
  private final String title;
  private final TaskState state;
  private final Priority lane;
  private final @Nullable String provider;
  private final List<Attempt> attempts;
  private final @Nullable String output;
  private final @Nullable ErrorKind errorKind;
  private final @Nullable String error;
  private final @Nullable Cancellation cancellation;
  private final @Nullable Question question;
  private final Instant updatedAt;

  private TaskRecord(Builder b) {
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    this.title = required(b.title, "title");
    this.state = b.state;
    this.lane = b.lane;
    this.provider = b.provider;
    this.attempts = b.attempts;
    this.output = b.output;
    this.errorKind = b.errorKind;
    this.error = b.error;
    this.cancellation = b.cancellation;
    this.question = b.question;
    this.updatedAt = required(b.updatedAt, "updatedAt");
  }

  /** A new task, blocked on its dependencies. */
  public static TaskRecord created(String project, String runId, String taskId, String title, Priority lane,
      Instant at) {
    return builder().project(project).runId(runId).taskId(taskId).title(title).lane(lane).updatedAt(at).build();
  }

  /**
   * Starts a task record: {@link TaskState#BLOCKED} in the {@link Priority#MEDIUM} lane, with no provider, attempt,
   * output, failure, cancellation or question. Project, run, task, title and {@code updatedAt} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this task's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The project. */
  public String project() {
    return project;
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The task's id in its workflow. */
  public String taskId() {
    return taskId;
  }

  /** The title with parameters filled in. */
  public String title() {
    return title;
  }

  /** Its state. */
  public TaskState state() {
    return state;
  }

  /** The lane it waits in (its priority, raised by aging). */
  public Priority lane() {
    return lane;
  }

  /** The provider instance chosen for it, or null before it first runs. */
  public @Nullable String provider() {
    return provider;
  }

  /** Every provider call made for it, oldest first; an unmodifiable list. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** Its output, once succeeded, or null. */
  public @Nullable String output() {
    return output;
  }

  /** Why it failed, or null. */
  public @Nullable ErrorKind errorKind() {
    return errorKind;
  }

  /** The failure's message, or null. */
  public @Nullable String error() {
    return error;
  }

  /** Who cancelled it and why, or null. */
  public @Nullable Cancellation cancellation() {
    return cancellation;
  }

  /** The question it asked a human, or null. */
  public @Nullable Question question() {
    return question;
  }

  /** When it last changed. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * This task in another state, checked against the transition table.
   *
   * @throws IllegalTransitionException when the table does not allow the move
   */
  public TaskRecord moveTo(TaskState to, Instant at) {
    state.checkMove(taskId, to);
    return toBuilder().state(to).updatedAt(at).build();
  }

  /** This task waiting in another lane. */
  public TaskRecord withLane(Priority lane) {
    return toBuilder().lane(lane).build();
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
    return attemptStarted(provider, at, prompt).state(TaskState.RUNNING).updatedAt(at).build();
  }

  /**
   * This task moved to {@code SUCCEEDED} with its output, in one step.
   *
   * @throws IllegalTransitionException when the table does not allow the move
   */
  public TaskRecord succeed(String output, Instant at) {
    state.checkMove(taskId, TaskState.SUCCEEDED);
    return toBuilder().state(TaskState.SUCCEEDED).output(output).errorKind(null).error(null).updatedAt(at).build();
  }

  /** This task with a new attempt started on {@code provider}. */
  public TaskRecord withAttemptStarted(String provider, Instant at) {
    return withAttemptStarted(provider, at, null);
  }

  /** As {@link #withAttemptStarted(String, Instant)}, the new attempt holding the prompt its call is sent. */
  public TaskRecord withAttemptStarted(String provider, Instant at, @Nullable String prompt) {
    return attemptStarted(provider, at, prompt).build();
  }

  private Builder attemptStarted(String provider, Instant at, @Nullable String prompt) {
    return toBuilder().provider(provider)
        .attempts(appended(attempts, Attempt.started(attempts.size() + 1, provider, at, prompt)))
        .errorKind(null).error(null);
  }

  /** This task with its latest attempt replaced by {@code ended}. */
  public TaskRecord withLastAttempt(Attempt ended) {
    if (attempts.isEmpty()) {
      throw new IllegalStateException("task '" + taskId + "' has no attempt to end");
    }
    Attempt[] list = attempts.toArray(new Attempt[0]);
    list[list.length - 1] = ended;
    return toBuilder().attempts(List.of(list)).build();
  }

  /**
   * {@code attempts} and then {@code next}, as an unmodifiable list that {@link List#copyOf} keeps as it is (a copy
   * through an ArrayList would cost a task two lists per attempt).
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
    return toBuilder().output(output).errorKind(null).error(null).build();
  }

  /** This task with a failure. */
  public TaskRecord withError(ErrorKind kind, String message) {
    return toBuilder().errorKind(kind).error(message).build();
  }

  /** This task with its cancellation recorded, or cleared with null. */
  public TaskRecord withCancellation(@Nullable Cancellation cancellation) {
    return toBuilder().cancellation(cancellation).build();
  }

  /** This task with a question. */
  public TaskRecord withQuestion(@Nullable Question question) {
    return toBuilder().question(question).build();
  }

  /** This task with its failure cleared, to run again. */
  public TaskRecord cleared() {
    return toBuilder().output(null).errorKind(null).error(null).cancellation(null).build();
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

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TaskRecord t && project.equals(t.project) && runId.equals(t.runId)
        && taskId.equals(t.taskId) && title.equals(t.title) && state == t.state && lane == t.lane
        && Objects.equals(provider, t.provider) && attempts.equals(t.attempts) && Objects.equals(output, t.output)
        && errorKind == t.errorKind && Objects.equals(error, t.error)
        && Objects.equals(cancellation, t.cancellation) && Objects.equals(question, t.question)
        && updatedAt.equals(t.updatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, runId, taskId, title, state, lane, provider, attempts, output, errorKind, error,
        cancellation, question, updatedAt);
  }

  @Override
  public String toString() {
    return "TaskRecord[project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", title=" + title
        + ", state=" + state + ", lane=" + lane + ", provider=" + provider + ", attempts=" + attempts + ", output="
        + output + ", errorKind=" + errorKind + ", error=" + error + ", cancellation=" + cancellation
        + ", question=" + question + ", updatedAt=" + updatedAt + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link TaskRecord}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, and a refused value is never kept. Mutable and not thread-safe;
   * reusing a builder never changes a record already built.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private @Nullable String title;
    private TaskState state = TaskState.BLOCKED;
    private Priority lane = Priority.MEDIUM;
    private @Nullable String provider;
    private List<Attempt> attempts = List.of();
    private @Nullable String output;
    private @Nullable ErrorKind errorKind;
    private @Nullable String error;
    private @Nullable Cancellation cancellation;
    private @Nullable Question question;
    private @Nullable Instant updatedAt;

    private Builder() {}

    private Builder(TaskRecord from) {
      this.project = from.project;
      this.runId = from.runId;
      this.taskId = from.taskId;
      this.title = from.title;
      this.state = from.state;
      this.lane = from.lane;
      this.provider = from.provider;
      this.attempts = from.attempts;
      this.output = from.output;
      this.errorKind = from.errorKind;
      this.error = from.error;
      this.cancellation = from.cancellation;
      this.question = from.question;
      this.updatedAt = from.updatedAt;
    }

    /** The project; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The run; required. */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** The task's id in its workflow; required. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /** The title with parameters filled in; required. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /** Its state; {@link TaskState#BLOCKED} by default. Not checked against the transition table. */
    public Builder state(TaskState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** The lane it waits in; {@link Priority#MEDIUM} by default. */
    public Builder lane(Priority lane) {
      this.lane = Objects.requireNonNull(lane, "lane");
      return this;
    }

    /** The provider instance chosen for it; none by default, and null clears it. */
    public Builder provider(@Nullable String provider) {
      this.provider = provider;
      return this;
    }

    /**
     * Every provider call made for it, oldest first; none by default. The list is copied.
     *
     * @throws NullPointerException when the list or one of its attempts is null
     */
    public Builder attempts(List<Attempt> attempts) {
      this.attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
      return this;
    }

    /** Its output; none by default, and null clears it. */
    public Builder output(@Nullable String output) {
      this.output = output;
      return this;
    }

    /** Why it failed; none by default, and null clears it. */
    public Builder errorKind(@Nullable ErrorKind errorKind) {
      this.errorKind = errorKind;
      return this;
    }

    /** The failure's message; none by default, and null clears it. */
    public Builder error(@Nullable String error) {
      this.error = error;
      return this;
    }

    /** Who cancelled it and why; none by default, and null clears it. */
    public Builder cancellation(@Nullable Cancellation cancellation) {
      this.cancellation = cancellation;
      return this;
    }

    /** The question it asked a human; none by default, and null clears it. */
    public Builder question(@Nullable Question question) {
      this.question = question;
      return this;
    }

    /** When it last changed; required. */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
      return this;
    }

    /**
     * Builds the record.
     *
     * @throws IllegalStateException when project, run, task, title or {@code updatedAt} was not given
     */
    public TaskRecord build() {
      return new TaskRecord(this);
    }
  }
}
