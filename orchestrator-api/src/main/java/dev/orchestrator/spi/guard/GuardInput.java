package dev.orchestrator.spi.guard;

import dev.orchestrator.workflow.ExpectedOutput;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a guard checks: a prompt or an output, and where it comes from. The engine builds it; guard tests build it
 * with {@link #builder()} (the constructor is private, so guards keep compiling when an input carries more).
 * Immutable and thread-safe; two inputs are equal when every value is equal.
 *
 * <pre>{@code
 * GuardInput input = GuardInput.builder()
 *     .project("blog").runId("run-1").taskId("draft").taskType("writing")
 *     .provider("claude").providerType("anthropic")
 *     .text("Draft a post on tides")
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class GuardInput {
  private final String project;
  private final String runId;
  private final String taskId;
  private final String taskType;
  private final String provider;
  private final String providerType;
  private final String text;
  private final @Nullable ExpectedOutput expected;

  private GuardInput(Builder b) {
    this.project = required(b.project, "project");
    this.runId = required(b.runId, "runId");
    this.taskId = required(b.taskId, "taskId");
    this.taskType = required(b.taskType, "taskType");
    this.provider = required(b.provider, "provider");
    this.providerType = required(b.providerType, "providerType");
    this.text = required(b.text, "text");
    this.expected = b.expected;
  }

  /** Starts an input; everything but {@link Builder#expected} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this input's values, to derive a changed copy (another text, say). */
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

  /** The task. */
  public String taskId() {
    return taskId;
  }

  /** The task's type. */
  public String taskType() {
    return taskType;
  }

  /** The provider instance the text goes to or came from. */
  public String provider() {
    return provider;
  }

  /** That provider's plugin type, such as {@code cli}. */
  public String providerType() {
    return providerType;
  }

  /** The prompt or the output. */
  public String text() {
    return text;
  }

  /** What the task expects as output, or null. */
  public @Nullable ExpectedOutput expected() {
    return expected;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof GuardInput g && project.equals(g.project) && runId.equals(g.runId)
        && taskId.equals(g.taskId) && taskType.equals(g.taskType) && provider.equals(g.provider)
        && providerType.equals(g.providerType) && text.equals(g.text) && Objects.equals(expected, g.expected);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, runId, taskId, taskType, provider, providerType, text, expected);
  }

  @Override
  public String toString() {
    return "GuardInput[project=" + project + ", runId=" + runId + ", taskId=" + taskId + ", taskType=" + taskType
        + ", provider=" + provider + ", providerType=" + providerType + ", text=" + text + ", expected=" + expected
        + "]";
  }

  private static String required(@Nullable String value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...)");
    }
    return value;
  }

  /**
   * Builds a {@link GuardInput}. Each setter refuses a null at once with a {@link NullPointerException} naming the
   * setting; {@link #build()} names the first required value that was not given. Mutable and not thread-safe;
   * reusing a builder never changes an input already built.
   */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String runId;
    private @Nullable String taskId;
    private @Nullable String taskType;
    private @Nullable String provider;
    private @Nullable String providerType;
    private @Nullable String text;
    private @Nullable ExpectedOutput expected;

    private Builder() {}

    private Builder(GuardInput from) {
      this.project = from.project;
      this.runId = from.runId;
      this.taskId = from.taskId;
      this.taskType = from.taskType;
      this.provider = from.provider;
      this.providerType = from.providerType;
      this.text = from.text;
      this.expected = from.expected;
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

    /** The task; required. */
    public Builder taskId(String taskId) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      return this;
    }

    /** The task's type; required. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** The provider instance the text goes to or came from; required. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** That provider's plugin type, such as {@code cli}; required. */
    public Builder providerType(String providerType) {
      this.providerType = Objects.requireNonNull(providerType, "providerType");
      return this;
    }

    /** The prompt or the output; required (it may be empty). */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /** What the task expects as output; none by default, and null clears it. */
    public Builder expected(@Nullable ExpectedOutput expected) {
      this.expected = expected;
      return this;
    }

    /**
     * The input.
     *
     * @throws IllegalStateException when a required value was not given
     */
    public GuardInput build() {
      return new GuardInput(this);
    }
  }
}
