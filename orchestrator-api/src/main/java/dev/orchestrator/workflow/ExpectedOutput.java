package dev.orchestrator.workflow;

import java.util.Objects;

/**
 * What a task is expected to produce: a free-text description, or a JSON schema that the output must
 * satisfy (providers switch to their JSON mode for it).
 *
 * @param kind text or JSON schema
 * @param content the description, or the schema as JSON text
 * @since 0.1
 */
public record ExpectedOutput(Kind kind, String content) {
  /** The two kinds of expectation. */
  public enum Kind {
    /** A description in words, passed to the provider with the prompt. */
    TEXT,
    /** A JSON schema (draft 2020-12) the output must satisfy. */
    JSON_SCHEMA
  }

  public ExpectedOutput {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(content, "content");
    if (content.isBlank()) {
      throw new IllegalArgumentException("expected output must not be blank: describe the output or give a schema");
    }
    if (kind == Kind.JSON_SCHEMA && !content.strip().startsWith("{")) {
      throw new IllegalArgumentException(
          "expected output schema must be a JSON object such as {\"type\":\"object\"} (was '" + abbreviate(content) + "')");
    }
  }

  /** A description of the output in words. */
  public static ExpectedOutput text(String description) {
    return new ExpectedOutput(Kind.TEXT, description);
  }

  /** A JSON schema, as JSON text, that the output must satisfy. */
  public static ExpectedOutput jsonSchema(String schema) {
    return new ExpectedOutput(Kind.JSON_SCHEMA, schema);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
