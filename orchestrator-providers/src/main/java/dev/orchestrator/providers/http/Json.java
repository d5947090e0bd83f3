package dev.orchestrator.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** The one shared {@link ObjectMapper} (thread-safe once configured) and null-tolerant readers. */
public final class Json {
  /** The shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /** A new empty JSON object, for a request body. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The JSON text of {@code node}. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /** Parses JSON text; throws {@link JsonProcessingException} for malformed or empty input. */
  public static JsonNode read(String text) throws JsonProcessingException {
    JsonNode node = MAPPER.readTree(text);
    if (node == null || node.isMissingNode()) {
      throw new com.fasterxml.jackson.core.JsonParseException(null, "empty body");
    }
    return node;
  }

  /** Text of a field, or null when absent or JSON null. */
  public static @Nullable String text(@Nullable JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A non-negative count, 0 when absent or null. */
  public static long count(@Nullable JsonNode node, String field) {
    if (node == null) {
      return 0;
    }
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? 0 : Math.max(0, v.asLong());
  }

  /** Whether a node is present and not JSON null. */
  public static boolean present(@Nullable JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }
}
