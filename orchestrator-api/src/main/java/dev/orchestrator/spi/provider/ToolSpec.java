package dev.orchestrator.spi.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tool a model may call: its name, what it does, and its parameters, each a required string with a description.
 * A provider with native tool calling ({@link AiProvider#supportsTools()}) sends it in the vendor's format (an
 * OpenAI {@code function}, an Anthropic {@code tool}, a Gemini {@code functionDeclaration}), as the JSON schema
 * {@code {"type":"object","properties":{p:{"type":"string","description":...}},"required":[p...]}}. Immutable and
 * thread-safe.
 *
 * <p>A record: its shape is final (every vendor's tool calling has these parts and no more that a task uses).
 *
 * <pre>{@code
 * ToolSpec ask = ToolSpec.of("ask", "Ask another AI a question and get its answer",
 *     Map.of("provider", "who to ask", "question", "the question"));
 * }</pre>
 *
 * @param name the tool's name: letters, digits, {@code _} and {@code -}, 1 to 64 of them (every vendor accepts it)
 * @param description what the tool does, for the model
 * @param parameters each parameter's description by name, in order; all are required strings
 * @since 0.1
 */
public record ToolSpec(String name, String description, Map<String, String> parameters) {
  /**
   * Checks and copies the values.
   *
   * @throws IllegalArgumentException when the name is not 1 to 64 letters, digits, {@code _} or {@code -}
   */
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("tool name must be 1 to 64 letters, digits, '_' or '-' (was '" + name
          + "'): vendors refuse other names");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    parameters.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "parameter name"),
        Objects.requireNonNull(v, "description of parameter " + k)));
    parameters = Collections.unmodifiableMap(copy);
  }

  /** A tool of that name, description and string parameters. */
  public static ToolSpec of(String name, String description, Map<String, String> parameters) {
    return new ToolSpec(name, description, parameters);
  }
}
