package dev.orchestrator.templates;

import java.util.List;
import java.util.Objects;

/**
 * A new project's complete configuration, resolved from a {@link ProjectTemplate} by
 * {@link TemplateLibrary#setUpProject(String, String)}: what the project module needs to create the project in
 * one step. Immutable and thread-safe.
 *
 * @param projectName the new project's name
 * @param template the project template it came from
 * @param workflows the workflow templates to install, resolved from the library
 */
public record ProjectSetup(String projectName, ProjectTemplate template, List<Template> workflows) {
  public ProjectSetup {
    Objects.requireNonNull(projectName, "projectName");
    Objects.requireNonNull(template, "template");
    workflows = List.copyOf(workflows);
    if (projectName.isBlank()) {
      throw new IllegalArgumentException("project name must not be blank: name the project, such as \"quantum-self\"");
    }
  }
}
