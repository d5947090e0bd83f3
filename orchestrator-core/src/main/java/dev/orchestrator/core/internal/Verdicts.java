package dev.orchestrator.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/** Reads a reviewer's verdict from its reply: JSON, possibly inside a Markdown code fence or surrounded by words. */
final class Verdicts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Verdicts() {}

  /** A reviewer's verdict. */
  record Verdict(boolean approved, int score, String feedback) {}

  /** The verdict, or null when the reply holds none. */
  static @Nullable Verdict parse(String reply) {
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(reply.substring(start, end + 1));
      JsonNode approved = n.get("approved");
      JsonNode score = n.get("score");
      if (approved == null || !approved.isBoolean() || score == null || !score.canConvertToInt()) {
        return null;
      }
      int s = Math.max(0, Math.min(10, score.asInt()));
      return new Verdict(approved.asBoolean(), s, n.path("feedback").asText(""));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
