package dev.orchestrator.providers.internal.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into arguments the way a POSIX shell would for plain words: whitespace separates,
 * single quotes keep everything literally, double quotes keep whitespace and allow {@code \"} and {@code \\},
 * a backslash outside quotes escapes the next character. No expansion of variables, globs or pipes: nothing is run
 * through a shell.
 */
public final class CommandLine {
  private CommandLine() {}

  /**
   * @throws IllegalArgumentException when a quote is left open
   */
  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
          cur.append(line.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("command has an unclosed " + quote + " quote: close it (was '"
          + dev.orchestrator.providers.http.Redactor.of().redact(line) + "')");
    }
    if (inWord) {
      out.add(cur.toString());
    }
    return out;
  }
}
