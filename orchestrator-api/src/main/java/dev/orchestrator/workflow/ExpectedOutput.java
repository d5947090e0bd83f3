package dev.orchestrator.workflow;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a task is expected to produce: a free-text description, or a JSON schema that the output must
 * satisfy (providers switch to their JSON mode for it). Create one with {@link #text} or {@link #jsonSchema}; the
 * constructor is private, so an expectation can learn more (a schema's name, a strict mode) without breaking
 * callers. Immutable and thread-safe; two expectations are equal when their kind and content are.
 *
 * <pre>{@code
 * ExpectedOutput.text("A 600-word post with a title and three sections");
 * ExpectedOutput.jsonSchema("{\"type\":\"object\",\"required\":[\"title\"]}");
 * }</pre>
 *
 * @since 0.1
 */
public final class ExpectedOutput {
  /** The two kinds of expectation. */
  public enum Kind {
    /** A description in words, passed to the provider with the prompt. */
    TEXT,
    /** A JSON schema (draft 2020-12) the output must satisfy. */
    JSON_SCHEMA
  }

  private final Kind kind;
  private final String content;

  private ExpectedOutput(Kind kind, String content) {
    Objects.requireNonNull(content, "content");
    if (content.isBlank()) {
      throw new IllegalArgumentException("expected output must not be blank (was '" + content
          + "'): describe the output or give a schema");
    }
    if (kind == Kind.JSON_SCHEMA && !content.strip().startsWith("{")) {
      throw new IllegalArgumentException(
          "expected output schema must be a JSON object such as {\"type\":\"object\"} (was '" + abbreviate(content) + "')");
    }
    this.kind = kind;
    this.content = content;
  }

  /**
   * A description of the output in words.
   *
   * @throws IllegalArgumentException when the description is blank
   */
  public static ExpectedOutput text(String description) {
    return new ExpectedOutput(Kind.TEXT, description);
  }

  /**
   * A JSON schema, as JSON text, that the output must satisfy.
   *
   * @throws IllegalArgumentException when the schema is blank or not a JSON object
   */
  public static ExpectedOutput jsonSchema(String schema) {
    return new ExpectedOutput(Kind.JSON_SCHEMA, schema);
  }

  /** Text or JSON schema. */
  public Kind kind() {
    return kind;
  }

  /** The description, or the schema as JSON text. */
  public String content() {
    return content;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ExpectedOutput e && kind == e.kind && content.equals(e.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, content);
  }

  @Override
  public String toString() {
    return "ExpectedOutput[kind=" + kind + ", content=" + content + "]";
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
