package dev.orchestrator.templates.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One JSON document of a {@link TemplateSource}: a workflow template or a project template, not parsed yet.
 *
 * @param kind what the document describes
 * @param id the id it is known by unless it has an {@code id} field (usually the file name without {@code .json})
 * @param category the category folder it sits in, or null; the document's own {@code category} field wins
 * @param location where it is, for messages, such as {@code jar:acme-pack.jar!/com/acme/templates/launch.json}
 * @param content the JSON text
 */
public record TemplateDocument(Kind kind, String id, @Nullable String category, String location, String content) {
  /** What a document describes. */
  public enum Kind {
    /** A workflow template ({@link dev.orchestrator.templates.Template}). */
    WORKFLOW,
    /** A project configuration template ({@link dev.orchestrator.templates.ProjectTemplate}). */
    PROJECT
  }

  public TemplateDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(content, "content");
  }

  /** A workflow template document. */
  public static TemplateDocument workflow(String id, @Nullable String category, String location, String content) {
    return new TemplateDocument(Kind.WORKFLOW, id, category, location, content);
  }

  /** A project template document. */
  public static TemplateDocument project(String id, String location, String content) {
    return new TemplateDocument(Kind.PROJECT, id, null, location, content);
  }
}
