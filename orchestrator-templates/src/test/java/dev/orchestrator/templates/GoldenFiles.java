package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an instantiated workflow to a stable JSON text and compares it with {@code golden/<name>.json}.
 * Run with {@code -Dgolden.update=true} to rewrite the files after an intended change, then review the diff.
 * Non-ASCII characters are escaped so that invisible ones (the word joiner that keeps values literal) show.
 */
final class GoldenFiles {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .build();

  private GoldenFiles() {}

  static String render(BoundTemplate bound) {
    Workflow w = bound.workflow();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("template", bound.template().id());
    root.put("name", w.name());
    root.put("description", w.description());
    ObjectNode values = root.putObject("values");
    bound.values().forEach(values::put);
    root.putPOJO("remainingParameters", w.missingParameters(java.util.Map.of()));
    ArrayNode tasks = root.putArray("tasks");
    for (TaskSpec t : w.tasks()) {
      ObjectNode n = tasks.addObject();
      n.put("id", t.id());
      n.put("title", Filled.text(w, t.title()));
      n.put("instructions", Filled.text(w, t.instructions()));
      n.put("system", t.system() == null ? null : Filled.text(w, t.system()));
      ArrayNode providers = n.putArray("providers");
      t.providers().forEach(providers::add);
      n.put("taskType", t.taskType());
      n.put("priority", t.priority().name());
      ArrayNode deps = n.putArray("dependsOn");
      t.dependsOn().forEach(deps::add);
      n.put("timeout", t.timeout() == null ? null : t.timeout().toString());
      n.put("maxCost", t.maxCost() == null ? null : t.maxCost().toString());
      if (t.maxOutputTokens() == null) {
        n.putNull("maxOutputTokens");
      } else {
        n.put("maxOutputTokens", t.maxOutputTokens());
      }
      if (t.expectedOutput() == null) {
        n.putNull("expectedOutput");
      } else {
        n.putObject("expectedOutput").put("kind", t.expectedOutput().kind().name())
            .put("content", Filled.text(w, t.expectedOutput().content()));
      }
      n.put("question", t.question());
      Review r = t.review();
      if (r == null) {
        n.putNull("review");
      } else {
        ObjectNode rn = n.putObject("review");
        ArrayNode by = rn.putArray("by");
        r.reviewers().forEach(by::add);
        rn.put("instructions", Filled.text(w, r.criteria()));
      }
      if (t.context() != null) {
        n.putObject("context").put("included", t.context().included()).put("maxTokens", t.context().maxTokens());
      }
      n.put("schedule", bound.schedules().get(t.id()));
      if (!t.collaborators().isEmpty()) {
        com.fasterxml.jackson.databind.node.ArrayNode who = n.putArray("collaborators");
        t.collaborators().forEach(who::add);
        n.put("maxExchanges", t.maxExchanges());
      }
    }
    try {
      return MAPPER.writeValueAsString(root).replace("\r\n", "\n") + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertMatches(String name, BoundTemplate bound) throws IOException {
    String actual = render(bound);
    Path source = Path.of("src/test/resources/golden", name + ".json");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(source.getParent());
      Files.writeString(source, actual, StandardCharsets.UTF_8);
      return;
    }
    try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + name + ".json")) {
      assertThat(in).as("golden file golden/%s.json is missing: run with -Dgolden.update=true to create it", name)
          .isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).as("instantiation of %s differs from golden/%s.json", name, name).isEqualTo(expected);
    }
  }

  static String resource(String path) throws IOException {
    try (InputStream in = GoldenFiles.class.getResourceAsStream(path)) {
      assertThat(in).as("test resource %s", path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, Object> sorted(Map<String, Object> m) {
    return new TreeMap<>(m);
  }
}
