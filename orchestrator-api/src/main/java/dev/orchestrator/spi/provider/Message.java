package dev.orchestrator.spi.provider;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One turn of a conversation with a model: the system's instructions, the user's words, the assistant's reply (with
 * the tools it called), or a tool's result. A {@link ProviderRequest} carries the conversation as a list of them;
 * a provider that speaks the vendor's chat format maps each to the vendor's message, and one that takes a single text
 * reads {@link ProviderRequest#prompt()}, which holds the conversation rendered by {@link #transcript}. Create one
 * with the static factories. Immutable and thread-safe; two messages are equal when every value is equal.
 *
 * <pre>{@code
 * List<Message> conversation = List.of(
 *     Message.system("You write marketing copy."),
 *     Message.user("Draft a launch post."),
 *     Message.assistant("", List.of(ask)),
 *     Message.toolResult(ask, "The tone is too formal for the brand."));
 * }</pre>
 *
 * @since 0.1
 */
public final class Message {
  /** Who speaks in a turn. */
  public enum Role {
    /** Instructions that frame the whole conversation. */
    SYSTEM,
    /** The user's words (the task's prompt). */
    USER,
    /** The model's reply, possibly with {@link ToolCall tool calls}. */
    ASSISTANT,
    /** The result of a tool the model called. */
    TOOL
  }

  private final Role role;
  private final String text;
  private final List<ToolCall> toolCalls;
  private final @Nullable ToolCall answers;

  private Message(Role role, String text, List<ToolCall> toolCalls, @Nullable ToolCall answers) {
    this.role = role;
    this.text = Objects.requireNonNull(text, "text");
    this.toolCalls = List.copyOf(toolCalls);
    this.answers = answers;
  }

  /** Instructions that frame the conversation. */
  public static Message system(String text) {
    return new Message(Role.SYSTEM, text, List.of(), null);
  }

  /** The user's words. */
  public static Message user(String text) {
    return new Message(Role.USER, text, List.of(), null);
  }

  /** The model's reply without tool calls. */
  public static Message assistant(String text) {
    return new Message(Role.ASSISTANT, text, List.of(), null);
  }

  /** The model's reply (its text may be empty) and the tools it called. */
  public static Message assistant(String text, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, text, Objects.requireNonNull(toolCalls, "toolCalls"), null);
  }

  /** The result of the tool call {@code call}: the vendor matches it to the call by the call's id. */
  public static Message toolResult(ToolCall call, String text) {
    return new Message(Role.TOOL, text, List.of(), Objects.requireNonNull(call, "call"));
  }

  /** Who speaks. */
  public Role role() {
    return role;
  }

  /** What is said; may be empty (an assistant turn that only calls tools). */
  public String text() {
    return text;
  }

  /** The tools an assistant turn called, in order; empty for other turns. */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** The call a {@link Role#TOOL} turn answers, or null for other turns. */
  public @Nullable ToolCall answers() {
    return answers;
  }

  /**
   * The conversation as one text, for a provider that takes a single prompt (a command-line agent, a plugin written
   * before conversations): system turns are left out (they are the request's {@link ProviderRequest#system()}), a
   * lone user turn is its text alone, and otherwise each turn is headed by its speaker:
   *
   * <pre>
   * User:
   * Draft a launch post.
   *
   * Assistant:
   * (called ask with provider=claude, question=Is the tone right?)
   *
   * Result of ask:
   * The tone is too formal for the brand.
   * </pre>
   */
  public static String transcript(List<Message> messages) {
    List<Message> turns = messages.stream().filter(m -> m.role != Role.SYSTEM).toList();
    if (turns.size() == 1 && turns.get(0).role == Role.USER) {
      return turns.get(0).text;
    }
    StringBuilder out = new StringBuilder();
    for (Message m : turns) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      switch (m.role) {
        case USER -> out.append("User:\n").append(m.text);
        case ASSISTANT -> {
          out.append("Assistant:");
          if (!m.text.isEmpty()) {
            out.append('\n').append(m.text);
          }
          for (ToolCall c : m.toolCalls) {
            out.append("\n(called ").append(c.name()).append(" with ").append(arguments(c.arguments()))
                .append(')');
          }
        }
        case TOOL -> out.append("Result of ").append(Objects.requireNonNull(m.answers).name()).append(":\n")
            .append(m.text);
        default -> throw new IllegalStateException("unexpected role " + m.role);
      }
    }
    return out.toString();
  }

  private static String arguments(Map<String, String> args) {
    StringBuilder b = new StringBuilder();
    args.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
    return b.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Message m && role == m.role && text.equals(m.text) && toolCalls.equals(m.toolCalls)
        && Objects.equals(answers, m.answers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, text, toolCalls, answers);
  }

  @Override
  public String toString() {
    return "Message[role=" + role + ", text=" + text + ", toolCalls=" + toolCalls + ", answers=" + answers + "]";
  }
}
