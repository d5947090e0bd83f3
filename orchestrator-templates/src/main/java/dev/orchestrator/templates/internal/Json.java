package dev.orchestrator.templates.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The one JSON reader of this module: strict (no duplicate keys, no comments) and bounded. */
public final class Json {
  /** Documents larger than this are refused before parsing. */
  public static final int MAX_DOCUMENT_CHARS = 1_000_000;

  public static final JsonMapper MAPPER;

  static {
    MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
        .build();
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64).maxNumberLength(100).maxStringLength(MAX_DOCUMENT_CHARS).build());
  }

  private Json() {}

  /** A scalar node as a Java value (text, {@link java.math.BigDecimal}, boolean), or the node itself. */
  public static @Nullable Object scalar(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNull()) {
      return null;
    }
    return n;
  }

  /** A node as a Java value: scalars as {@link #scalar}, arrays as lists of those; objects stay nodes. */
  public static @Nullable Object value(JsonNode n) {
    if (n.isArray()) {
      List<@Nullable Object> list = new ArrayList<>(n.size());
      for (JsonNode item : n) {
        list.add(item.isContainerNode() ? item : scalar(item));
      }
      return list;
    }
    return scalar(n);
  }

  /** The JSON type of a node, for messages. */
  public static String typeOf(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isObject()) {
      return "an object";
    }
    return "null";
  }

  /** A node for a message: its JSON text, shortened to 60 characters. */
  public static String show(JsonNode n) {
    String s = n.toString();
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
