package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For command-line agents (providers of type {@code cli}): blocks prompts that ask for forbidden commands, or that
 * name absolute paths outside the allowed working directories. Other providers are not checked. Thread-safe.
 */
public final class CommandGuard implements Guard {
  /** Commands no agent should be asked to run. */
  public static final List<String> DEFAULT_FORBIDDEN = List.of("rm -rf /", "rm -rf ~", "sudo ", "mkfs", "dd if=",
      ":(){", "shutdown", "reboot", "chmod -r 777 /", "git push --force");
  /** A download piped straight into a shell, whatever the address. */
  private static final Pattern PIPE_TO_SHELL = Pattern.compile("(?i)\\b(curl|wget)\\b[^|\\n]*\\|\\s*(sudo\\s+)?(ba|z)?sh\\b");
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w:/.])(/[A-Za-z0-9._\\-]+(?:/[A-Za-z0-9._\\-]+)*)");

  private final List<String> forbidden;
  private final List<Path> allowedDirectories;

  private CommandGuard(List<String> forbidden, List<Path> allowedDirectories) {
    this.forbidden = forbidden.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
    this.allowedDirectories = allowedDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * A guard with these rules.
   *
   * @param forbidden command fragments no prompt may contain (case-insensitive)
   * @param allowedDirectories directories absolute paths in a prompt must lie under; empty allows any path
   */
  public static CommandGuard of(List<String> forbidden, List<Path> allowedDirectories) {
    return new CommandGuard(forbidden, allowedDirectories);
  }

  @Override
  public String name() {
    return "commands";
  }

  @Override
  public Verdict checkPrompt(GuardInput input) {
    if (!input.providerType().equals("cli")) {
      return Verdict.allow();
    }
    String lower = input.text().toLowerCase(Locale.ROOT);
    if (PIPE_TO_SHELL.matcher(lower).find()) {
      return Verdict.block("the prompt asks a command-line agent to pipe a download into a shell");
    }
    for (String f : forbidden) {
      if (lower.contains(f)) {
        return Verdict.block("the prompt asks a command-line agent to run the forbidden command '" + f.trim() + "'");
      }
    }
    if (!allowedDirectories.isEmpty()) {
      Matcher m = ABSOLUTE_PATH.matcher(input.text());
      while (m.find()) {
        Path p = Path.of(m.group(1)).normalize();
        if (allowedDirectories.stream().noneMatch(p::startsWith)) {
          return Verdict.block("the prompt names " + p + ", outside the allowed working directories "
              + allowedDirectories);
        }
      }
    }
    return Verdict.allow();
  }
}
