package dev.orchestrator.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Text with {@code {{name}}} placeholders: workflow parameters ({@code {{topic}}}), the output of an
 * upstream task ({@code {{tasks.research.output}}}) and a human's answer ({@code {{input}}}).
 *
 * <p>Rendering is a single pass: a value put in place is never expanded again, so a value that itself
 * contains {@code {{x}}} stays literal. Names are letters, digits, {@code _}, {@code -} and dots; spaces
 * inside the braces are allowed ({@code {{ topic }}}). Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

  /** The prefix of placeholders that name an upstream task: {@code tasks.<id>.output}. */
  public static final String TASKS_PREFIX = "tasks.";

  /** The placeholder replaced by a human's answer to the task's question. */
  public static final String INPUT = "input";

  private final String text;
  private final List<String> names;

  private PromptTemplate(String text) {
    this.text = text;
    if (text.indexOf("{{") < 0) {
      // Most texts have no placeholder: no matcher, no set.
      this.names = List.of();
      return;
    }
    Set<String> found = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    this.names = List.copyOf(found);
  }

  /** Parses a template. */
  public static PromptTemplate of(String text) {
    return new PromptTemplate(Objects.requireNonNull(text, "text"));
  }

  /** The distinct placeholder names, in order of first appearance. */
  public List<String> placeholders() {
    return names;
  }

  /** The ids of tasks whose output this text uses ({@code {{tasks.<id>.output}}}), in order. */
  public List<String> taskReferences() {
    List<String> ids = new ArrayList<>();
    for (String n : names) {
      String id = taskReference(n);
      if (id != null) {
        ids.add(id);
      }
    }
    return Collections.unmodifiableList(ids);
  }

  /** The parameter names this text uses: every placeholder that is neither a task reference nor {@code input}. */
  public List<String> parameters() {
    List<String> params = new ArrayList<>();
    for (String n : names) {
      if (!n.startsWith(TASKS_PREFIX) && !n.equals(INPUT)) {
        params.add(n);
      }
    }
    return Collections.unmodifiableList(params);
  }

  /**
   * The task id in a {@code tasks.<id>.output} placeholder, or null when the name is not of that form.
   */
  public static @Nullable String taskReference(String placeholder) {
    if (!placeholder.startsWith(TASKS_PREFIX) || !placeholder.endsWith(".output")) {
      return null;
    }
    String id = placeholder.substring(TASKS_PREFIX.length(), placeholder.length() - ".output".length());
    return id.isEmpty() ? null : id;
  }

  /**
   * Fills every placeholder in one pass. A placeholder whose lookup returns null stays as written.
   *
   * @param lookup the value of each placeholder name
   * @return the rendered text
   */
  public String render(Function<String, @Nullable String> lookup) {
    if (names.isEmpty()) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 64);
    int last = 0;
    while (m.find()) {
      String value = lookup.apply(m.group(1));
      out.append(text, last, m.start());
      out.append(value != null ? value : m.group());
      last = m.end();
    }
    out.append(text, last, text.length());
    return out.toString();
  }

  /** The template text as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
