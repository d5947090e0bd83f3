package dev.orchestrator.spi.guard;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A guard's decision. {@code reason} says why in words for people, and never repeats a secret it found.
 *
 * @param action what to do
 * @param reason why; empty when allowed
 * @param replacement the redacted text for {@link Action#REDACT}, the repair instructions for {@link Action#REPAIR},
 *     else null
 *
 * @since 0.1
 */
public record Verdict(Action action, String reason, @Nullable String replacement) {
  /** What a guard decides. */
  public enum Action {
    /** Go on. */
    ALLOW,
    /** Go on with {@code replacement} instead of the text. */
    REDACT,
    /** Go on, and record the reason in an event. */
    FLAG,
    /** Ask the provider once more with {@code replacement} as repair instructions; block if it fails again. */
    REPAIR,
    /** Stop: the prompt is not sent, or the output is not accepted; the task fails with the reason. */
    BLOCK
  }

  public Verdict {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    if ((action == Action.REDACT || action == Action.REPAIR) && replacement == null) {
      throw new IllegalArgumentException(action + " needs a replacement text");
    }
  }

  private static final Verdict ALLOW = new Verdict(Action.ALLOW, "", null);

  /** Go on. */
  public static Verdict allow() {
    return ALLOW;
  }

  /** Go on with the redacted text. */
  public static Verdict redact(String reason, String redacted) {
    return new Verdict(Action.REDACT, reason, redacted);
  }

  /** Go on and record why. */
  public static Verdict flag(String reason) {
    return new Verdict(Action.FLAG, reason, null);
  }

  /** Ask once more with these instructions. */
  public static Verdict repair(String reason, String instructions) {
    return new Verdict(Action.REPAIR, reason, instructions);
  }

  /** Stop. */
  public static Verdict block(String reason) {
    return new Verdict(Action.BLOCK, reason, null);
  }
}
