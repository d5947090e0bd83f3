package dev.orchestrator.templates.spi;

import java.util.List;

/**
 * Supplies template documents to a {@link dev.orchestrator.templates.TemplateLibrary}: the way a template pack
 * ships as a jar. Implementations are discovered through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.orchestrator.templates.spi.TemplateSource}) or registered explicitly with
 * {@link dev.orchestrator.templates.TemplateLibrary.Builder#source(TemplateSource)}, which wins over discovery.
 *
 * <p>Most packs need no code beyond a subclass of {@link ClasspathTemplateSource}:
 *
 * <pre>{@code
 * public final class AcmeMarketingPack extends ClasspathTemplateSource {
 *   public AcmeMarketingPack() {
 *     super("acme-marketing", "com/acme/templates");   // reads com/acme/templates/templates.list
 *   }
 * }
 * }</pre>
 *
 * <p>Discovery is defensive: a source that cannot be created or whose {@link #documents()} throws is reported
 * by class name and skipped, and so is a document that is not a valid template; two discovered sources with the
 * same {@link #id()} are an error naming both classes. Implementations must be thread-safe.
 */
public interface TemplateSource {
  /** A short unique name for reports and precedence ties, such as {@code acme-marketing}. */
  String id();

  /**
   * Among discovered packs, a higher priority wins when two hold a template with the same id (ties go to the
   * smaller {@link #id()}). It never lifts a pack above the user's directory or explicit files. 0 by default.
   */
  default int priority() {
    return 0;
  }

  /**
   * Every document this source holds, read now.
   *
   * @throws java.io.UncheckedIOException when the documents cannot be read; the library reports it and skips
   *     this source
   */
  List<TemplateDocument> documents();
}
