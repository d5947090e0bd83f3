package dev.orchestrator.templates;

/**
 * Where a template came from. The constants are in order of precedence: when two sources hold a template with
 * the same id, the one whose kind comes first wins and the other is reported by
 * {@link TemplateLibrary#shadowed()}. The nearer a source is to the person running the workflow, the higher it
 * ranks: a file named explicitly beats the user's directory, which beats sources the application registered,
 * which beat packs found on the class path, which beat the built-in library.
 */
public enum SourceKind {
  /** A file named explicitly with {@link TemplateLibrary.Builder#file(java.nio.file.Path)} or parsed from text. */
  FILE,
  /** The user's template directory ({@code custom/user_templates} by default). */
  USER_DIRECTORY,
  /** A {@link dev.orchestrator.templates.spi.TemplateSource} registered with {@link TemplateLibrary.Builder#source}. */
  REGISTERED,
  /** A template pack discovered through {@link java.util.ServiceLoader}. */
  PACK,
  /** The library bundled in this jar. */
  BUILT_IN
}
