package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budget set} typed in a real shell, through the launcher script: an unquoted {@code $100} is expanded by the
 * shell before the program sees it, and is refused with the quoting rule instead of being saved as another limit.
 * Runs after {@code package} (it needs the runnable jar).
 */
class BudgetSetShellIT {
  @TempDir
  Path temp;

  private record Result(int code, String out, String err) {}

  /** Runs {@code line} (the arguments after the launcher, as typed) through bash, with no positional parameters. */
  private Result shell(String line) throws IOException, InterruptedException {
    String command = "'" + Launcher.SCRIPT + "' --data-dir '" + temp.resolve("data") + "' --config '"
        + temp.resolve("config.json") + "' " + line;
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command);
    pb.environment().remove("ORCHESTRATOR_HOME");
    pb.environment().put("ORCHESTRATOR_JAVA_OPTS", Launcher.QUICK_JVM);
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("orchestrator " + line + " did not end within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void anUnquotedDollarIsRefusedAndAQuotedOneIsSaved() throws Exception {
    Files.writeString(temp.resolve("config.json"), CliHarness.CONFIG);
    assertThat(shell("project create demo").code()).isZero();
    Result mangled = shell("--project demo budget set --limit $100");
    assertThat(mangled.code()).as(mangled.toString()).isEqualTo(2);
    assertThat(mangled.err()).contains("--limit was '00'", "quote the $ (--limit '$100')");
    assertThat(shell("--project demo budget report").out()).contains("Remaining: no limit set");

    Result quoted = shell("--project demo budget set --limit '$100'");
    assertThat(quoted.code()).as(quoted.toString()).isZero();
    assertThat(quoted.out()).contains("Budget set: project demo limit $100.00.");
  }
}
