package dev.orchestrator.spi.guard;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A guard's decision. {@link #reason()} says why in words for people, and never repeats a secret it found. Create one
 * with {@link #allow()}, {@link #redact}, {@link #flag}, {@link #repair} or {@link #block}; the constructor is
 * private, so guards keep compiling when a decision carries more. Immutable and thread-safe; two verdicts are equal
 * when every value is equal.
 *
 * <pre>{@code
 * return text.contains(secret) ? Verdict.redact("an API key", text.replace(secret, "[REDACTED]")) : Verdict.allow();
 * }</pre>
 *
 * @since 0.1
 */
public final class Verdict {
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

  private static final Verdict ALLOW = new Verdict(Action.ALLOW, "", null);

  private final Action action;
  private final String reason;
  private final @Nullable String replacement;

  private Verdict(Action action, String reason, @Nullable String replacement) {
    this.action = action;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.replacement = replacement;
  }

  /** Go on. */
  public static Verdict allow() {
    return ALLOW;
  }

  /** Go on with the redacted text. */
  public static Verdict redact(String reason, String redacted) {
    return new Verdict(Action.REDACT, reason, Objects.requireNonNull(redacted, "redacted"));
  }

  /** Go on and record why. */
  public static Verdict flag(String reason) {
    return new Verdict(Action.FLAG, reason, null);
  }

  /** Ask once more with these instructions. */
  public static Verdict repair(String reason, String instructions) {
    return new Verdict(Action.REPAIR, reason, Objects.requireNonNull(instructions, "instructions"));
  }

  /** Stop. */
  public static Verdict block(String reason) {
    return new Verdict(Action.BLOCK, reason, null);
  }

  /** What to do. */
  public Action action() {
    return action;
  }

  /** Why, for people; empty when allowed. */
  public String reason() {
    return reason;
  }

  /**
   * The redacted text for {@link Action#REDACT}, the repair instructions for {@link Action#REPAIR}, else null.
   */
  public @Nullable String replacement() {
    return replacement;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Verdict v && action == v.action && reason.equals(v.reason)
        && Objects.equals(replacement, v.replacement);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, reason, replacement);
  }

  @Override
  public String toString() {
    return "Verdict[action=" + action + ", reason=" + reason + ", replacement=" + replacement + "]";
  }
}
