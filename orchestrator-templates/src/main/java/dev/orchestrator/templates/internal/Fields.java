package dev.orchestrator.templates.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.spi.ConfigValues;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed fields out of a JSON object, adding a problem (and returning null) instead of throwing, so one
 * pass reports everything that is wrong with a document.
 */
public final class Fields {
  private static final Duration MAX_DURATION = Duration.ofDays(366);

  private final String where;
  private final List<String> problems;

  public Fields(String where, List<String> problems) {
    this.where = where;
    this.problems = problems;
  }

  /** Reports every key that is not known and not an {@code x-} extension. */
  public void known(JsonNode object, Set<String> known) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n) && !n.startsWith("x-")) {
        String hint = Similarity.closest(n, known);
        problems.add(where + "unknown field '" + n + "': " + (hint != null ? "did you mean '" + hint + "'? " : "")
            + "the known fields are " + new TreeSet<>(known) + " (prefix your own with 'x-')");
      }
    }
  }

  public void problem(String message) {
    problems.add(where + message);
  }

  public @Nullable String text(JsonNode object, String field) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      problem(field + " must be a string (was " + Json.typeOf(n) + " " + Json.show(n) + ")");
      return null;
    }
    return n.textValue();
  }

  public @Nullable Boolean bool(JsonNode object, String field) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      problem(field + " must be true or false (was " + Json.typeOf(n) + " " + Json.show(n) + ")");
      return null;
    }
    return n.booleanValue();
  }

  public @Nullable BigDecimal number(JsonNode object, String field) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      problem(field + " must be a number (was " + Json.typeOf(n) + " " + Json.show(n) + ")");
      return null;
    }
    return n.decimalValue();
  }

  public @Nullable Integer integer(JsonNode object, String field, int min, int max) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
      problem(field + " must be a whole number from " + min + " to " + max + " (was " + Json.show(n) + ")");
      return null;
    }
    return n.intValue();
  }

  /** A list of strings; a single string is accepted when {@code single} is true. */
  public List<String> strings(JsonNode object, String field, boolean single) {
    JsonNode n = object.get(field);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (single && n.isTextual()) {
      out.add(n.textValue());
      return out;
    }
    if (!n.isArray()) {
      problem(field + " must be " + (single ? "a string or " : "") + "an array of strings (was "
          + Json.typeOf(n) + " " + Json.show(n) + ")");
      return out;
    }
    for (JsonNode item : n) {
      if (!item.isTextual()) {
        problem(field + " must contain only strings (found " + Json.typeOf(item) + " " + Json.show(item) + ")");
      } else {
        out.add(item.textValue());
      }
    }
    return out;
  }

  /** A task id: a string, or a whole number written as its decimal digits. */
  public @Nullable String id(JsonNode n, String field) {
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isIntegralNumber() || (n.isNumber() && isWhole(n.decimalValue()))) {
      return n.bigIntegerValue().toString();
    }
    problem(field + " must be a task id, a string or a whole number such as 1 (was " + Json.typeOf(n) + " "
        + Json.show(n) + ")");
    return null;
  }

  private static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0 && d.precision() - d.scale() < 40;
  }

  /**
   * A duration in the configuration grammar ({@link ConfigValues}: {@code 90s}, {@code 1h30m}, {@code 2d},
   * {@code PT5M}), longer than zero and at most 366 days.
   */
  public @Nullable Duration duration(JsonNode object, String field) {
    String s = text(object, field);
    if (s == null) {
      return null;
    }
    Duration d;
    try {
      d = ConfigValues.parseDuration(field, s);
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return null;
    }
    if (d.isZero() || d.compareTo(MAX_DURATION) > 0) {
      problem(field + " must be a positive duration up to 366 days such as \"90s\", \"5m\", \"1h30m\" or"
          + " \"2d\" (was '" + s + "')");
      return null;
    }
    return d;
  }

  /** An amount of US dollars: a JSON number, or a string in the configuration grammar ({@code "$0.50"}). */
  public @Nullable Money money(JsonNode object, String field) {
    JsonNode n = object.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() && !n.isTextual()) {
      problem(field + " must be an amount of US dollars such as 0.50, \"$0.50\" or \"0.50 USD\" (was "
          + Json.show(n) + ")");
      return null;
    }
    try {
      return ConfigValues.parseMoney(field, n.isNumber() ? n.decimalValue().toPlainString() : n.textValue());
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return null;
    }
  }

  /** Every field name of an object, in order. */
  public static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    out.addAll(object.properties());
    return out;
  }
}
