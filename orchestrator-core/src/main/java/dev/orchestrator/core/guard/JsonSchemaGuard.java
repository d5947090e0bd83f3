package dev.orchestrator.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import dev.orchestrator.workflow.ExpectedOutput;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks that the output of a task expecting JSON satisfies the task's JSON schema (draft 2020-12). A mismatch asks
 * the provider for one repair, with the errors listed; a second mismatch blocks. Outputs wrapped in a Markdown code
 * fence are accepted. Tasks without a schema are not checked. Thread-safe.
 */
public final class JsonSchemaGuard implements Guard {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ConcurrentHashMap<String, JsonSchema> schemas = new ConcurrentHashMap<>();
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  @Override
  public String name() {
    return "json_schema";
  }

  @Override
  public Verdict checkOutput(GuardInput input) {
    ExpectedOutput expected = input.expected();
    if (expected == null || expected.kind() != ExpectedOutput.Kind.JSON_SCHEMA) {
      return Verdict.allow();
    }
    JsonSchema schema = schemas.computeIfAbsent(expected.content(), factory::getSchema);
    String text = unfence(input.text());
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Verdict.repair("the output is not JSON", "Return only JSON, with no other text, matching this schema:\n"
          + expected.content());
    }
    Set<ValidationMessage> errors = schema.validate(node);
    if (errors.isEmpty()) {
      return text.equals(input.text()) ? Verdict.allow() : Verdict.redact("the JSON was taken out of its code fence",
          text);
    }
    String list = errors.stream().map(ValidationMessage::getMessage).sorted().limit(10)
        .collect(Collectors.joining("\n- ", "- ", ""));
    return Verdict.repair("the output does not match the schema: " + errors.size() + " error(s)",
        "Your answer did not match the required JSON schema:\n" + list + "\nReturn only JSON matching:\n"
            + expected.content());
  }

  static String unfence(String text) {
    String t = text.strip();
    if (t.startsWith("```")) {
      int first = t.indexOf('\n');
      int last = t.lastIndexOf("```");
      if (first > 0 && last > first) {
        return t.substring(first + 1, last).strip();
      }
    }
    return t;
  }
}
