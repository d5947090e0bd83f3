package dev.orchestrator.templates;

import java.util.List;
import java.util.Objects;

/**
 * A document or source that a {@link TemplateLibrary} skipped, and why. The rest of the library loaded.
 *
 * @param location the document, or the source's class
 * @param problems what is wrong, each naming the field, the value and the fix
 */
public record LoadProblem(String location, List<String> problems) {
  public LoadProblem {
    Objects.requireNonNull(location, "location");
    problems = List.copyOf(problems);
  }

  @Override
  public String toString() {
    return location + ": " + String.join("; ", problems);
  }
}
