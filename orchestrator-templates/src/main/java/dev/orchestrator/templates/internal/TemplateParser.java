package dev.orchestrator.templates.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Priority;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.ParameterType;
import dev.orchestrator.templates.TaskReview;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateOrigin;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.templates.TemplateTask;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.UpstreamContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the template format from JSON, reporting every problem at once. */
public final class TemplateParser {
  static final Set<String> TOP = Set.of("$schema", "id", "name", "description", "category", "tags", "version",
      "author", "parameters", "tasks");
  static final Set<String> TASK = Set.of("id", "title", "assigned_to", "depends_on", "instructions", "system",
      "priority", "task_type", "review", "max_cost", "timeout", "max_output_tokens", "expected_output", "question",
      "schedule", "repeat", "context", "collaborators", "max_exchanges", "approval");
  static final Set<String> APPROVAL = Set.of("when", "timeout", "on_timeout", "default", "escalate_to");
  static final Set<String> PARAMETER = Set.of("type", "required", "default", "description", "min", "max", "pattern",
      "allowed_values", "example");
  static final Set<String> REVIEW = Set.of("by", "instructions");
  static final Set<String> CONTEXT = Set.of("max_tokens");

  private TemplateParser() {}

  /** The field names of the format, for the schema test: top level, task, parameter, review, context. */
  public static List<Set<String>> fieldNames() {
    return List.of(TOP, TASK, PARAMETER, REVIEW, CONTEXT);
  }

  public static String readFile(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Json.MAX_DOCUMENT_CHARS) {
      throw new IOException("the file is " + size + " bytes, more than " + Json.MAX_DOCUMENT_CHARS
          + ": a template should be far smaller");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** A template id from a file name: without {@code .json}, lower case, other characters as {@code _}. */
  public static String idFromFileName(String fileName) {
    String base = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    return slug(base);
  }

  static String slug(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\-]+", "_").replaceAll("^[_\\-]+|[_\\-]+$", "");
    if (t.length() > 100) {
      t = t.substring(0, 100);
    }
    return t.isEmpty() ? "template" : t;
  }

  /** Parses JSON text into a tree, or throws naming the line and column of the syntax error. */
  public static JsonNode tree(String json, String location) {
    if (json.length() > Json.MAX_DOCUMENT_CHARS) {
      throw new InvalidTemplateException(location, List.of("the document is " + json.length()
          + " characters long, more than " + Json.MAX_DOCUMENT_CHARS + ": a template should be far smaller"));
    }
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new InvalidTemplateException(location, List.of("the document is empty: write a JSON object"));
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String pos = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new InvalidTemplateException(location, List.of("not valid JSON" + pos + ": " + e.getOriginalMessage()
          + ": fix the syntax"));
    }
  }

  public static Template parse(String json, TemplateOrigin origin, @Nullable String idHint,
      @Nullable String categoryHint) {
    JsonNode root = tree(json, origin.location());
    List<String> problems = new ArrayList<>();
    if (!root.isObject()) {
      throw new InvalidTemplateException(origin.location(), List.of("the document must be a JSON object with"
          + " 'name' and 'tasks' (was " + Json.typeOf(root) + ")"));
    }
    Fields top = new Fields("", problems);
    top.known(root, TOP);
    String name = top.text(root, "name");
    if (name == null && root.get("name") == null) {
      top.problem("name is missing: name the template after what it does, such as \"Blog Post Pipeline\"");
    }
    String id = top.text(root, "id");
    if (id == null) {
      id = idHint != null ? idHint : slug(name == null ? "template" : name);
    }
    String description = top.text(root, "description");
    String category = top.text(root, "category");
    if (category == null) {
      category = categoryHint != null ? categoryHint : Template.DEFAULT_CATEGORY;
    }
    List<String> tags = top.strings(root, "tags", false);
    String version = top.text(root, "version");
    top.text(root, "author");
    List<TemplateParameter> parameters = parameters(root.get("parameters"), problems);
    List<TemplateTask> tasks = tasks(root.get("tasks"), problems);
    if (!problems.isEmpty()) {
      throw new InvalidTemplateException(origin.location(), problems);
    }
    return new Template(id, name == null ? "" : name, description == null ? "" : description, category, tags,
        version, parameters, tasks, origin);
  }

  private static List<TemplateParameter> parameters(@Nullable JsonNode node, List<String> problems) {
    List<TemplateParameter> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problems.add("parameters must be an object of name -> type, such as {\"topic\": \"string\"} (was "
          + Json.typeOf(node) + " " + Json.show(node) + ")");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : Fields.entries(node)) {
      String name = e.getKey();
      JsonNode spec = e.getValue();
      Fields f = new Fields("parameter '" + name + "': ", problems);
      try {
        if (spec.isTextual()) {
          out.add(TemplateParameter.of(name, ParameterType.parse(spec.textValue())));
          continue;
        }
        if (!spec.isObject()) {
          f.problem("must be a type name such as \"string\" or an object such as {\"type\": \"string\"} (was "
              + Json.typeOf(spec) + " " + Json.show(spec) + ")");
          continue;
        }
        f.known(spec, PARAMETER);
        String typeName = f.text(spec, "type");
        if (typeName == null) {
          if (spec.get("type") == null) {
            f.problem("type is missing: give one of string, number, integer, boolean, array, enum");
          }
          continue;
        }
        ParameterType type = ParameterType.parse(typeName);
        Boolean required = f.bool(spec, "required");
        String description = f.text(spec, "description");
        BigDecimal min = f.number(spec, "min");
        BigDecimal max = f.number(spec, "max");
        String pattern = f.text(spec, "pattern");
        List<String> allowed = f.strings(spec, "allowed_values", false);
        Object dflt = value(spec.get("default"));
        Object example = value(spec.get("example"));
        if (Boolean.TRUE.equals(required) && dflt != null) {
          f.problem("has both \"required\": true and a default: drop one (a default makes it optional)");
          continue;
        }
        out.add(new TemplateParameter(name, type, dflt == null && !Boolean.FALSE.equals(required), dflt,
            description == null ? "" : description, min, max, pattern, allowed, example));
      } catch (IllegalArgumentException ex) {
        String msg = ex.getMessage();
        problems.add(msg.startsWith("parameter '") ? msg : "parameter '" + name + "': " + msg);
      }
    }
    return out;
  }

  private static @Nullable Object value(@Nullable JsonNode n) {
    return n == null ? null : Json.value(n);
  }

  private static List<TemplateTask> tasks(@Nullable JsonNode node, List<String> problems) {
    List<TemplateTask> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      problems.add("tasks is missing: add an array of tasks such as [{\"id\": 1, \"title\": \"Research {{topic}}\"}]");
      return out;
    }
    if (!node.isArray()) {
      problems.add("tasks must be an array of task objects (was " + Json.typeOf(node) + " " + Json.show(node) + ")");
      return out;
    }
    int index = 0;
    for (JsonNode t : node) {
      String label = "tasks[" + index++ + "]";
      if (!t.isObject()) {
        problems.add(label + " must be an object with an 'id' (was " + Json.typeOf(t) + " " + Json.show(t) + ")");
        continue;
      }
      JsonNode idNode = t.get("id");
      String id = null;
      if (idNode == null || idNode.isNull()) {
        problems.add(label + ": id is missing: give every task an id such as 1 or \"research\"");
      } else {
        id = new Fields(label + ": ", problems).id(idNode, "id");
      }
      Fields f = new Fields(id == null ? label + ": " : "task '" + id + "': ", problems);
      f.known(t, TASK);
      List<String> providers = new ArrayList<>();
      for (String p : f.strings(t, "assigned_to", true)) {
        providers.add(p.trim().toLowerCase(Locale.ROOT));
      }
      List<String> deps = new ArrayList<>();
      JsonNode depNode = t.get("depends_on");
      if (depNode != null && !depNode.isNull()) {
        if (!depNode.isArray()) {
          f.problem("depends_on must be an array of task ids such as [1, 2] (was " + Json.typeOf(depNode) + " "
              + Json.show(depNode) + ")");
        } else {
          for (JsonNode d : depNode) {
            String dep = f.id(d, "depends_on");
            if (dep != null && !deps.contains(dep)) {
              deps.add(dep);
            }
          }
        }
      }
      Priority priority = null;
      String p = f.text(t, "priority");
      if (p != null) {
        try {
          priority = Priority.parse(p);
        } catch (IllegalArgumentException e) {
          f.problem(e.getMessage());
        }
      }
      String taskType = f.text(t, "task_type");
      TemplateTask task = new TemplateTask(
          id == null ? "" : id,
          f.text(t, "title"),
          f.text(t, "instructions"),
          f.text(t, "system"),
          providers,
          deps,
          priority,
          taskType == null ? null : taskType.trim().toLowerCase(Locale.ROOT),
          review(t.get("review"), f),
          f.money(t, "max_cost"),
          f.duration(t, "timeout"),
          f.integer(t, "max_output_tokens", 1, 10_000_000),
          expectedOutput(t.get("expected_output"), f),
          f.text(t, "question"),
          f.text(t, "schedule"),
          Boolean.TRUE.equals(f.bool(t, "repeat")),
          context(t.get("context"), f),
          collaborators(t.get("collaborators"), f),
          f.integer(t, "max_exchanges", 1, 100),
          approval(t.get("approval"), f));
      out.add(task);
    }
    return out;
  }

  /** {@code collaborators}: provider names, lower case. */
  private static List<String> collaborators(@Nullable JsonNode n, Fields f) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      f.problem("collaborators must be an array of provider names such as [\"claude\"] (was " + Json.typeOf(n)
          + " " + Json.show(n) + ")");
      return out;
    }
    for (JsonNode c : n) {
      if (!c.isTextual() || c.textValue().isBlank()) {
        f.problem("collaborators must hold provider names such as \"claude\" (was " + Json.typeOf(c) + " "
            + Json.show(c) + ")");
      } else {
        String name = c.textValue().trim().toLowerCase(Locale.ROOT);
        if (!out.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** {@code "before"}, {@code "after"}, or {@code {"when", "timeout", "on_timeout", "default", "escalate_to"}}. */
  private static dev.orchestrator.workflow.@Nullable Approval approval(@Nullable JsonNode n, Fields f) {
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      if (n.isTextual()) {
        return dev.orchestrator.workflow.Approval.builder(dev.orchestrator.workflow.Approval.stage(n.textValue()))
            .build();
      }
      if (!n.isObject()) {
        f.problem("approval must be \"before\", \"after\" or an object such as {\"when\": \"after\", "
            + "\"timeout\": \"2h\", \"on_timeout\": \"deny\"}");
        return null;
      }
      f.known(n, APPROVAL);
      String when = f.text(n, "when");
      if (when == null) {
        f.problem("approval needs \"when\": \"before\" or \"after\"");
        return null;
      }
      dev.orchestrator.workflow.Approval.Builder b =
          dev.orchestrator.workflow.Approval.builder(dev.orchestrator.workflow.Approval.stage(when));
      Duration timeout = f.duration(n, "timeout");
      if (timeout != null) {
        b.timeout(timeout);
      }
      String on = f.text(n, "on_timeout");
      if (on != null) {
        try {
          b.onTimeout(dev.orchestrator.workflow.Approval.OnTimeout.valueOf(on.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          f.problem("approval on_timeout must be deny, escalate or default (was '" + on + "')");
          return null;
        }
      }
      String answer = f.text(n, "default");
      if (answer != null) {
        b.defaultAnswer(answer);
      }
      b.escalateTo(f.strings(n, "escalate_to", true));
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      f.problem(e.getMessage());
      return null;
    }
  }

  private static @Nullable TaskReview review(@Nullable JsonNode n, Fields f) {
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      if (n.isTextual()) {
        return TaskReview.by(n.textValue().trim().toLowerCase(Locale.ROOT));
      }
      if (n.isObject()) {
        f.known(n, REVIEW);
        List<String> by = new ArrayList<>();
        for (String s : f.strings(n, "by", true)) {
          by.add(s.trim().toLowerCase(Locale.ROOT));
        }
        return new TaskReview(by, f.text(n, "instructions"));
      }
      f.problem("review must be a provider name such as \"claude\" or an object such as {\"by\": \"claude\","
          + " \"instructions\": \"Check the facts\"} (was " + Json.typeOf(n) + " " + Json.show(n) + ")");
    } catch (IllegalArgumentException e) {
      f.problem(e.getMessage());
    }
    return null;
  }

  private static @Nullable UpstreamContext context(@Nullable JsonNode n, Fields f) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      String s = n.textValue().trim().toLowerCase(Locale.ROOT);
      if (s.equals("none")) {
        return UpstreamContext.none();
      }
      if (s.equals("parents")) {
        return UpstreamContext.parents();
      }
    } else if (n.isObject()) {
      f.known(n, CONTEXT);
      Integer max = f.integer(n, "max_tokens", 1, 10_000_000);
      return max == null ? UpstreamContext.parents() : UpstreamContext.parents(max);
    }
    f.problem("context must be \"parents\" (the default: the outputs of the tasks it depends on follow its"
        + " instructions), \"none\", or {\"max_tokens\": 4000} (was " + Json.typeOf(n) + " " + Json.show(n) + ")");
    return null;
  }

  private static @Nullable ExpectedOutput expectedOutput(@Nullable JsonNode n, Fields f) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual() && !n.textValue().isBlank()) {
      return ExpectedOutput.text(n.textValue());
    }
    if (n.isObject()) {
      return ExpectedOutput.jsonSchema(n.toString());
    }
    f.problem("expected_output must be a description such as \"A bulleted list\" or a JSON schema object (was "
        + Json.typeOf(n) + " " + Json.show(n) + ")");
    return null;
  }
}
