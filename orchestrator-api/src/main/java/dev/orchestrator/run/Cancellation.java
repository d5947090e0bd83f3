package dev.orchestrator.run;

import java.time.Instant;
import java.util.Objects;

/**
 * Who cancelled a task or run, why and when.
 *
 * <p>A record: its shape is final.
 *
 * @param by a person or program, such as {@code "alice"} or {@code "cli"}
 * @param reason why, in words
 * @param at when
 * @since 0.1
 */
public record Cancellation(String by, String reason, Instant at) {
  public Cancellation {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}
