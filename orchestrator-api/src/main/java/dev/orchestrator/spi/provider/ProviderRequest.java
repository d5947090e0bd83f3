package dev.orchestrator.spi.provider;

import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine asks a provider: the rendered prompt and the limits of the call. Create one with {@link #of} or
 * {@link #builder()}; the constructor is private, so providers and tests keep compiling when a request learns more.
 * Immutable and thread-safe; two requests are equal when every value is equal.
 *
 * <pre>{@code
 * ProviderRequest request = ProviderRequest.builder()
 *     .prompt("Write a haiku about tides.").system("You are terse.")
 *     .maxOutputTokens(200).taskType("writing")
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class ProviderRequest {
  /** The task type of a request that names none. */
  private static final String GENERAL = "general";

  private final String prompt;
  private final @Nullable String system;
  private final @Nullable Integer maxOutputTokens;
  private final @Nullable ExpectedOutput expectedOutput;
  private final String taskType;
  private final @Nullable Duration timeout;

  private ProviderRequest(Builder b) {
    if (b.prompt == null) {
      throw new IllegalStateException("prompt is required: call prompt(...) with the text to send");
    }
    this.prompt = b.prompt;
    this.system = b.system;
    this.maxOutputTokens = b.maxOutputTokens;
    this.expectedOutput = b.expectedOutput;
    this.taskType = b.taskType;
    this.timeout = b.timeout;
  }

  /** A plain prompt of the default task type ({@code general}), with no other setting. */
  public static ProviderRequest of(String prompt) {
    return builder().prompt(prompt).build();
  }

  /** Starts a request: the prompt is required; task type {@code general}, nothing else set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This request with a different prompt. */
  public ProviderRequest withPrompt(String prompt) {
    return toBuilder().prompt(prompt).build();
  }

  /** The instructions with every placeholder filled in. */
  public String prompt() {
    return prompt;
  }

  /** A system prompt, or null. */
  public @Nullable String system() {
    return system;
  }

  /** The most output tokens wanted, or null for the provider's default. */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** The expected output (a JSON schema switches providers to JSON mode), or null. */
  public @Nullable ExpectedOutput expectedOutput() {
    return expectedOutput;
  }

  /** The kind of work, such as {@code general}, {@code code} or {@code review}. */
  public String taskType() {
    return taskType;
  }

  /** The call's time limit, or null. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProviderRequest r && prompt.equals(r.prompt) && Objects.equals(system, r.system)
        && Objects.equals(maxOutputTokens, r.maxOutputTokens) && Objects.equals(expectedOutput, r.expectedOutput)
        && taskType.equals(r.taskType) && Objects.equals(timeout, r.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, system, maxOutputTokens, expectedOutput, taskType, timeout);
  }

  @Override
  public String toString() {
    return "ProviderRequest[prompt=" + prompt + ", system=" + system + ", maxOutputTokens=" + maxOutputTokens
        + ", expectedOutput=" + expectedOutput + ", taskType=" + taskType + ", timeout=" + timeout + "]";
  }

  /**
   * Builds a {@link ProviderRequest}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes a
   * request already built.
   */
  public static final class Builder {
    private @Nullable String prompt;
    private @Nullable String system;
    private @Nullable Integer maxOutputTokens;
    private @Nullable ExpectedOutput expectedOutput;
    private String taskType = GENERAL;
    private @Nullable Duration timeout;

    private Builder() {}

    private Builder(ProviderRequest from) {
      this.prompt = from.prompt;
      this.system = from.system;
      this.maxOutputTokens = from.maxOutputTokens;
      this.expectedOutput = from.expectedOutput;
      this.taskType = from.taskType;
      this.timeout = from.timeout;
    }

    /** The instructions with every placeholder filled in; required (it may be empty). */
    public Builder prompt(String prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /** A system prompt; none by default, and null clears it. */
    public Builder system(@Nullable String system) {
      this.system = system;
      return this;
    }

    /**
     * The most output tokens wanted; the provider's default when not set, and null clears it.
     *
     * @throws IllegalArgumentException when {@code maxOutputTokens < 1}
     */
    public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
      if (maxOutputTokens != null && maxOutputTokens < 1) {
        throw new IllegalArgumentException("maxOutputTokens must be >= 1 (was " + maxOutputTokens
            + "): give the most output tokens wanted, or null for the provider's default");
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /** The expected output (a JSON schema switches providers to JSON mode); none by default, null clears it. */
    public Builder expectedOutput(@Nullable ExpectedOutput expectedOutput) {
      this.expectedOutput = expectedOutput;
      return this;
    }

    /**
     * The kind of work; {@code general} by default.
     *
     * @throws IllegalArgumentException when the type is blank
     */
    public Builder taskType(String taskType) {
      Objects.requireNonNull(taskType, "taskType");
      if (taskType.isBlank()) {
        throw new IllegalArgumentException("taskType must not be blank (was '" + taskType
            + "'): give the kind of work, such as 'general', 'code' or 'review'");
      }
      this.taskType = taskType;
      return this;
    }

    /**
     * The call's time limit; none by default, and null clears it.
     *
     * @throws IllegalArgumentException when the limit is zero or negative
     */
    public Builder timeout(@Nullable Duration timeout) {
      if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
        throw new IllegalArgumentException("timeout must be positive (was " + timeout
            + "): give the call's time limit, or null for none");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalStateException when no prompt was given
     */
    public ProviderRequest build() {
      return new ProviderRequest(this);
    }
  }
}
