package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A pause that every engine instance sharing the store honours: no new task of the project (or on the provider)
 * starts while it is stored; calls already running finish.
 *
 * @param kind what is paused
 * @param name the project's name, or the provider instance's lower-case name
 * @param reason why, shown to users
 * @param at when it was paused
 * @since 0.1
 */
public record Pause(Kind kind, String name, String reason, Instant at) {
  /** What a pause stops. */
  public enum Kind {
    /** Every task of one project. */
    PROJECT,
    /** Every task on one provider instance. */
    PROVIDER
  }

  public Pause {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    if (kind == Kind.PROVIDER) {
      name = name.toLowerCase(Locale.ROOT);
    }
  }
}
