package dev.orchestrator.templates.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.templates.ParameterType;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks, converts and writes parameter values. Every rejection names the parameter, the value and the type. */
public final class Values {
  /** Larger numbers are refused: a value such as {@code 1e999999999} would take gigabytes to write out. */
  private static final int MAX_DIGITS = 60;
  private static final int MAX_ITEMS = 1_000;
  private static final int MAX_TEXT = 100_000;

  private Values() {}

  /**
   * Converts a raw value to the typed form of {@code type}.
   *
   * @param what "value", "default" or "example", for the message
   * @throws IllegalArgumentException naming the parameter, the value and the expected type
   */
  public static Object coerce(String name, ParameterType type, @Nullable BigDecimal min, @Nullable BigDecimal max,
      @Nullable String pattern, List<String> allowed, Object raw, String what) {
    Object typed = switch (type) {
      case STRING -> text(name, type, raw, what);
      case ENUM -> enumValue(name, allowed, raw, what);
      case NUMBER -> number(name, type, raw, what);
      case INTEGER -> integer(name, raw, what);
      case BOOLEAN -> bool(name, raw, what);
      case ARRAY -> array(name, raw, what);
    };
    String prefix = "parameter '" + name + "': " + what + " " + describe(raw);
    if (typed instanceof String s && type == ParameterType.STRING) {
      checkRange(prefix, "characters long", BigDecimal.valueOf(s.codePointCount(0, s.length())), min, max);
      checkItem(prefix, s, pattern, allowed);
    } else if (typed instanceof BigDecimal n) {
      checkRange(prefix, "", n, min, max);
    } else if (typed instanceof List<?> list) {
      checkRange(prefix, "items", BigDecimal.valueOf(list.size()), min, max);
      for (Object item : list) {
        checkItem(prefix + ", item " + describe(item), (String) item, pattern, allowed);
      }
    }
    return typed;
  }

  /** Writes a typed value as text. */
  public static String render(Object typed) {
    if (typed instanceof BigDecimal n) {
      return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
    }
    if (typed instanceof List<?> list) {
      List<String> items = new ArrayList<>(list.size());
      for (Object o : list) {
        items.add(String.valueOf(o));
      }
      return String.join(", ", items);
    }
    return String.valueOf(typed);
  }

  /** A value for a message: quoted text shortened to 60 characters, with its Java type when it is not text. */
  public static String describe(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof CharSequence cs) {
      String s = cs.toString();
      return "'" + (s.length() <= 60 ? s : s.substring(0, 57) + "...") + "'";
    }
    String s = value.getClass().isArray() ? "an array of " + Array.getLength(value) : String.valueOf(value);
    if (s.length() > 60) {
      s = s.substring(0, 57) + "...";
    }
    return s + " (" + kind(value) + ")";
  }

  private static String kind(Object value) {
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Collection<?> || value.getClass().isArray()) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private static IllegalArgumentException wrongType(String name, ParameterType type, Object raw, String what) {
    return new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw) + " is not "
        + type.expected() + " (the parameter's type is " + type.jsonName() + ")");
  }

  private static String text(String name, ParameterType type, Object raw, String what) {
    String s;
    if (raw instanceof CharSequence cs) {
      s = cs.toString();
    } else if (raw instanceof Number || raw instanceof Boolean) {
      s = raw instanceof BigDecimal bd ? render(bd) : raw.toString();
    } else {
      throw wrongType(name, type, raw, what);
    }
    if (s.isBlank()) {
      throw new IllegalArgumentException("parameter '" + name + "': " + what + " must not be blank (was "
          + describe(raw) + "): give " + type.expected() + ", or leave it out to use the default");
    }
    if (s.length() > MAX_TEXT) {
      throw new IllegalArgumentException("parameter '" + name + "': " + what + " is " + s.length()
          + " characters long, more than " + MAX_TEXT + ": shorten it");
    }
    return s;
  }

  private static String enumValue(String name, List<String> allowed, Object raw, String what) {
    if (!(raw instanceof CharSequence) && !(raw instanceof Number) && !(raw instanceof Boolean)) {
      throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw)
          + " is not one of " + allowed + " (the parameter's type is enum)");
    }
    String s = raw instanceof BigDecimal bd ? render(bd) : raw.toString().trim();
    for (String a : allowed) {
      if (a.equalsIgnoreCase(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw)
        + " is not one of " + allowed + " (the parameter's type is enum)");
  }

  private static BigDecimal number(String name, ParameterType type, Object raw, String what) {
    BigDecimal n;
    if (raw instanceof BigDecimal bd) {
      n = bd;
    } else if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw wrongType(name, type, raw, what);
      }
      n = BigDecimal.valueOf(d);
    } else if (raw instanceof Number num) {
      try {
        n = new BigDecimal(num.toString());
      } catch (NumberFormatException e) {
        throw wrongType(name, type, raw, what);
      }
    } else if (raw instanceof CharSequence cs) {
      String s = cs.toString().trim();
      if (s.length() > MAX_DIGITS * 2) {
        throw wrongType(name, type, raw, what);
      }
      try {
        n = new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw wrongType(name, type, raw, what);
      }
    } else {
      throw wrongType(name, type, raw, what);
    }
    if (n.precision() - n.scale() > MAX_DIGITS || n.scale() > MAX_DIGITS) {
      throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw)
          + " has more than " + MAX_DIGITS + " digits before or after the point: give a smaller number");
    }
    return n;
  }

  private static BigDecimal integer(String name, Object raw, String what) {
    BigDecimal n = number(name, ParameterType.INTEGER, raw, what);
    if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
      throw wrongType(name, ParameterType.INTEGER, raw, what);
    }
    return n.signum() == 0 ? BigDecimal.ZERO : n.stripTrailingZeros().setScale(0);
  }

  private static Boolean bool(String name, Object raw, String what) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof CharSequence cs) {
      String s = cs.toString().trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
    }
    throw wrongType(name, ParameterType.BOOLEAN, raw, what);
  }

  private static List<String> array(String name, Object raw, String what) {
    List<?> items;
    if (raw instanceof Collection<?> c) {
      items = new ArrayList<>(c);
    } else if (raw != null && raw.getClass().isArray()) {
      int n = Array.getLength(raw);
      List<Object> list = new ArrayList<>(Math.min(n, MAX_ITEMS + 1));
      for (int i = 0; i < n && i <= MAX_ITEMS; i++) {
        list.add(Array.get(raw, i));
      }
      items = list;
    } else if (raw instanceof CharSequence cs) {
      items = splitText(name, cs.toString(), what);
    } else {
      throw wrongType(name, ParameterType.ARRAY, raw, what);
    }
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("parameter '" + name + "': " + what + " has more than " + MAX_ITEMS
          + " items: give fewer");
    }
    List<String> out = new ArrayList<>(items.size());
    for (Object item : items) {
      if (item instanceof CharSequence || item instanceof Number || item instanceof Boolean) {
        String s = item instanceof BigDecimal bd ? render(bd) : item.toString().trim();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw)
              + " has a blank item: remove it (the parameter's type is array)");
        }
        out.add(s);
      } else {
        throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(raw)
            + " has the item " + describe(item) + ", which is not text, a number or a boolean"
            + " (the parameter's type is array of scalars)");
      }
    }
    return List.copyOf(out);
  }

  private static List<?> splitText(String name, String s, String what) {
    String t = s.trim();
    if (t.startsWith("[")) {
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(t);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(s)
            + " starts with '[' but is not a JSON array: write [\"a\", \"b\"] or the text a, b"
            + " (the parameter's type is array)", e);
      }
      if (node == null || !node.isArray()) {
        throw new IllegalArgumentException("parameter '" + name + "': " + what + " " + describe(s)
            + " is not a JSON array (the parameter's type is array)");
      }
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode n : node) {
        list.add(Json.scalar(n));
      }
      return list;
    }
    List<String> list = new ArrayList<>();
    if (t.isEmpty()) {
      return list;
    }
    for (String part : t.split(",", -1)) {
      list.add(part.trim());
    }
    return list;
  }

  private static void checkRange(String prefix, String unit, BigDecimal n, @Nullable BigDecimal min,
      @Nullable BigDecimal max) {
    String u = unit.isEmpty() ? "" : " " + unit;
    if (min != null && n.compareTo(min) < 0) {
      throw new IllegalArgumentException(prefix + " is " + (unit.isEmpty() ? "" : render(n) + u + ", ")
          + "below the minimum " + render(min) + u + ": give a larger value");
    }
    if (max != null && n.compareTo(max) > 0) {
      throw new IllegalArgumentException(prefix + " is " + (unit.isEmpty() ? "" : render(n) + u + ", ")
          + "above the maximum " + render(max) + u + ": give a smaller value");
    }
  }

  private static void checkItem(String prefix, String s, @Nullable String pattern, List<String> allowed) {
    if (pattern != null && !Pattern.compile(pattern).matcher(s).matches()) {
      throw new IllegalArgumentException(prefix + " does not match the pattern " + pattern + ": fix the value");
    }
    if (!allowed.isEmpty() && !allowed.contains(s)) {
      throw new IllegalArgumentException(prefix + " is not one of the allowed values " + allowed);
    }
  }
}
