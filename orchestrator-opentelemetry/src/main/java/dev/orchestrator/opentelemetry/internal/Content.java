package dev.orchestrator.opentelemetry.internal;

/**
 * Prompts and outputs as the GenAI conventions' message JSON ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}): one text part per message.
 */
final class Content {
  private Content() {}

  static String input(String prompt) {
    return "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(prompt) + "}]}]";
  }

  static String output(String text) {
    return "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(text)
        + "}],\"finish_reason\":\"stop\"}]";
  }

  /** A JSON string literal of {@code s}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
