package dev.orchestrator.cli;

import dev.orchestrator.cli.internal.Cli;
import dev.orchestrator.cli.internal.Launch;
import dev.orchestrator.cli.internal.Stores;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code orchestrator} command: {@code java -jar orchestrator-cli-VERSION-all.jar <command> ...}, or
 * {@code bin/orchestrator <command> ...}. Exits with the documented exit codes ({@code orchestrator --help}).
 */
public final class Main {
  /** How long the shutdown hooks may take once the command is done. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(15);

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    java.util.List<String> argList = java.util.Arrays.asList(args);
    boolean verbose = argList.contains("--verbose") || argList.contains("--debug") || argList.contains("-v");
    // The log binding reads these once, before the first logger. Without --verbose people see what the command
    // prints and nothing else: what they must know (a failure, a simulated provider, a budget pause) is said in a
    // sentence, and a failure that lasts is the command's one-line error. Log lines (the pool dropping a broken
    // connection when another process closes the shared file, a retried store call) are for --verbose.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    // Libraries that log through java.util.logging (the notifiers' Angus Mail, for one): the same.
    java.util.logging.Logger.getLogger("").setLevel(verbose ? java.util.logging.Level.INFO
        : java.util.logging.Level.OFF);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(args, out, err, System::getenv, Stores::open, System.console() != null);
    haltIfExitHangs(code);
    System.exit(code);
  }

  /**
   * The embedded database is closed by its own shutdown hook, after the command's store was closed. A defect of H2
   * 2.4 can make that hook spin forever (its background LOB cleaner, when the database closes under it), which would
   * hang the command after its work is done. Everything the command committed is already in the file (each commit is
   * written before it returns), so a hook that has not finished after {@link #EXIT_GRACE} is cut short and the process
   * ends with its exit code.
   */
  private static void haltIfExitHangs(int code) {
    ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-exit-guard");
      t.setDaemon(true);
      return t;
    });
    guard.schedule(() -> Runtime.getRuntime().halt(code), EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs one command line in this process and returns its exit code: what {@link #main} does, with the output,
   * the environment and the store given (tests use it).
   *
   * @param interactive whether a person is at a terminal (live progress, Ctrl-C asks)
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err,
      Function<String, @Nullable String> env, Stores.Opener stores, boolean interactive) {
    try (Cli cli = new Cli(out, err, env, stores, interactive, java.util.List.of(args))) {
      return Launch.commandLine(cli).execute(args);
    }
  }

  /** The same with the real environment and store. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return execute(args, out, err, env::get, Stores::open, false);
  }
}
