package dev.orchestrator.spi.provider;

import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p><b>Conversations.</b> A request may carry a whole conversation ({@link Builder#messages}) and the tools the model
 * may call ({@link Builder#tools}). A provider that speaks the vendor's chat format reads {@link #messages()} (always
 * the full conversation: a plain request is its system prompt and one user turn) and {@link #tools()}; one that takes
 * a single text keeps reading {@link #prompt()} and {@link #system()}, which a conversation fills with its
 * {@link Message#transcript transcript} and its system turns, so a provider written before conversations works
 * unchanged.
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
  private final List<Message> messages;
  private final List<ToolSpec> tools;

  private ProviderRequest(Builder b) {
    String text = b.prompt;
    String sys = b.system;
    if (!b.messages.isEmpty()) {
      if (text == null) {
        text = Message.transcript(b.messages);
      }
      if (sys == null) {
        List<String> parts = b.messages.stream().filter(m -> m.role() == Message.Role.SYSTEM).map(Message::text)
            .toList();
        sys = parts.isEmpty() ? null : String.join("\n\n", parts);
      }
    }
    if (text == null) {
      throw new IllegalStateException("prompt is required: call prompt(...) with the text to send");
    }
    this.prompt = text;
    this.system = sys;
    this.messages = List.copyOf(b.messages);
    this.tools = List.copyOf(b.tools);
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

  /**
   * The whole conversation, never empty: the messages given to {@link Builder#messages} (preceded by a system turn
   * holding {@link #system()} when they have none), or, for a plain request, the system prompt if any and one user
   * turn holding the prompt.
   */
  public List<Message> messages() {
    boolean hasSystem = messages.stream().anyMatch(m -> m.role() == Message.Role.SYSTEM);
    List<Message> all = new ArrayList<>(messages.size() + 2);
    if (system != null && !hasSystem) {
      all.add(Message.system(system));
    }
    if (messages.isEmpty()) {
      all.add(Message.user(prompt));
    } else {
      all.addAll(messages);
    }
    return List.copyOf(all);
  }

  /** Whether the request carries a conversation given by {@link Builder#messages} rather than a single prompt. */
  public boolean isConversation() {
    return !messages.isEmpty();
  }

  /** The tools the model may call; empty by default. A provider that {@link AiProvider#supportsTools()} sends them. */
  public List<ToolSpec> tools() {
    return tools;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProviderRequest r && prompt.equals(r.prompt) && Objects.equals(system, r.system)
        && Objects.equals(maxOutputTokens, r.maxOutputTokens) && Objects.equals(expectedOutput, r.expectedOutput)
        && taskType.equals(r.taskType) && Objects.equals(timeout, r.timeout) && messages.equals(r.messages)
        && tools.equals(r.tools);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, system, maxOutputTokens, expectedOutput, taskType, timeout, messages, tools);
  }

  @Override
  public String toString() {
    return "ProviderRequest[prompt=" + prompt + ", system=" + system + ", maxOutputTokens=" + maxOutputTokens
        + ", expectedOutput=" + expectedOutput + ", taskType=" + taskType + ", timeout=" + timeout
        + (messages.isEmpty() ? "" : ", messages=" + messages) + (tools.isEmpty() ? "" : ", tools=" + tools) + "]";
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
    private List<Message> messages = List.of();
    private List<ToolSpec> tools = List.of();

    private Builder() {}

    private Builder(ProviderRequest from) {
      this.prompt = from.prompt;
      this.system = from.system;
      this.maxOutputTokens = from.maxOutputTokens;
      this.expectedOutput = from.expectedOutput;
      this.taskType = from.taskType;
      this.timeout = from.timeout;
      this.messages = from.messages;
      this.tools = from.tools;
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
     * The conversation so far, in order (system, user, assistant and tool turns); none by default. Unless set, the
     * {@link #prompt prompt} becomes its {@link Message#transcript transcript} and the {@link #system system prompt}
     * its system turns, for providers that take one text; an empty list clears it.
     *
     * @throws IllegalArgumentException when a tool result answers no tool call made before it
     */
    public Builder messages(List<Message> messages) {
      List<Message> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
      java.util.Set<String> called = new java.util.HashSet<>();
      for (Message m : copy) {
        m.toolCalls().forEach(c -> called.add(c.id()));
        ToolCall answered = m.answers();
        if (answered != null && !called.contains(answered.id())) {
          throw new IllegalArgumentException("messages: the tool result for call '" + answered.id() + "' ("
              + answered.name() + ") comes before any assistant turn making that call: put the assistant's turn "
              + "with the call first");
        }
      }
      this.messages = copy;
      return this;
    }

    /** The tools the model may call; none by default, and an empty list clears them. */
    public Builder tools(List<ToolSpec> tools) {
      this.tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
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
