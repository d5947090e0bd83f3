package dev.orchestrator.templates;

import dev.orchestrator.templates.spi.ClasspathTemplateSource;

/** A template pack discovered through META-INF/services, as a third-party jar would ship it. */
public final class TestPack extends ClasspathTemplateSource {
  public TestPack() {
    super("testpack", "testpack");
  }
}
