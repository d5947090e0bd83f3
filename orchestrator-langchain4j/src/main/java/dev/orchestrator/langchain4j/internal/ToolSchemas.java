package dev.orchestrator.langchain4j.internal;

import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON schema of a workflow tool's arguments: one property per parameter of the workflow or template. */
public final class ToolSchemas {
  private ToolSchemas() {}

  /**
   * A workflow's parameters, all text: those without a default are required, those with one say it.
   */
  public static JsonObjectSchema of(Workflow workflow) {
    JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
    List<String> required = new ArrayList<>();
    Map<String, String> defaults = workflow.defaults();
    for (String p : workflow.parameters()) {
      String dflt = defaults.get(p);
      schema.addStringProperty(p, dflt == null ? "the value of {{" + p + "}} in the workflow's prompts"
          : "the value of {{" + p + "}} in the workflow's prompts; '" + dflt + "' when left out");
      if (dflt == null) {
        required.add(p);
      }
    }
    return schema.required(required).additionalProperties(false).build();
  }

  /** A template's declared parameters with their types, descriptions and allowed values. */
  public static JsonObjectSchema of(List<TemplateParameter> parameters) {
    JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
    List<String> required = new ArrayList<>();
    for (TemplateParameter p : parameters) {
      schema.addProperty(p.name(), element(p));
      if (p.required()) {
        required.add(p.name());
      }
    }
    return schema.required(required).additionalProperties(false).build();
  }

  private static JsonSchemaElement element(TemplateParameter p) {
    String description = description(p);
    return switch (p.type()) {
      case STRING -> p.allowedValues().isEmpty()
          ? JsonStringSchema.builder().description(description).build()
          : JsonEnumSchema.builder().enumValues(p.allowedValues()).description(description).build();
      case ENUM -> JsonEnumSchema.builder().enumValues(p.allowedValues()).description(description).build();
      case NUMBER -> JsonNumberSchema.builder().description(description).build();
      case INTEGER -> JsonIntegerSchema.builder().description(description).build();
      case BOOLEAN -> JsonBooleanSchema.builder().description(description).build();
      case ARRAY -> JsonArraySchema.builder().description(description)
          .items(p.allowedValues().isEmpty() ? JsonStringSchema.builder().build()
              : JsonEnumSchema.builder().enumValues(p.allowedValues()).build())
          .build();
    };
  }

  private static String description(TemplateParameter p) {
    StringBuilder d = new StringBuilder(p.description().isBlank() ? p.name() : p.description());
    if (p.min() != null) {
      d.append("; at least ").append(p.min().toPlainString());
    }
    if (p.max() != null) {
      d.append("; at most ").append(p.max().toPlainString());
    }
    if (p.pattern() != null) {
      d.append("; matching ").append(p.pattern());
    }
    if (p.defaultValue() != null) {
      d.append("; ").append(p.defaultValue()).append(" when left out");
    }
    return d.toString();
  }
}
