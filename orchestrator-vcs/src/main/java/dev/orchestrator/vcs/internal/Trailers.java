package dev.orchestrator.vcs.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The trailers of a commit message: {@code Key: value} lines in its last paragraph. */
public final class Trailers {
  public static final String RUN = "Orchestrator-Run";
  public static final String TASK = "Orchestrator-Task";
  public static final String ACTION = "Orchestrator-Action";

  private Trailers() {}

  /** Parses the last paragraph of {@code message}; the first value of a key wins. */
  public static Map<String, String> parse(String message) {
    String[] paragraphs = message.strip().split("\n\\s*\n");
    Map<String, String> out = new LinkedHashMap<>();
    String last = paragraphs[paragraphs.length - 1];
    for (String line : last.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0 && line.substring(0, colon).matches("[A-Za-z0-9-]+")) {
        out.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).strip());
      }
    }
    return out;
  }
}
