package dev.orchestrator.spi.guard;

/**
 * A check on what is sent to a provider and what comes back. Implementations must be thread-safe, quick and must
 * not throw: a problem is a {@link Verdict}. Both checks allow by default, so a guard overrides only what it checks.
 *
 * <pre>{@code
 * final class NoShouting implements Guard {
 *   public String name() { return "no-shouting"; }
 *   public Verdict checkOutput(GuardInput in) {
 *     return in.text().equals(in.text().toUpperCase()) ? Verdict.flag("the output shouts") : Verdict.allow();
 *   }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface Guard {
  /** A short name for events and messages. */
  String name();

  /** Checks a prompt before it is sent. */
  default Verdict checkPrompt(GuardInput input) {
    return Verdict.allow();
  }

  /** Checks an output before the task succeeds with it. */
  default Verdict checkOutput(GuardInput input) {
    return Verdict.allow();
  }
}
