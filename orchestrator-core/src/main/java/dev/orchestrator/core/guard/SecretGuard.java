package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials (API keys of the common providers, cloud access keys, tokens, private keys) so they are never
 * sent to a provider: a prompt that holds one is blocked by default (or redacted), and one in an output is redacted.
 * Its reasons name the kind of secret, never the secret. Thread-safe.
 */
public final class SecretGuard implements Guard {
  /** The shapes it knows, by name. */
  static final Map<String, Pattern> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("Anthropic API key", Pattern.compile("sk-ant-[A-Za-z0-9_\\-]{20,}"));
    SHAPES.put("OpenAI API key", Pattern.compile("sk-(?:proj-|svcacct-)?[A-Za-z0-9_\\-]{20,}"));
    SHAPES.put("Google API key", Pattern.compile("AIza[0-9A-Za-z_\\-]{35}"));
    SHAPES.put("AWS access key", Pattern.compile("(?:AKIA|ASIA)[0-9A-Z]{16}"));
    SHAPES.put("GitHub token", Pattern.compile("gh[pousr]_[A-Za-z0-9]{36,}"));
    SHAPES.put("Slack token", Pattern.compile("xox[abposr]-[A-Za-z0-9\\-]{10,}"));
    SHAPES.put("private key", Pattern.compile("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\\s\\S]*?(?:-----END (?:[A-Z]+ )*"
        + "PRIVATE KEY-----|$)"));
    SHAPES.put("bearer token", Pattern.compile("(?i)bearer\\s+[A-Za-z0-9\\-._~+/]{24,}=*"));
  }

  private final boolean redactPrompts;

  private SecretGuard(boolean redactPrompts) {
    this.redactPrompts = redactPrompts;
  }

  /** Blocks prompts that hold a secret; redacts secrets in outputs. */
  public static SecretGuard blocking() {
    return new SecretGuard(false);
  }

  /** Redacts secrets in prompts and outputs. */
  public static SecretGuard redacting() {
    return new SecretGuard(true);
  }

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public Verdict checkPrompt(GuardInput input) {
    Found f = find(input.text());
    if (f == null) {
      return Verdict.allow();
    }
    return redactPrompts ? Verdict.redact("the prompt held a " + f.kind + "; it was redacted", f.redacted)
        : Verdict.block("the prompt holds a " + f.kind + ": remove it before sending");
  }

  @Override
  public Verdict checkOutput(GuardInput input) {
    Found f = find(input.text());
    return f == null ? Verdict.allow() : Verdict.redact("the output held a " + f.kind + "; it was redacted", f.redacted);
  }

  private record Found(String kind, String redacted) {}

  /** Fragments every known shape contains; a text with none of them is clean, without running the expressions. */
  private static final String[] HINTS = {"sk-", "AIza", "AKIA", "ASIA", "gh", "xox", "PRIVATE KEY", "earer", "EARER"};

  private static Found find(String text) {
    boolean possible = false;
    for (String hint : HINTS) {
      if (text.contains(hint)) {
        possible = true;
        break;
      }
    }
    if (!possible) {
      return null;
    }
    String kind = null;
    String redacted = text;
    for (Map.Entry<String, Pattern> e : SHAPES.entrySet()) {
      Matcher m = e.getValue().matcher(redacted);
      if (m.find()) {
        kind = kind == null ? e.getKey() : kind;
        redacted = m.replaceAll("[REDACTED " + e.getKey() + "]");
      }
    }
    return kind == null ? null : new Found(kind, redacted);
  }
}
