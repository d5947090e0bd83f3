package dev.orchestrator.templates;

import dev.orchestrator.OrchestratorException;
import java.util.List;

/** No template of a {@link TemplateLibrary} has the requested id or name; the message suggests close matches. */
public final class TemplateNotFoundException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String requested;
  private final List<String> suggestions;

  /**
   * @param requested the id or name asked for
   * @param suggestions ids of templates with a similar name, possibly empty
   */
  public TemplateNotFoundException(String requested, List<String> suggestions) {
    super("no template '" + requested + "'"
        + (suggestions.isEmpty() ? ": list the templates to see what exists"
            : ": did you mean " + String.join(", ", suggestions) + "?"));
    this.requested = requested;
    this.suggestions = List.copyOf(suggestions);
  }

  /** The id or name asked for. */
  public String requested() {
    return requested;
  }

  /** Ids of similar templates. */
  public List<String> suggestions() {
    return suggestions;
  }
}
