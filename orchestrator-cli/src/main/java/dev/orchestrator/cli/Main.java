package dev.orchestrator.cli;

import dev.orchestrator.cli.internal.Cli;
import dev.orchestrator.cli.internal.Launch;
import dev.orchestrator.cli.internal.Stores;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code orchestrator} command: {@code java -jar orchestrator-cli-VERSION-all.jar <command> ...}, or
 * {@code bin/orchestrator <command> ...}. Exits with the documented exit codes ({@code orchestrator --help}).
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args)
        .contains("-v");
    // The log binding reads these once, before the first logger: warnings only, unless verbose.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    // Libraries that log through java.util.logging (Hibernate Validator says hello at INFO): warnings only.
    java.util.logging.Logger.getLogger("").setLevel(verbose ? java.util.logging.Level.INFO
        : java.util.logging.Level.WARNING);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(args, out, err, System::getenv, Stores::open, System.console() != null);
    System.exit(code);
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
