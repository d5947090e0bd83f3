package dev.orchestrator.cli.internal;

/** Values people typed or wrote, made short enough to read in a table or a one-line message. Thread-safe. */
final class Texts {
  /** How much of a long value a message shows. */
  static final int MESSAGE_LIMIT = 80;

  private Texts() {}

  /** One line of at most {@code max} characters: a longer one ends in an ellipsis. */
  static String shorten(String s, int max) {
    String one = s.replace('\n', ' ').replace('\r', ' ').strip();
    if (one.codePointCount(0, one.length()) <= max) {
      return one;
    }
    return one.substring(0, one.offsetByCodePoints(0, max - 1)) + "\u2026";
  }

  /**
   * A value for a message: as it is when short, else its first {@value #MESSAGE_LIMIT} characters and its length
   * ({@code aaaa… (5000 characters)}), so a pasted file never floods the terminal and the user still sees what it
   * was.
   */
  static String cut(String s) {
    int n = s.codePointCount(0, s.length());
    String one = s.replace('\n', ' ').replace('\r', ' ');
    if (n <= MESSAGE_LIMIT) {
      return one;
    }
    return one.substring(0, one.offsetByCodePoints(0, MESSAGE_LIMIT)) + "\u2026 (" + n + " characters)";
  }

  /** A message from elsewhere that may quote {@code value} in full, with the value {@linkplain #cut cut}. */
  static String cutIn(@org.jspecify.annotations.Nullable String message, String value) {
    if (message == null) {
      return "";
    }
    return value.length() <= MESSAGE_LIMIT || value.isEmpty() ? message : message.replace(value, cut(value));
  }

  private static final java.util.regex.Pattern LONG_QUOTED = java.util.regex.Pattern.compile(
      "(?<![^\\s(\\[])'([^']{" + (MESSAGE_LIMIT + 1) + ",})'(?![^\\s,.:;)\\]])");

  /**
   * A one-line error with every quoted value (from a quote after a space or a bracket to one before a space or punctuation) longer than {@value #MESSAGE_LIMIT} characters {@linkplain #cut cut}:
   * the last guard, for messages from anywhere (the engine, the store, picocli) that quote what was typed.
   */
  static String cutQuoted(String message) {
    return LONG_QUOTED.matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        "'" + (m.group(1).matches("(?s).*\u2026 \\(\\d+ characters\\)") ? m.group(1) : cut(m.group(1))) + "'"));
  }
}
