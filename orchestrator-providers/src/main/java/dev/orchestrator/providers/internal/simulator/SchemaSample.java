package dev.orchestrator.providers.internal.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.providers.http.Json;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A JSON value that satisfies a request's JSON schema, so that simulated runs pass the checks a real model's reply
 * passes (a peer review's verdict, a task's expected output): every property present, text saying it is simulated,
 * numbers at their maximum (a simulated review approves with the best score), the first of an enum, the minimum number
 * of array items. Keywords it does not know are ignored; a schema it cannot read gives null.
 */
final class SchemaSample {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 16;

  private SchemaSample() {}

  /** The sample as JSON text, or null when the schema is not a JSON object. */
  static @Nullable String of(String schema, String note) {
    try {
      JsonNode root = Json.read(schema);
      return root != null && root.isObject() ? Json.write(value(root, note, 0)) : null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static JsonNode value(JsonNode schema, String note, int depth) {
    if (depth > MAX_DEPTH || !schema.isObject()) {
      return NODES.nullNode();
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    JsonNode choices = schema.get("enum");
    if (choices != null && choices.isArray() && !choices.isEmpty()) {
      return choices.get(0);
    }
    for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
      JsonNode options = schema.get(combinator);
      if (options != null && options.isArray() && !options.isEmpty()) {
        return value(options.get(0), note, depth + 1);
      }
    }
    String type = type(schema);
    switch (type) {
      case "object": {
        ObjectNode out = NODES.objectNode();
        JsonNode props = schema.get("properties");
        if (props != null && props.isObject()) {
          for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), value(e.getValue(), note, depth + 1));
          }
        }
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
          for (JsonNode r : required) {
            if (r.isTextual() && !out.has(r.textValue())) {
              out.put(r.textValue(), note);
            }
          }
        }
        return out;
      }
      case "array": {
        ArrayNode out = NODES.arrayNode();
        int items = Math.max(1, schema.path("minItems").asInt(1));
        JsonNode item = schema.get("items");
        for (int i = 0; i < Math.min(items, 10); i++) {
          out.add(item != null ? value(item, note, depth + 1) : NODES.textNode(note));
        }
        return out;
      }
      case "integer":
        return NODES.numberNode(schema.has("maximum") ? schema.get("maximum").asLong()
            : schema.has("minimum") ? schema.get("minimum").asLong() : 1);
      case "number":
        return schema.has("maximum") ? schema.get("maximum")
            : schema.has("minimum") ? schema.get("minimum") : NODES.numberNode(1);
      case "boolean":
        return NODES.booleanNode(true);
      case "null":
        return NODES.nullNode();
      default:
        return NODES.textNode(note);
    }
  }

  private static String type(JsonNode schema) {
    JsonNode t = schema.get("type");
    if (t != null && t.isArray()) {
      for (JsonNode x : t) {
        if (x.isTextual() && !x.textValue().equals("null")) {
          return x.textValue();
        }
      }
      return "null";
    }
    if (t != null && t.isTextual()) {
      return t.textValue();
    }
    return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
  }
}
