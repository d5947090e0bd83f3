package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Length and pattern limits: a prompt or output longer than allowed, or matching a forbidden pattern, is blocked
 * (or only flagged). Thread-safe.
 */
public final class LimitGuard implements Guard {
  private final int maxPromptChars;
  private final int maxOutputChars;
  private final List<Pattern> forbidden;
  private final boolean flagOnly;

  private LimitGuard(int maxPromptChars, int maxOutputChars, List<Pattern> forbidden, boolean flagOnly) {
    if (maxPromptChars < 1 || maxOutputChars < 1) {
      throw new IllegalArgumentException("length limits must be >= 1 (was prompt=" + maxPromptChars + ", output="
          + maxOutputChars + ")");
    }
    this.maxPromptChars = maxPromptChars;
    this.maxOutputChars = maxOutputChars;
    this.forbidden = List.copyOf(forbidden);
    this.flagOnly = flagOnly;
  }

  /**
   * A guard with these limits.
   *
   * @param forbidden regular expressions no prompt or output may match
   * @param flagOnly record a breach as an event instead of blocking
   */
  public static LimitGuard of(int maxPromptChars, int maxOutputChars, List<String> forbidden, boolean flagOnly) {
    return new LimitGuard(maxPromptChars, maxOutputChars,
        forbidden.stream().map(p -> Pattern.compile(p)).toList(), flagOnly);
  }

  @Override
  public String name() {
    return "limits";
  }

  @Override
  public Verdict checkPrompt(GuardInput input) {
    return check(input.text(), maxPromptChars, "prompt");
  }

  @Override
  public Verdict checkOutput(GuardInput input) {
    return check(input.text(), maxOutputChars, "output");
  }

  private Verdict check(String text, int max, String where) {
    String reason = null;
    if (text.length() > max) {
      reason = "the " + where + " is " + text.length() + " characters long, more than the limit of " + max;
    } else {
      for (Pattern p : forbidden) {
        if (p.matcher(text).find()) {
          reason = "the " + where + " matches the forbidden pattern " + p.pattern();
          break;
        }
      }
    }
    if (reason == null) {
      return Verdict.allow();
    }
    return flagOnly ? Verdict.flag(reason) : Verdict.block(reason);
  }
}
