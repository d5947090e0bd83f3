package dev.orchestrator.templates;

import java.util.Objects;

/**
 * Where a template was loaded from, for reports and precedence.
 *
 * @param kind the kind of source, which decides precedence
 * @param source the source's id ({@code builtin}, a pack's id, {@code user}, {@code file})
 * @param location the file or resource, for people
 */
public record TemplateOrigin(SourceKind kind, String source, String location) {
  public TemplateOrigin {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
  }

  /** The origin of a template parsed from text with no file behind it. */
  public static TemplateOrigin text() {
    return new TemplateOrigin(SourceKind.FILE, "text", "<string>");
  }

  @Override
  public String toString() {
    return location + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + source + "')";
  }
}
