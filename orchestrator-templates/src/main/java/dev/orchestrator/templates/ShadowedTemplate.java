package dev.orchestrator.templates;

import java.util.Objects;

/**
 * A template that lost to another with the same id: it is not in the library. Reported so that nobody wonders
 * why their copy is ignored.
 *
 * @param id the shared id
 * @param winner where the template in the library came from
 * @param loser where the ignored one came from
 */
public record ShadowedTemplate(String id, TemplateOrigin winner, TemplateOrigin loser) {
  public ShadowedTemplate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(winner, "winner");
    Objects.requireNonNull(loser, "loser");
  }

  @Override
  public String toString() {
    return "template '" + id + "' of " + loser + " is shadowed by " + winner;
  }
}
