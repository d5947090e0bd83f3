package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.spi.store.RunLease;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Steering a run from the command line (cancel, resume, answer) through an engine of this process, whichever engine
 * executes the run. The engine acts at once when no live engine holds the run: it takes the run over, and this
 * process executes it from then on. Otherwise it stores a command for the engine that holds the run, which carries
 * it out within about a second; this side then waits, bounded, until the change shows in the store.
 */
final class Steering {
  /** How long to wait for another engine to act (it takes its commands from the store about once a second). */
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(200);

  private Steering() {}

  /**
   * Where a run is executed after a steering call.
   *
   * @param here whether the engine of this process executes it (it took the run over)
   * @param engine the engine that executes it, or null when none holds it
   */
  record Outcome(boolean here, @Nullable String engine) {}

  /** Who asks, for the run's log. */
  static String user() {
    return System.getProperty("user.name", "cli");
  }

  /**
   * Calls {@code action} (a steering call on a handle of {@code engine}, or its {@code answer}) and says where the run
   * is executed afterwards: here when {@code engine} took the run over (it rebuilt the run from the store under a
   * lease of its own), else by the engine whose live lease holds it, if any.
   */
  static Outcome steer(Cli cli, Orchestrator engine, String project, String runId, Runnable action) {
    AtomicBoolean tookOver = new AtomicBoolean();
    // The engine announces a run it takes over before the steering call returns.
    try (Run.Subscription s = engine.subscribe(e -> {
      if (e instanceof RunRecoveredEvent r && r.runId().equals(runId) && r.project().equals(project)) {
        tookOver.set(true);
      }
    })) {
      action.run();
    }
    String holder = holder(cli, project, runId);
    boolean here = tookOver.get() || engine.engineName().equals(holder);
    return new Outcome(here, here ? engine.engineName() : holder);
  }

  /** The engine whose live lease holds the run now, or null when none does. */
  static @Nullable String holder(Cli cli, String project, String runId) {
    return cli.store().lease(project, runId).map(RunLease::owner).orElse(null);
  }

  /** The engine that executes the run, for a sentence: its name, or "another engine" when it went meanwhile. */
  static String name(Outcome outcome) {
    return outcome.engine() != null ? outcome.engine() : Messages.get("steer.anotherEngine");
  }

  /** Waits until {@code done} holds, at most {@link #WAIT}; returns whether it did. */
  static boolean await(BooleanSupplier done) {
    return Waits.until(done, POLL, WAIT);
  }

  /**
   * What to say when the change did not show in time: which engine was asked and has not confirmed yet, or that no
   * engine executes the run now and the request waits in the store for the one that takes it over.
   *
   * @param asked the key of the sentence for an engine that has not confirmed yet; its last argument is the engine
   */
  static void sayUnconfirmed(Cli cli, String project, String runId, String asked, Object... args) {
    String now = holder(cli, project, runId);
    if (now == null) {
      cli.say("steer.nobody", runId);
      return;
    }
    Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = now;
    cli.say(asked, all);
  }
}
