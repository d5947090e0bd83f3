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
 * <p>Made by {@link #builder()}; the constructor is private, so stores keep compiling when fields are added.
 * Immutable and thread-safe; two commands are equal when every value is equal.
 *
 * <pre>{@code
 * Command cancel = Command.builder()
 *     .id(UUID.randomUUID().toString()).kind(Command.Kind.CANCEL).project("default").runId(runId)
 *     .by("cli").text("no longer needed").at(now)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Command {
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

  private final String id;
  private final Kind kind;
  private final String project;
  private final @Nullable String runId;
  private final @Nullable String target;
  private final String by;
  private final String text;
  private final Instant at;

  private Command(Builder b) {
    this.id = required(b.id, "id");
    this.kind = required(b.kind, "kind");
    this.project = required(b.project, "project");
    this.runId = b.runId;
    this.target = b.target;
    this.by = required(b.by, "by");
    this.text = required(b.text, "text");
    this.at = required(b.at, "at");
  }

  /**
   * Starts a command: for a whole run (no target). Id, kind, project, by, text and {@code at} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this command's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Unique id. */
  public String id() {
    return id;
  }

  /** What to do. */
  public Kind kind() {
    return kind;
  }

  /** The project. */
  public String project() {
    return project;
  }

  /**
   * The run (for {@link Kind#ANSWER}, the run of the question); null only in commands stored by older versions.
   */
  public @Nullable String runId() {
    return runId;
  }

  /** The task id, the question id for {@link Kind#ANSWER}, or null for a whole run. */
  public @Nullable String target() {
    return target;
  }

  /** Who asks. */
  public String by() {
    return by;
  }

  /** The reason, the answer, or the new priority's name for {@link Kind#PRIORITY}. */
  public String text() {
    return text;
  }

  /** When it was asked. */
  public Instant at() {
    return at;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Command c && id.equals(c.id) && kind == c.kind && project.equals(c.project)
        && Objects.equals(runId, c.runId) && Objects.equals(target, c.target) && by.equals(c.by)
        && text.equals(c.text) && at.equals(c.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, kind, project, runId, target, by, text, at);
  }

  @Override
  public String toString() {
    return "Command[id=" + id + ", kind=" + kind + ", project=" + project + ", runId=" + runId + ", target="
        + target + ", by=" + by + ", text=" + text + ", at=" + at + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link Command}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, and a refused value is never kept. Mutable and not thread-safe;
   * reusing a builder never changes a command already built.
   */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable Kind kind;
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String target;
    private @Nullable String by;
    private @Nullable String text;
    private @Nullable Instant at;

    private Builder() {}

    private Builder(Command from) {
      this.id = from.id;
      this.kind = from.kind;
      this.project = from.project;
      this.runId = from.runId;
      this.target = from.target;
      this.by = from.by;
      this.text = from.text;
      this.at = from.at;
    }

    /** Unique id; required. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** What to do; required. */
    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** The project; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /**
     * The run (for {@link Kind#ANSWER}, the run of the question); give it for every new command. Null is kept only
     * for commands stored by older versions.
     */
    public Builder runId(@Nullable String runId) {
      this.runId = runId;
      return this;
    }

    /** The task id, or the question id for {@link Kind#ANSWER}; none by default (a whole run). */
    public Builder target(@Nullable String target) {
      this.target = target;
      return this;
    }

    /** Who asks; required. */
    public Builder by(String by) {
      this.by = Objects.requireNonNull(by, "by");
      return this;
    }

    /** The reason, the answer, or the new priority's name for {@link Kind#PRIORITY}; required (may be empty). */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** When it was asked; required. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * Builds the command.
     *
     * @throws IllegalStateException when id, kind, project, by, text or {@code at} was not given
     */
    public Command build() {
      return new Command(this);
    }
  }
}
