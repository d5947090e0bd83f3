package dev.orchestrator.templates;

import dev.orchestrator.templates.internal.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A declared parameter of a {@link Template}. In the roadmap's short form only the type is given
 * ({@code "topic": "string"}); the long form adds the rest ({@code "topic": {"type": "string", "description":
 * "..."}}).
 *
 * <p>Typed values are {@link String} (string, enum), {@link BigDecimal} (number, integer), {@link Boolean}
 * and {@code List<String>} (array). Immutable and thread-safe.
 *
 * @param name the placeholder name: letters, digits, {@code _} and {@code -}; not {@code input} or {@code tasks}
 * @param type the type
 * @param required whether a value must be given; false when there is a default
 * @param defaultValue the typed value used when none is given, or null
 * @param description what the value is for, for people; empty when not given
 * @param min the smallest number, shortest text or fewest items, or null
 * @param max the largest number, longest text or most items, or null
 * @param pattern a regular expression that a string (or each array item) must match entirely, or null
 * @param allowedValues the accepted values of an enum (or of a string, or of each array item); empty for any
 * @param example a typed example value, used in docs and to check the template, or null
 */
public record TemplateParameter(
    String name,
    ParameterType type,
    boolean required,
    @Nullable Object defaultValue,
    String description,
    @Nullable BigDecimal min,
    @Nullable BigDecimal max,
    @Nullable String pattern,
    List<String> allowedValues,
    @Nullable Object example) {

  /** Names a parameter may have. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

  public TemplateParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    allowedValues = List.copyOf(allowedValues);
    if (!NAME.matcher(name).matches() || name.equals("input") || name.equals("tasks")) {
      throw new IllegalArgumentException("parameter name must be 1 to 64 letters, digits, '_' or '-' and not"
          + " 'input' or 'tasks', which the engine fills (was '" + name + "')");
    }
    if (type == ParameterType.ENUM && allowedValues.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' is an enum without allowed_values: list the values it accepts");
    }
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "parameter '" + name + "': min " + min.toPlainString() + " is above max " + max.toPlainString());
    }
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("parameter '" + name + "': pattern '" + pattern
            + "' is not a regular expression: " + e.getDescription(), e);
      }
    }
    if (defaultValue != null) {
      defaultValue = Values.coerce(name, type, min, max, pattern, allowedValues, defaultValue, "default");
      required = false;
    }
    if (example != null) {
      example = Values.coerce(name, type, min, max, pattern, allowedValues, example, "example");
    }
  }

  /** A parameter of the roadmap's short form: just a name and a type, required, no description. */
  public static TemplateParameter of(String name, ParameterType type) {
    return new TemplateParameter(name, type, true, null, "", null, null, null, List.of(), null);
  }

  /**
   * Checks a value and converts it to this parameter's typed form.
   *
   * @param value a {@link CharSequence}, {@link Number}, {@link Boolean}, {@link java.util.Collection} or array
   * @return the typed value
   * @throws IllegalArgumentException naming the parameter, the value and the expected type
   */
  public Object coerce(Object value) {
    return Values.coerce(name, type, min, max, pattern, allowedValues, value, "value");
  }

  /** Writes a typed value as text: numbers without trailing zeros, arrays comma-separated. */
  public String render(Object typedValue) {
    return Values.render(typedValue);
  }
}
