package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import java.util.regex.Pattern;

/**
 * Finds personal data (email addresses, phone numbers) in prompts and outputs and blocks or redacts it. Thread-safe.
 */
public final class PiiGuard implements Guard {
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}");
  /** International or national numbers of 9 to 15 digits, with spaces, dots, dashes or brackets between groups. */
  private static final Pattern PHONE =
      Pattern.compile("(?<![\\w.])\\+?\\(?\\d{1,4}\\)?(?:[ .\\-]?\\(?\\d{2,4}\\)?){2,5}(?![\\w.])");

  /** What to do with personal data. */
  public enum Action {
    /** Stop the task. */
    BLOCK,
    /** Replace it and go on. */
    REDACT
  }

  private final Action action;
  private final boolean prompts;
  private final boolean outputs;

  private PiiGuard(Action action, boolean prompts, boolean outputs) {
    this.action = action;
    this.prompts = prompts;
    this.outputs = outputs;
  }

  /** Checks prompts and outputs. */
  public static PiiGuard of(Action action) {
    return new PiiGuard(action, true, true);
  }

  /** Checks only what is chosen. */
  public static PiiGuard of(Action action, boolean prompts, boolean outputs) {
    return new PiiGuard(action, prompts, outputs);
  }

  @Override
  public String name() {
    return "pii";
  }

  @Override
  public Verdict checkPrompt(GuardInput input) {
    return prompts ? check(input.text(), "prompt") : Verdict.allow();
  }

  @Override
  public Verdict checkOutput(GuardInput input) {
    return outputs ? check(input.text(), "output") : Verdict.allow();
  }

  private Verdict check(String text, String where) {
    boolean email = EMAIL.matcher(text).find();
    boolean phone = !email && countDigits(text) >= 9 && PHONE.matcher(text).results()
        .anyMatch(m -> countDigits(m.group()) >= 9 && countDigits(m.group()) <= 15);
    if (!email && !phone) {
      return Verdict.allow();
    }
    String kind = email ? "an email address" : "a phone number";
    if (action == Action.BLOCK) {
      return Verdict.block("the " + where + " holds " + kind + ": remove personal data or allow it explicitly");
    }
    String redacted = EMAIL.matcher(text).replaceAll("[email]");
    redacted = PHONE.matcher(redacted).replaceAll(r -> countDigits(r.group()) >= 9 ? "[phone]" : r.group());
    return Verdict.redact("personal data in the " + where + " was redacted", redacted);
  }

  private static int countDigits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
