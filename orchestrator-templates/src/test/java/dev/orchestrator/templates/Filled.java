package dev.orchestrator.templates;

import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.Workflow;

/** A template-made workflow's text as the engine will fill it from the values bound as defaults. */
final class Filled {
  private Filled() {}

  static String text(Workflow w, String text) {
    return PromptTemplate.of(text).render(w.defaults()::get);
  }
}
