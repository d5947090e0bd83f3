package dev.orchestrator.spi.provider;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the engine tells a provider about a call: which task asks (for logs, metrics and the processes it starts),
 * and whether the engine has given the call up.
 *
 * <p><b>Cancellation.</b> The engine stops a call by cancelling the future {@link AiProvider#complete} returned; that
 * remains the main path, and a provider whose work is one asynchronous exchange (an HTTP request, one process) needs
 * nothing else. A provider doing several steps, or blocking work on a thread of its own, also reads the signal here:
 * it checks {@link #cancelled()} between steps, or registers what stops its work with {@link #onCancel(Runnable)}.
 * The engine sets the signal when the task is cancelled or marked failed, its timeout passes, its run is cancelled
 * or the engine gives the run up; the signal is set before the future is cancelled. A provider cannot cancel the
 * call itself: the signal's other side, {@link CallCancellation}, stays with whoever made the call.
 *
 * <pre>{@code
 * public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
 *   return CompletableFuture.supplyAsync(() -> {
 *     Draft draft = firstStep(request);
 *     if (context.cancelled()) {
 *       throw new CancellationException("cancelled after the first step");
 *     }
 *     return secondStep(draft);
 *   }, executor);
 * }
 * }</pre>
 *
 * <p>Built by {@link #of} (never cancelled: tests, tools) or by {@link #builder()}. Immutable apart from the
 * signal; thread-safe. Two contexts are equal when they name the same project, run, task and attempt: the signal is
 * not part of the value.
 *
 * @since 0.1
 */
public final class CallContext {
  private final String project;
  private final String runId;
  private final String taskId;
  private final int attempt;
  private final @Nullable CallCancellation cancellation;
  private final @Nullable Path workingDirectory;

  private CallContext(Builder b) {
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    if (b.attempt == 0) {
      throw new IllegalStateException("attempt is required: call attempt(n), 1 for the first attempt");
    }
    this.attempt = b.attempt;
    this.cancellation = b.cancellation;
    this.workingDirectory = b.workingDirectory;
  }

  /**
   * A context that is never cancelled, for tests and tools that call a provider themselves.
   *
   * @param project the project
   * @param runId the run
   * @param taskId the task
   * @param attempt 1 for the first attempt
   * @throws IllegalArgumentException when a name is blank or {@code attempt} is below 1
   */
  public static CallContext of(String project, String runId, String taskId, int attempt) {
    return builder().project(project).runId(runId).taskId(taskId).attempt(attempt).build();
  }

  /** Starts a context; project, run, task and attempt are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The project. */
  public String project() {
    return project;
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The task. */
  public String taskId() {
    return taskId;
  }

  /** The attempt, 1 for the first. */
  public int attempt() {
    return attempt;
  }

  /** Whether the caller has given the call up; once true, stays true. Cheap enough to check in a loop. */
  public boolean cancelled() {
    return cancellation != null && cancellation.isCancelled();
  }

  /**
   * Runs {@code action} once when the call is cancelled, on the thread that cancels it (the engine's dispatch
   * thread), or at once on this thread if it is cancelled already. The action must be quick and must not block or
   * throw: destroy a process, abort a request, complete a future; hand anything longer to an executor. On a context
   * made by {@link #of}, which is never cancelled, the action never runs and is not kept.
   *
   * @param action what stops the provider's work
   */
  public void onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    if (cancellation != null) {
      cancellation.onCancel(action);
    }
  }

  /**
   * The directory a provider that works on files (a command-line agent) runs in for this call, when whoever made the
   * call prepared one (an isolated checkout of the project's repository, for instance); empty when none was given,
   * and then the provider uses its own setting. Providers that do not work on files ignore it.
   *
   * @since 0.1
   */
  public Optional<Path> workingDirectory() {
    return Optional.ofNullable(workingDirectory);
  }

  /**
   * This context, with the same signal, naming {@code directory} as the call's working directory: what a provider
   * decorator gives the provider it wraps.
   *
   * @param directory the directory the call works in
   * @since 0.1
   */
  public CallContext withWorkingDirectory(Path directory) {
    Builder b = builder().project(project).runId(runId).taskId(taskId).attempt(attempt)
        .workingDirectory(directory);
    if (cancellation != null) {
      b.cancellation(cancellation);
    }
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CallContext c && project.equals(c.project) && runId.equals(c.runId)
        && taskId.equals(c.taskId) && attempt == c.attempt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, runId, taskId, attempt);
  }

  @Override
  public String toString() {
    return "CallContext[project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", attempt=" + attempt
        + (cancelled() ? ", cancelled" : "") + "]";
  }

  private static String required(@Nullable String value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...)");
    }
    return value;
  }

  private static String named(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank: give the " + name + " the call is made for");
    }
    return value;
  }

  /**
   * Builds a {@link CallContext}. Mutable and not thread-safe; {@link #build()} copies, so a builder can be reused.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private int attempt;
    private @Nullable CallCancellation cancellation;
    private @Nullable Path workingDirectory;

    private Builder() {}

    /** The project; required, not blank. */
    public Builder project(String project) {
      this.project = named(project, "project");
      return this;
    }

    /** The run; required, not blank. */
    public Builder runId(String runId) {
      this.runId = named(runId, "runId");
      return this;
    }

    /** The task; required, not blank. */
    public Builder taskId(String taskId) {
      this.taskId = named(taskId, "taskId");
      return this;
    }

    /** The attempt; required, 1 for the first. */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be >= 1 (was " + attempt + "): attempts count from 1");
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * The signal the caller cancels when it gives the call up; none by default, and then the context is never
     * cancelled. The caller keeps {@code cancellation} to itself.
     */
    public Builder cancellation(CallCancellation cancellation) {
      this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
      return this;
    }

    /**
     * The directory the call works in ({@link CallContext#workingDirectory()}); none by default.
     *
     * @since 0.1
     */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The context.
     *
     * @throws IllegalStateException when project, run, task or attempt was not given
     */
    public CallContext build() {
      return new CallContext(this);
    }
  }
}
