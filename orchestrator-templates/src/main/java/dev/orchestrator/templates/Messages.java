package dev.orchestrator.templates;

import java.util.List;

/** Formats a headline and its problems the way {@code InvalidWorkflowException} does. */
final class Messages {
  private Messages() {}

  static String list(String headline, List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    if (problems.size() == 1) {
      return headline + ": " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder(headline).append(" (").append(problems.size()).append(" problems):");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
