package dev.orchestrator.providers.internal.cli;

import dev.orchestrator.Scheduler;
import dev.orchestrator.spi.provider.Health;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A command-line agent's health probe: the instance's {@code healthCommand} (such as {@code claude --version}), run
 * with no prompt; exit code 0 within {@link #TIMEOUT} is {@link Health.Status#UP}. Costs nothing and asks no model.
 */
final class AgentHealth {
  /** How long the health command may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private AgentHealth() {}

  static CompletableFuture<Health> probe(@Nullable List<String> command, @Nullable Path workingDirectory,
      Scheduler scheduler) {
    if (command == null) {
      return CompletableFuture.completedFuture(Health.unknown("no healthCommand (set one, such as: claude --version)"));
    }
    CompletableFuture<Health> out = new CompletableFuture<>();
    long started = System.nanoTime();
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
              Path.of("/dev/null").toFile()));
      if (workingDirectory != null) {
        pb.directory(workingDirectory.toFile());
      }
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(Health.down(null, "healthCommand " + command.get(0)
          + " could not start (" + e.getMessage() + "): check that it is installed and on the PATH"));
    }
    Scheduler.Cancellable timer = scheduler.schedule(() -> {
      p.destroyForcibly();
      out.complete(Health.down(null, "healthCommand did not end within " + TIMEOUT.toSeconds() + " s"));
    }, TIMEOUT);
    p.onExit().thenAccept(done -> {
      timer.cancel();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      int code = done.exitValue();
      out.complete(code == 0 ? Health.up(took, "healthCommand exited 0")
          : Health.down(took, "healthCommand exited " + code));
    });
    return out;
  }
}
