package dev.orchestrator.cli.internal;

import dev.orchestrator.spi.store.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Asking the process that executes a run to do something, through the store's command queue. */
final class Remote {
  /** How long to wait for the executing process to act (it polls the store about once a second). */
  static final Duration WAIT = Duration.ofSeconds(20);

  private Remote() {}

  static String user() {
    return System.getProperty("user.name", "cli");
  }

  /** Queues the command and waits until {@code done} holds; returns whether it did in time. */
  static boolean send(Cli cli, Command.Kind kind, String project, @Nullable String runId, @Nullable String target,
      String text, BooleanSupplier done) {
    cli.commands().submit(new Command(UUID.randomUUID().toString(), kind, project, runId, target, user(), text,
        Instant.now()));
    return Waits.until(done, Duration.ofMillis(200), WAIT);
  }
}
