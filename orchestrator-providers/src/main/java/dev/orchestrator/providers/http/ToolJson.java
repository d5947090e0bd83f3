package dev.orchestrator.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.provider.ToolSpec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How tools and tool calls become JSON, the same way for every vendor: a {@link ToolSpec}'s parameters as a JSON
 * schema of required strings, a call's arguments as a JSON object and back.
 */
public final class ToolJson {
  private ToolJson() {}

  /**
   * The tool's parameters as a JSON schema: {@code {"type":"object","properties":{p:{"type":"string",
   * "description":...}},"required":[p...]}}.
   */
  public static ObjectNode schema(ToolSpec tool) {
    ObjectNode schema = Json.object();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    tool.parameters().forEach((name, description) ->
        properties.putObject(name).put("type", "string").put("description", description));
    tool.parameters().keySet().forEach(schema.putArray("required")::add);
    return schema;
  }

  /** A call's arguments as a JSON object of strings. */
  public static ObjectNode object(Map<String, String> arguments) {
    ObjectNode o = Json.object();
    arguments.forEach(o::put);
    return o;
  }

  /** A JSON object's fields as arguments: a string as its text, any other value as its JSON text. */
  public static Map<String, String> arguments(@Nullable JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object == null || !object.isObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      out.put(e.getKey(), v.isTextual() ? v.asText() : Json.write(v));
    }
    return out;
  }

  /**
   * Arguments sent as JSON text (OpenAI's {@code function.arguments}, Anthropic's streamed {@code partial_json});
   * text that is not a JSON object arrives whole as the argument {@code arguments}, so the tool can say what was wrong.
   */
  public static Map<String, String> arguments(@Nullable String json) {
    if (json == null || json.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      JsonNode node = Json.read(json);
      if (node.isObject()) {
        return arguments(node);
      }
    } catch (Exception e) {
      // kept whole below
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("arguments", json);
    return out;
  }
}
