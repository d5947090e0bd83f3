package dev.orchestrator.templates;

import java.util.Locale;

/**
 * The type of a template parameter, which decides the values it accepts and how a value is written into the
 * text. Values given as text (from a command line or a form) are parsed.
 */
public enum ParameterType {
  /** Any non-blank text, written as given. */
  STRING("a string such as \"home composting\""),
  /** A decimal number such as {@code 1500} or {@code 0.25}, written without trailing zeros. */
  NUMBER("a number such as 1500"),
  /** A whole number such as {@code 3}. */
  INTEGER("an integer such as 3"),
  /** {@code true} or {@code false}. */
  BOOLEAN("a boolean, true or false"),
  /**
   * A list of non-blank items, written comma-separated ({@code a, b, c}). Text is read as a JSON array when it
   * starts with {@code [}, otherwise split on commas.
   */
  ARRAY("an array such as [\"a\", \"b\"] or the text \"a, b\""),
  /** One of the parameter's {@code allowed_values}, written as declared. */
  ENUM("one of the allowed values");

  private final String expected;

  ParameterType(String expected) {
    this.expected = expected;
  }

  /** The type's name in the template format: {@code string}, {@code number}, ... */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What a value of this type looks like, for messages. */
  public String expected() {
    return expected;
  }

  /**
   * Parses a type name of the template format, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static ParameterType parse(String name) {
    for (ParameterType t : values()) {
      if (t.jsonName().equalsIgnoreCase(name.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "type must be one of string, number, integer, boolean, array, enum (was '" + name + "')");
  }
}
