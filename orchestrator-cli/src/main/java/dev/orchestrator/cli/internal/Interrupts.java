package dev.orchestrator.cli.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C while a run is in the foreground: instead of killing the process (and leaving the run to be recovered),
 * the handler asks whether to cancel, and cancels cleanly. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, present in every JDK since 9); where it is missing, Ctrl-C keeps its default meaning.
 */
final class Interrupts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Interrupts.class);

  private final @org.jspecify.annotations.Nullable Object previous;

  private Interrupts(@org.jspecify.annotations.Nullable Object previous) {
    this.previous = previous;
  }

  /** Runs {@code onInterrupt} on its own thread at each Ctrl-C until closed. */
  @SuppressWarnings("removal")
  static Interrupts install(Runnable onInterrupt) {
    try {
      sun.misc.Signal sig = new sun.misc.Signal("INT");
      sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, s -> {
        Thread t = new Thread(onInterrupt, "orchestrator-interrupt");
        t.setDaemon(true);
        t.start();
      });
      return new Interrupts(old);
    } catch (IllegalArgumentException | LinkageError e) {
      log.debug("Ctrl-C handling unavailable", e);
      return new Interrupts(null);
    }
  }

  @Override
  @SuppressWarnings("removal")
  public void close() {
    if (previous instanceof sun.misc.SignalHandler h) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
      } catch (IllegalArgumentException e) {
        log.debug("Ctrl-C handler not restored", e);
      }
    }
  }
}
