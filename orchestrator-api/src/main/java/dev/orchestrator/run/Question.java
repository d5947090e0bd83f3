package dev.orchestrator.run;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A question a task put to a human. The task waits in {@link TaskState#AWAITING_INPUT} until it is answered.
 *
 * @param id the question's id, used to answer it
 * @param project the project
 * @param runId the run
 * @param taskId the asking task
 * @param text the question
 * @param askedAt when it was asked
 * @param answer the answer, or null while open
 * @param answeredAt when it was answered, or null while open
 * @since 0.1
 */
public record Question(String id, String project, String runId, String taskId, String text, Instant askedAt,
    @Nullable String answer, @Nullable Instant answeredAt) {
  public Question {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(askedAt, "askedAt");
  }

  /** Whether it is still waiting for an answer. */
  public boolean isOpen() {
    return answer == null;
  }

  /** This question with its answer. */
  public Question answered(String answer, Instant at) {
    return new Question(id, project, runId, taskId, text, askedAt, answer, at);
  }
}
