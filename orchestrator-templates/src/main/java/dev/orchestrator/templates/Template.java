package dev.orchestrator.templates;

import dev.orchestrator.templates.internal.Instantiator;
import dev.orchestrator.templates.internal.TemplateChecks;
import dev.orchestrator.templates.internal.TemplateParser;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parameterised workflow: the roadmap's template format, read from JSON with {@link #parse(String)} or
 * {@link #read(Path)}, turned into a {@link Workflow} with {@link #instantiate(Map)}.
 *
 * <p>A template that exists is valid: the constructor checks that every {@code {{placeholder}}} names a declared
 * parameter (or is one the engine fills at run time: {@code {{tasks.<id>.output}}} of an upstream task, or
 * {@code {{input}}} of a task that asks a question), that the dependencies form a graph without cycles, and that
 * defaults and examples have their parameter's type. So a broken template fails when it is loaded, not when it
 * runs. Immutable and thread-safe.
 *
 * <pre>{@code
 * Template t = Template.read(Path.of("custom/user_templates/weekly_digest.json"));
 * Workflow w = t.instantiate(Map.of("topic", "Rust 2024 edition"));
 * }</pre>
 *
 * @param id the short name people type ({@code blog_post_pipeline}): the file name, the {@code id} field, or the
 *     name in lower case with {@code _} for other characters
 * @param name the display name, which is also the name of the workflows it creates
 * @param description what it does, for people; empty when not given
 * @param category the library folder it belongs in ({@code content_generation}); {@code custom} by default
 * @param tags words to search by
 * @param version the template's own version, or null
 * @param parameters the declared parameters, in declaration order
 * @param tasks the tasks, in the order written
 * @param origin where it was loaded from
 * @throws InvalidTemplateException listing every problem when the parts do not make a valid template
 */
public record Template(
    String id,
    String name,
    String description,
    String category,
    List<String> tags,
    @Nullable String version,
    List<TemplateParameter> parameters,
    List<TemplateTask> tasks,
    TemplateOrigin origin) {

  /** Ids (and categories) are lower-case letters, digits, {@code _} and {@code -}. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,99}");

  /** The category of a template that names none and is not in a category folder. */
  public static final String DEFAULT_CATEGORY = "custom";

  public Template {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(origin, "origin");
    tags = List.copyOf(tags);
    parameters = List.copyOf(parameters);
    tasks = List.copyOf(tasks);
    List<String> problems = TemplateChecks.problems(id, name, category, tags, parameters, tasks);
    if (!problems.isEmpty()) {
      throw new InvalidTemplateException(origin.location(), problems);
    }
  }

  /**
   * Reads a template from JSON text. Its id is the {@code id} field or is derived from the name.
   *
   * @throws InvalidTemplateException listing every problem
   */
  public static Template parse(String json) {
    return TemplateParser.parse(json, TemplateOrigin.text(), null, null);
  }

  /**
   * Reads a template from JSON text that came from {@code origin}.
   *
   * @param idHint the id when the document has no {@code id} field (a file's name without {@code .json}), or null
   * @param categoryHint the category when the document names none (a folder's name), or null
   * @throws InvalidTemplateException listing every problem
   */
  public static Template parse(String json, TemplateOrigin origin, @Nullable String idHint,
      @Nullable String categoryHint) {
    return TemplateParser.parse(json, origin, idHint, categoryHint);
  }

  /**
   * Reads a template file. Its id is the file's name without {@code .json}, unless the document has an
   * {@code id} field.
   *
   * @throws InvalidTemplateException listing every problem
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Template read(Path file) {
    String text;
    try {
      text = TemplateParser.readFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template file " + file + ": " + e.getMessage(), e);
    }
    return TemplateParser.parse(text, new TemplateOrigin(SourceKind.FILE, "file", file.toString()),
        TemplateParser.idFromFileName(file.getFileName().toString()), null);
  }

  /** The declared parameter with that name, or null. */
  public @Nullable TemplateParameter parameter(String name) {
    for (TemplateParameter p : parameters) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** The task with that id, or null. */
  public @Nullable TemplateTask task(String id) {
    for (TemplateTask t : tasks) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return null;
  }

  /** The declared example value of every parameter that has one, in declaration order. */
  public Map<String, Object> exampleValues() {
    Map<String, Object> examples = new LinkedHashMap<>();
    for (TemplateParameter p : parameters) {
      if (p.example() != null) {
        examples.put(p.name(), p.example());
      }
    }
    return java.util.Collections.unmodifiableMap(examples);
  }

  /**
   * Fills the placeholders with {@code values} and builds the workflow. Each value is checked against its
   * parameter's type and constraints; a parameter left out takes its default. Filling is a single pass: a value
   * containing {@code {{x}}} stays literal text, also when the engine renders the prompt at run time.
   * {@code {{tasks.<id>.output}}} and {@code {{input}}} are left for the engine.
   *
   * <p>The values, written as the template documents (numbers in their shortest form, lists joined with
   * {@code ", "}), become the workflow's parameter defaults: submit it without parameters
   * ({@code orchestrator.submit(project, workflow)}), or with {@link BoundTemplate#values()}. Giving the raw values
   * to {@code submit} again would write them by the engine's rules, which know no parameter types: the text
   * {@code ["a", "b"]} of an array parameter would stay as typed.
   *
   * @param values parameter name to value: text, a number, a boolean, or a list or array of those
   * @throws InvalidParameterException naming each parameter, its value and the expected type, when a value is
   *     missing, mistyped, out of range, or the name is not a parameter
   * @throws InvalidWorkflowException when the filled workflow breaks a workflow rule (not expected: the
   *     template was checked when loaded)
   */
  public Workflow instantiate(Map<String, ?> values) {
    return bind(values).workflow();
  }

  /**
   * Like {@link #instantiate(Map)}, also returning the values as written and the tasks' schedules, which start
   * runs of the whole workflow rather than belong to a task.
   *
   * @throws InvalidParameterException as {@link #instantiate(Map)}
   */
  public BoundTemplate bind(Map<String, ?> values) {
    return Instantiator.bind(this, values);
  }

  @Override
  public String toString() {
    return "Template[" + category + "/" + id + ", " + tasks.size() + " tasks, from " + origin + "]";
  }
}
