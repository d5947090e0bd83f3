package dev.orchestrator.templates.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Owns the request's text: tidies it (spaces, surrounding quotes, "{{" and "}}" kept as text), cuts a phrase out
 * of it once a reader has taken it, and splits what is left into clauses at {@code ,}, {@code ;}, sentence ends and
 * "then" / "and then" / "after that" / "finally".
 */
final class ClauseSplitter {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern SPLIT = Pattern.compile("\\s*(?:;|(?<!\\d),|,(?!\\d)|\\.(?:\\s+|$)|\\band then\\b"
      + "|\\bthen\\b|\\bafter that\\b|\\bafterwards\\b|\\bfinally\\b)\\s*", F);
  private static final Pattern LEADING = Pattern.compile("^(?:(?:and|also|please|next|first|lastly|last)\\b\\s*)+", F);

  private ClauseSplitter() {}

  /**
   * The request with runs of white space made one space, surrounding quotes removed and "{{" / "}}" written
   * "{ {" / "} }" (which {@code notes} is told about), so the request's words can never become placeholders.
   */
  static String tidy(String request, PlanNotes notes) {
    String text = request.strip().replaceAll("\\s+", " ");
    if (text.length() > 1 && (text.startsWith("\"") && text.endsWith("\"")
        || text.startsWith("'") && text.endsWith("'"))) {
      text = text.substring(1, text.length() - 1).strip();
    }
    if (text.contains("{{") || text.contains("}}")) {
      text = text.replace("{{", "{ {").replace("}}", "} }");
      notes.assumption("'{{' and '}}' in the request are kept as text (written '{ {' and '} }'), not placeholders");
    }
    return text;
  }

  /** {@code text} without what {@code found} (a match in it) matched, spaces made single again. */
  static String without(String text, Matcher found) {
    return (text.substring(0, found.start()) + " " + text.substring(found.end())).replaceAll("\\s+", " ");
  }

  /** The clauses of {@code text}, in order, without leading "and", "please", "first" and the like. */
  static List<String> split(String text) {
    List<String> clauses = new ArrayList<>();
    for (String c : SPLIT.split(text)) {
      String s = LEADING.matcher(c.strip()).replaceFirst("").strip();
      if (!s.isEmpty() && !s.equalsIgnoreCase("and")) {
        clauses.add(s);
      }
    }
    return clauses;
  }
}
