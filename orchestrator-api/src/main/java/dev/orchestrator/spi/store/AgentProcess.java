package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operating-system process that a provider started for one attempt of a task (a command-line agent), recorded in
 * the store with the engine that owns it, so that an engine that takes the run over after its owner died can end it.
 * A process is named by its host, its pid and its start time together: a pid alone may have been reused.
 *
 * <p>Made by {@link #builder()}; the constructor is private, so stores keep compiling when fields are added.
 * Immutable and thread-safe; two processes are equal when every value is equal.
 *
 * <pre>{@code
 * AgentProcess started = AgentProcess.builder()
 *     .project("default").runId(runId).taskId("draft").attempt(1)
 *     .host("build-7").pid(4242).processStart(handle.info().startInstant().orElseThrow()).owner(engineId)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class AgentProcess {
  private final String project;
  private final String runId;
  private final String taskId;
  private final int attempt;
  private final String host;
  private final long pid;
  private final Instant processStart;
  private final String owner;

  private AgentProcess(Builder b) {
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    if (b.attempt == 0) {
      throw new IllegalStateException("attempt is required: call attempt(n), 1 for the first attempt");
    }
    this.attempt = b.attempt;
    this.host = required(b.host, "host");
    if (b.pid == 0) {
      throw new IllegalStateException("pid is required: call pid(n) with the process id on its host");
    }
    this.pid = b.pid;
    this.processStart = required(b.processStart, "processStart");
    this.owner = required(b.owner, "owner");
  }

  /** Starts a process record; every value is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this process's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The run's project. */
  public String project() {
    return project;
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The task whose call started the process. */
  public String taskId() {
    return taskId;
  }

  /** The attempt number of that call. */
  public int attempt() {
    return attempt;
  }

  /** The host name of the machine the process runs on. */
  public String host() {
    return host;
  }

  /** Its process id on that host. */
  public long pid() {
    return pid;
  }

  /** When the operating system says it started (its identity with the pid). */
  public Instant processStart() {
    return processStart;
  }

  /** The engine that started it (the holder of the run's lease then). */
  public String owner() {
    return owner;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AgentProcess p && project.equals(p.project) && runId.equals(p.runId)
        && taskId.equals(p.taskId) && attempt == p.attempt && host.equals(p.host) && pid == p.pid
        && processStart.equals(p.processStart) && owner.equals(p.owner);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, runId, taskId, attempt, host, pid, processStart, owner);
  }

  @Override
  public String toString() {
    return "AgentProcess[project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", attempt=" + attempt
        + ", host=" + host + ", pid=" + pid + ", processStart=" + processStart + ", owner=" + owner + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds an {@link AgentProcess}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes a
   * record already built.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private int attempt;
    private @Nullable String host;
    private long pid;
    private @Nullable Instant processStart;
    private @Nullable String owner;

    private Builder() {}

    private Builder(AgentProcess from) {
      this.project = from.project;
      this.runId = from.runId;
      this.taskId = from.taskId;
      this.attempt = from.attempt;
      this.host = from.host;
      this.pid = from.pid;
      this.processStart = from.processStart;
      this.owner = from.owner;
    }

    /** The run's project; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The run; required. */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** The task whose call started the process; required. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /**
     * The attempt number of the call that started it; required.
     *
     * @throws IllegalArgumentException when {@code attempt} is below 1
     */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1 (was " + attempt
            + "): give the number of the call that started the process, 1 for the first");
      }
      this.attempt = attempt;
      return this;
    }

    /** The host name of the machine the process runs on; required. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Its process id on that host; required.
     *
     * @throws IllegalArgumentException when {@code pid} is not positive
     */
    public Builder pid(long pid) {
      if (pid <= 0) {
        throw new IllegalArgumentException("pid must be > 0 (was " + pid
            + "): give the process id the operating system reports, such as ProcessHandle.pid()");
      }
      this.pid = pid;
      return this;
    }

    /** When the operating system says it started; required. */
    public Builder processStart(Instant processStart) {
      this.processStart = Objects.requireNonNull(processStart, "processStart");
      return this;
    }

    /** The engine that started it (the holder of the run's lease then); required. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * Builds the process record.
     *
     * @throws IllegalStateException when a value was not given
     */
    public AgentProcess build() {
      return new AgentProcess(this);
    }
  }
}
