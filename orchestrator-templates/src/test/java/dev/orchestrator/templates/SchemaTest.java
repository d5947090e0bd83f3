package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orchestrator.templates.internal.BuiltInTemplateSource;
import dev.orchestrator.templates.internal.TemplateParser;
import dev.orchestrator.templates.spi.TemplateDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The JSON Schema shipped in the jar describes what the loader accepts, and docs/ holds the same file. */
class SchemaTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SCHEMA = "/dev/orchestrator/templates/template.schema.json";
  private static final String PROJECT_SCHEMA = "/dev/orchestrator/templates/project-template.schema.json";

  private static JsonSchema schema(String resource) throws Exception {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(GoldenFiles.resource(resource));
  }

  @Test
  void everyBuiltInTemplateAndTheRoadmapExampleSatisfyTheSchema() throws Exception {
    JsonSchema workflow = schema(SCHEMA);
    JsonSchema project = schema(PROJECT_SCHEMA);
    for (TemplateDocument d : new BuiltInTemplateSource().documents()) {
      JsonSchema s = d.kind() == TemplateDocument.Kind.PROJECT ? project : workflow;
      Set<ValidationMessage> errors = s.validate(MAPPER.readTree(d.content()));
      assertThat(errors).as("%s against the schema", d.location()).isEmpty();
    }
    assertThat(workflow.validate(MAPPER.readTree(GoldenFiles.resource("/roadmap/blog_post_pipeline.json")))).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatTheLoaderRejects() throws Exception {
    JsonSchema workflow = schema(SCHEMA);
    for (String bad : List.of("{\"name\": \"x\"}", "{\"name\": \"x\", \"tasks\": []}",
        "{\"name\": \"x\", \"tasks\": [{\"id\": 1, \"asigned_to\": \"claude\"}]}",
        "{\"name\": \"x\", \"parameters\": {\"p\": \"float\"}, \"tasks\": [{\"id\": 1}]}",
        "{\"name\": \"x\", \"parameters\": {\"p\": {\"type\": \"enum\"}}, \"tasks\": [{\"id\": 1}]}",
        "{\"name\": \"x\", \"tasks\": [{\"id\": 1.5}]}")) {
      assertThat(workflow.validate(MAPPER.readTree(bad))).as(bad).isNotEmpty();
    }
  }

  @Test
  void theSchemaNamesExactlyTheFieldsTheLoaderKnows() throws Exception {
    JsonNode root = MAPPER.readTree(GoldenFiles.resource(SCHEMA));
    List<Set<String>> known = TemplateParser.fieldNames();
    assertThat(names(root.get("properties"))).isEqualTo(new TreeSet<>(known.get(0)));
    assertThat(names(root.at("/$defs/task/properties"))).isEqualTo(new TreeSet<>(known.get(1)));
    assertThat(names(root.at("/$defs/parameter/properties"))).isEqualTo(new TreeSet<>(known.get(2)));
    assertThat(names(root.at("/$defs/review/oneOf/1/properties"))).isEqualTo(new TreeSet<>(known.get(3)));
    assertThat(names(root.at("/$defs/context/oneOf/1/properties"))).isEqualTo(new TreeSet<>(known.get(4)));
  }

  @Test
  void docsHoldTheSameSchemaFiles() throws Exception {
    Path docs = Path.of("../docs");
    assumeTrue(Files.isDirectory(docs), "docs/ is not beside this module");
    assertThat(Files.readString(docs.resolve("template-schema.json"), StandardCharsets.UTF_8))
        .isEqualTo(GoldenFiles.resource(SCHEMA));
    assertThat(Files.readString(docs.resolve("project-template-schema.json"), StandardCharsets.UTF_8))
        .isEqualTo(GoldenFiles.resource(PROJECT_SCHEMA));
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
