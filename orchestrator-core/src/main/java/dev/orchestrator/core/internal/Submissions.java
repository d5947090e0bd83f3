package dev.orchestrator.core.internal;

import dev.orchestrator.project.Project;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The checks every submission makes, in-process or into a cluster: the project and the parameter values. */
public final class Submissions {
  private Submissions() {}

  /**
   * Checks a project name, and that the project is not archived.
   *
   * @throws IllegalArgumentException when the name is invalid
   * @throws IllegalStateException when the project is archived
   */
  public static void checkProject(Store store, String project) {
    checkName(project);
    store.project(project).ifPresent(p -> {
      if (p.archived()) {
        throw new IllegalStateException("project '" + project + "' is archived and read-only: restore it first");
      }
    });
  }

  /** Checks a project name only. */
  public static void checkName(String project) {
    if (project == null || !Project.NAME.matcher(project).matches()) {
      throw new IllegalArgumentException("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', "
          + "starting with a letter or digit (was " + (project == null ? "null" : "'" + project + "'") + ")");
    }
  }

  /**
   * The workflow's defaults overlaid with {@code params} written as text by {@link #text(Object)}; a problem is added
   * for every null value and every parameter left without one.
   */
  public static Map<String, String> values(Workflow workflow, Map<String, ?> params, List<String> problems) {
    Map<String, String> values = new LinkedHashMap<>(workflow.defaults());
    params.forEach((k, v) -> {
      if (v == null) {
        problems.add("parameter '" + k + "' is null: pass a value or leave it out to use its default");
      } else {
        values.put(k, text(v));
      }
    });
    for (String missing : workflow.missingParameters(values)) {
      problems.add("parameter '" + missing + "' has no value: pass it to submit(...) or give the workflow a default");
    }
    return values;
  }

  /**
   * A parameter value as prompts show it: text as given; a number in its shortest form without exponent
   * ({@code 300.0} as {@code 300}, {@code 0.5} as {@code 0.5}, {@code 1e21} as {@code 1000000000000000000000});
   * a boolean as {@code true} or {@code false}; a collection or an array as its items written so and joined with
   * {@code ", "}.
   */
  public static String text(@Nullable Object value) {
    if (value instanceof CharSequence cs) {
      return cs.toString();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return String.valueOf(value);
      }
      // Double.toString (Float.toString) is the shortest text that reads back as the same value.
      return plain(new BigDecimal(value.toString()));
    }
    if (value instanceof BigDecimal n) {
      return plain(n);
    }
    if (value instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>(c.size());
      for (Object o : c) {
        parts.add(text(o));
      }
      return String.join(", ", parts);
    }
    if (value != null && value.getClass().isArray()) {
      int n = Array.getLength(value);
      List<String> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        parts.add(text(Array.get(value, i)));
      }
      return String.join(", ", parts);
    }
    return String.valueOf(value);
  }

  private static String plain(BigDecimal n) {
    return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
  }
}
