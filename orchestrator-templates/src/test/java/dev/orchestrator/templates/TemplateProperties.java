package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.templates.internal.BuiltInTemplateSource;
import dev.orchestrator.templates.internal.TemplateParser;
import dev.orchestrator.templates.spi.TemplateDocument;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random parameter values and random edits of real templates never crash the loader and never produce an invalid
 * workflow: either a valid workflow with every parameter filled comes out, or a validation exception whose
 * problems name what is wrong.
 */
class TemplateProperties {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<Template> TEMPLATES = TemplateLibrary.builtIn().list();
  private static final List<String> DOCUMENTS = loadDocuments();

  private static List<String> loadDocuments() {
    List<String> docs = new ArrayList<>();
    for (TemplateDocument d : new BuiltInTemplateSource().documents()) {
      if (d.kind() == TemplateDocument.Kind.WORKFLOW) {
        docs.add(d.content());
      }
    }
    try {
      docs.add(GoldenFiles.resource("/roadmap/blog_post_pipeline.json"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return docs;
  }

  // ---------------------------------------------------------------- random values

  @Property(tries = 300)
  void randomValuesGiveAWorkflowOrNameTheParameter(@ForAll("templates") Template template,
      @ForAll @Size(max = 8) List<@net.jqwik.api.From("values") Object> values, @ForAll boolean fromExamples,
      @ForAll("keys") String extraKey) {
    Map<String, Object> given = new HashMap<>(fromExamples ? template.exampleValues() : Map.of());
    List<TemplateParameter> params = template.parameters();
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      String key = i < params.size() ? params.get((i * 7 + values.size()) % params.size()).name() : extraKey;
      if (v == null) {
        given.remove(key);
      } else {
        given.put(key, v);
      }
    }
    check(template, given);
  }

  // ---------------------------------------------------------------- random template edits

  @Property(tries = 300)
  void randomEditsNeverCrashTheLoader(@ForAll("documents") String document,
      @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("edits") Edit> edits) throws Exception {
    JsonNode root = MAPPER.readTree(document);
    for (Edit e : edits) {
      e.apply(root);
    }
    String edited = MAPPER.writeValueAsString(root);
    Template t;
    try {
      t = Template.parse(edited);
    } catch (InvalidTemplateException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
      Statistics.label("edited template").collect("rejected at load");
      return;
    }
    Statistics.label("edited template").collect("loaded");
    check(t, t.exampleValues());
  }

  private static void check(Template template, Map<String, Object> values) {
    Workflow w;
    try {
      w = template.instantiate(values);
    } catch (InvalidParameterException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(p ->
          assertThat(p).containsAnyOf("parameter '", "is not a parameter of this template", "task '"));
      Statistics.label("instantiation").collect("values rejected");
      return;
    }
    Statistics.label("instantiation").collect("workflow built");
    assertThat(w.missingParameters(Map.of())).as("every parameter has its value").isEmpty();
    assertThat(w.tasks()).hasSize(template.tasks().size());
    for (TaskSpec t : w.tasks()) {
      TemplateTask source = template.task(t.id());
      Set<String> engine = new LinkedHashSet<>();
      for (String text : Arrays.asList(source.title(), source.instructions())) {
        if (text != null) {
          engine.addAll(PromptTemplate.of(text).placeholders());
        }
      }
      // The workflow keeps exactly the placeholders the template wrote; values never add any.
      assertThat(engine).containsAll(PromptTemplate.of(t.instructions()).placeholders());
      assertThat(engine).containsAll(PromptTemplate.of(t.title()).placeholders());
    }
  }

  @Provide
  Arbitrary<Template> templates() {
    return Arbitraries.of(TEMPLATES);
  }

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.of(DOCUMENTS);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(Arbitraries.of("topic", "tpoic", "input", "tasks", ""),
        Arbitraries.strings().ofMaxLength(8));
  }

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<Object> scalars = Arbitraries.oneOf(
        Arbitraries.strings().withChars("{} a,.[]\"").ofMaxLength(12).map(s -> (Object) s),
        Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.of("{{topic}}", "{{tasks.research.output}}", "{{input}}", "{", "}}", "", "  ", "true",
            "1200", "1e400", "-3", "NaN", "[\"a\",\"b\"]", "[1, [2]]", "a, b, c", "warm", "markdown", "x".repeat(600))
            .map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, new BigDecimal("1e-70"), Long.MAX_VALUE)
            .map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalars),
        net.jqwik.api.Tuple.of(2, scalars.list().ofMaxSize(4).map(l -> (Object) l)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(new Object(), Map.of("a", 1), new int[] {1, 2},
            Arrays.asList("a", null))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
  }

  /** One random change to a template's JSON tree. */
  record Edit(Kind kind, int where, String key, Object value) {
    enum Kind { REMOVE, SET, RENAME, APPEND_TEXT, ADD_ITEM }

    void apply(JsonNode root) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(Math.floorMod(where, containers.size()));
      JsonNode node = MAPPER.valueToTree(this.value);
      if (target instanceof ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String existing = names.isEmpty() ? key : names.get(Math.floorMod(where * 31 + key.length(), names.size()));
        switch (kind) {
          case REMOVE -> o.remove(existing);
          case SET -> o.set(key, node);
          case RENAME -> {
            JsonNode v = o.remove(existing);
            if (v != null) {
              o.set(key, v);
            }
          }
          case APPEND_TEXT -> {
            JsonNode v = o.get(existing);
            o.put(existing, (v != null && v.isTextual() ? v.textValue() : "") + node.asText());
          }
          case ADD_ITEM -> o.set(existing, node);
        }
      } else if (target instanceof ArrayNode a) {
        int i = a.isEmpty() ? 0 : Math.floorMod(where, a.size());
        switch (kind) {
          case REMOVE -> {
            if (!a.isEmpty()) {
              a.remove(i);
            }
          }
          case ADD_ITEM, RENAME -> a.add(node);
          case SET, APPEND_TEXT -> {
            if (a.isEmpty()) {
              a.add(node);
            } else {
              a.set(i, node);
            }
          }
        }
      }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
      if (n.isContainerNode()) {
        out.add(n);
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
          collect(it.next(), out);
        }
      }
    }
  }

  @Provide
  Arbitrary<Edit> edits() {
    Set<String> known = new LinkedHashSet<>();
    TemplateParser.fieldNames().forEach(known::addAll);
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(new ArrayList<>(known)),
        Arbitraries.of("x-note", "topic", "asigned_to", "id"), Arbitraries.strings().alpha().ofLength(3));
    Arbitrary<Object> jsonValues = Arbitraries.oneOf(
        Arbitraries.of("{{topic}}", "{{nope}}", "{{tasks.research.output}}", "{{tasks.1.output}}", "{{input}}",
            "{{ bad name }}", "{{#s}}", "claude", "GEMINI", "string", "enum", "array", "integer", "high", "5m",
            "$0.50", "0 9 * * MON", "1", "research", "", " ", "x".repeat(520)).map(s -> (Object) s),
        Arbitraries.integers().between(-3, 5).map(i -> (Object) i),
        Arbitraries.of(1.5, 1e300, -0.0).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.of(List.of(1), List.of("research", "outline"), List.of(), List.of("a", 2)).map(l -> (Object) l),
        Arbitraries.of(Map.of("type", "string"), Map.of("type", "enum", "allowed_values", List.of("a")),
            Map.of("id", 99, "depends_on", List.of(1)), Map.of("by", "claude"), new LinkedHashMap<>())
            .map(m -> (Object) m),
        Arbitraries.just(null));
    return Combinators.combine(Arbitraries.of(Edit.Kind.class), Arbitraries.integers().between(0, 200), keys,
        jsonValues).as(Edit::new);
  }
}
