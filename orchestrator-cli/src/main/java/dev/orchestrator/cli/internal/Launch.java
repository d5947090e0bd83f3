package dev.orchestrator.cli.internal;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the picocli command line around a context: factory, bundle, error handling, exit codes. */
public final class Launch {
  /**
   * The commands that change their project: refused in an archived project, which is read-only. Every other
   * command only reads it.
   */
  static final java.util.Set<String> WRITING = java.util.Set.of("orchestrator run", "orchestrator template run",
      "orchestrator resume", "orchestrator answer", "orchestrator cancel", "orchestrator priority",
      "orchestrator budget set", "orchestrator schedule add", "orchestrator schedule pause",
      "orchestrator schedule resume", "orchestrator schedule remove");

  private Launch() {}

  /** The configured command line; its {@code execute} returns the exit code. */
  public static CommandLine commandLine(Cli cli) {
    RootCommand root = new RootCommand();
    CommandLine cl = new CommandLine(root, RootCommand.factory(cli));
    cli.options(root.options());
    cl.setOut(cli.out());
    cl.setErr(cli.err());
    cl.setOverwrittenOptionsAllowed(true);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine.IExecutionStrategy last = new CommandLine.RunLast();
    cl.setExecutionStrategy(parseResult -> {
      CommandLine.ParseResult leaf = parseResult;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      cli.writing(WRITING.contains(leaf.commandSpec().qualifiedName(" ")));
      return last.execute(parseResult);
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = cli.err();
      err.println(Messages.get("error.line", Errors.line(e)));
      if (cli.verbose()) {
        e.printStackTrace(err);
      } else if (Errors.exitCode(e) == ExitCodes.INTERNAL) {
        err.println(Messages.get("error.verboseHint"));
      }
      err.flush();
      return Errors.exitCode(e);
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = cli.err();
      err.println(Messages.get("error.line", Texts.cutQuoted(String.valueOf(ex.getMessage()))));
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      if (ex instanceof CommandLine.MissingParameterException missing) {
        for (CommandLine.Model.ArgSpec a : missing.getMissing()) {
          if (a instanceof CommandLine.Model.OptionSpec o && "<amount>".equals(o.paramLabel())) {
            // An unquoted $5 reaches us as no argument at all: the shell expanded it to nothing.
            err.println(Messages.get("budget.quoteHint", o.longestName()));
          }
        }
      }
      err.println(Messages.get("error.usageHint", ex.getCommandLine().getCommandSpec().qualifiedName()));
      err.flush();
      return ExitCodes.USAGE;
    });
    return cl;
  }
}
