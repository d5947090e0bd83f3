package dev.orchestrator.templates;

import dev.orchestrator.templates.spi.TemplateDocument;
import dev.orchestrator.templates.spi.TemplateSource;
import java.util.List;

/** A pack that reuses {@link TestPack}'s id; listed only by a test that expects the clash to be reported. */
public final class SameIdPack implements TemplateSource {
  @Override
  public String id() {
    return "testpack";
  }

  @Override
  public List<TemplateDocument> documents() {
    return List.of();
  }
}
