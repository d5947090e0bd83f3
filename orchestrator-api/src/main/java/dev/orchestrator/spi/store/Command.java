package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request from another process (a command line, a dashboard) to the engine that holds a run's lease: cancel a run
 * or a task, resume a task, answer a question, change a task's priority. The holder takes pending commands for its
 * runs from the store ({@link Store#takeCommands(String)}) about once a second and carries them out as if they were
 * called in-process; a command it cannot carry out is logged and dropped.
 *
 * @param id unique id
 * @param kind what to do
 * @param project the project
 * @param runId the run (for {@link Kind#ANSWER}, the run of the question); null only in commands stored by older
 *     versions
 * @param target the task id, the question id for {@link Kind#ANSWER}, or null for a whole run
 * @param by who asks
 * @param text the reason, the answer, or the new priority's name for {@link Kind#PRIORITY}
 * @param at when it was asked
 * @since 0.1
 */
public record Command(String id, Kind kind, String project, @Nullable String runId, @Nullable String target,
    String by, String text, Instant at) {
  /** What a command asks for. */
  public enum Kind {
    /** Cancel a run ({@code target} null) or one task. */
    CANCEL,
    /** Resume a cancelled or failed task. */
    RESUME,
    /** Answer a question ({@code target} is the question id). */
    ANSWER,
    /** Change a task's priority ({@code text} is HIGH, MEDIUM or LOW). */
    PRIORITY,
    /** Stop a task and mark it failed ({@code text} is the reason). */
    FAIL
  }

  public Command {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(at, "at");
  }
}
