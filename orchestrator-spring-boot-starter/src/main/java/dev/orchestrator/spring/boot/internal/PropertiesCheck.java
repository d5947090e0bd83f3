package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.spring.boot.OrchestratorProperties;
import org.springframework.validation.Errors;

/**
 * Turns the {@link Problems} found in {@link OrchestratorProperties} into Spring's binding errors, so startup fails
 * with each property, its value and the fix (a secret's value is never given to Spring, which would print it).
 */
public final class PropertiesCheck {
  private PropertiesCheck() {}

  /** Rejects every wrong value of {@code properties} in {@code errors}. */
  public static void check(OrchestratorProperties properties, Errors errors) {
    for (Problems.Problem p : Settings.read(properties).problems().all()) {
      if (p.secret()) {
        errors.reject("orchestrator.invalid", p.property() + " " + p.message());
      } else {
        errors.rejectValue(p.field(), "orchestrator.invalid", p.message());
      }
    }
  }
}
