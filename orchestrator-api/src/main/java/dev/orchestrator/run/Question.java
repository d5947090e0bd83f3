package dev.orchestrator.run;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A question a task put to a human. The task waits in {@link TaskState#AWAITING_INPUT} until it is answered. A new
 * question is made by {@link #asked}, and {@link #answered} once answered; a store reading its rows back uses
 * {@link #builder()}. The constructor is private, so stores keep compiling when fields are added. Immutable and
 * thread-safe; two questions are equal when every value is equal.
 *
 * @since 0.1
 */
public final class Question {
  private final String id;
  private final String project;
  private final String runId;
  private final String taskId;
  private final String text;
  private final Instant askedAt;
  private final @Nullable String answer;
  private final @Nullable Instant answeredAt;

  private Question(Builder b) {
    this.id = required(b.id, "id");
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    this.text = required(b.text, "text");
    this.askedAt = required(b.askedAt, "askedAt");
    this.answer = b.answer;
    this.answeredAt = b.answeredAt;
  }

  /**
   * An open question.
   *
   * @param id the question's id, used to answer it
   * @param project the project
   * @param runId the run
   * @param taskId the asking task
   * @param text the question
   * @param at when it was asked
   * @throws NullPointerException when a value is null
   */
  public static Question asked(String id, String project, String runId, String taskId, String text, Instant at) {
    return builder().id(id).project(project).runId(runId).taskId(taskId).text(text).askedAt(at).build();
  }

  /**
   * Starts a question, open (no answer). Id, project, run, task, text and {@code askedAt} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this question's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The question's id, used to answer it. */
  public String id() {
    return id;
  }

  /** The project. */
  public String project() {
    return project;
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The asking task. */
  public String taskId() {
    return taskId;
  }

  /** The question. */
  public String text() {
    return text;
  }

  /** When it was asked. */
  public Instant askedAt() {
    return askedAt;
  }

  /** The answer, or null while open. */
  public @Nullable String answer() {
    return answer;
  }

  /** When it was answered, or null while open. */
  public @Nullable Instant answeredAt() {
    return answeredAt;
  }

  /** Whether it is still waiting for an answer. */
  public boolean isOpen() {
    return answer == null;
  }

  /** This question with its answer. */
  public Question answered(String answer, Instant at) {
    return toBuilder().answer(answer).answeredAt(at).build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Question q && id.equals(q.id) && project.equals(q.project) && runId.equals(q.runId)
        && taskId.equals(q.taskId) && text.equals(q.text) && askedAt.equals(q.askedAt)
        && Objects.equals(answer, q.answer) && Objects.equals(answeredAt, q.answeredAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, project, runId, taskId, text, askedAt, answer, answeredAt);
  }

  @Override
  public String toString() {
    return "Question[id=" + id + ", project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", text="
        + text + ", askedAt=" + askedAt + ", answer=" + answer + ", answeredAt=" + answeredAt + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link Question}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, and a refused value is never kept. Mutable and not thread-safe;
   * reusing a builder never changes a question already built.
   */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private @Nullable String text;
    private @Nullable Instant askedAt;
    private @Nullable String answer;
    private @Nullable Instant answeredAt;

    private Builder() {}

    private Builder(Question from) {
      this.id = from.id;
      this.project = from.project;
      this.runId = from.runId;
      this.taskId = from.taskId;
      this.text = from.text;
      this.askedAt = from.askedAt;
      this.answer = from.answer;
      this.answeredAt = from.answeredAt;
    }

    /** The question's id, used to answer it; required. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
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

    /** The asking task; required. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /** The question; required. */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** When it was asked; required. */
    public Builder askedAt(Instant askedAt) {
      this.askedAt = Objects.requireNonNull(askedAt, "askedAt");
      return this;
    }

    /** The answer; none by default (open), and null clears it. */
    public Builder answer(@Nullable String answer) {
      this.answer = answer;
      return this;
    }

    /** When it was answered; none by default (open), and null clears it. */
    public Builder answeredAt(@Nullable Instant answeredAt) {
      this.answeredAt = answeredAt;
      return this;
    }

    /**
     * Builds the question.
     *
     * @throws IllegalStateException when id, project, run, task, text or {@code askedAt} was not given
     */
    public Question build() {
      return new Question(this);
    }
  }
}
