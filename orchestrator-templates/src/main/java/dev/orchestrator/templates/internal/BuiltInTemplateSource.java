package dev.orchestrator.templates.internal;

import dev.orchestrator.templates.spi.ClasspathTemplateSource;

/** The library bundled in this jar, below {@value #ROOT}. */
public final class BuiltInTemplateSource extends ClasspathTemplateSource {
  public static final String ID = "builtin";
  public static final String ROOT = "dev/orchestrator/templates/library";

  public BuiltInTemplateSource() {
    super(ID, ROOT);
  }
}
