package dev.orchestrator.core.internal;

import dev.orchestrator.project.Project;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
   * The workflow's defaults overlaid with {@code params} written as text (collections joined with ", "); a problem
   * is added for every null value and every parameter left without one.
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

  private static String text(Object value) {
    if (value instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>(c.size());
      for (Object o : c) {
        parts.add(String.valueOf(o));
      }
      return String.join(", ", parts);
    }
    return String.valueOf(value);
  }
}
