package dev.orchestrator.spi.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model's request to run one of the {@link ToolSpec tools} it was offered: the vendor's id for the call, the tool's
 * name and its arguments. The engine answers it with a {@link Message#toolResult tool result} carrying the same id.
 * Arguments are strings (a vendor's non-string JSON value arrives as its JSON text). Immutable and thread-safe.
 *
 * <p>A record: its shape is final (every vendor's tool calling has these parts and no more that a task uses).
 *
 * <pre>{@code
 * ToolCall ask = ToolCall.of("call_1", "ask", Map.of("provider", "claude", "question", "Is this on brand?"));
 * }</pre>
 *
 * @param id the vendor's id of the call (a provider without ids makes one up, unique within the conversation)
 * @param name the tool's name, such as {@code ask}
 * @param arguments the arguments by name, in the order the model gave them
 * @since 0.1
 */
public record ToolCall(String id, String name, Map<String, String> arguments) {
  /**
   * Checks and copies the values.
   *
   * @throws IllegalArgumentException when the id or name is blank
   */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (id.isBlank()) {
      throw new IllegalArgumentException("tool call id must not be blank (was '" + id
          + "'): give the vendor's id of the call, or make one up that is unique in the conversation");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("tool call name must not be blank (was '" + name
          + "'): give the name of the tool the model called");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    arguments.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "argument name"),
        Objects.requireNonNull(v, "argument " + k)));
    arguments = Collections.unmodifiableMap(copy);
  }

  /** A call of tool {@code name} with these arguments. */
  public static ToolCall of(String id, String name, Map<String, String> arguments) {
    return new ToolCall(id, name, arguments);
  }

  /** The argument of that name, or the empty string when the model left it out. */
  public String argument(String name) {
    return arguments.getOrDefault(name, "");
  }
}
