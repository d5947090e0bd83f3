package dev.orchestrator.cli.internal;

import java.util.concurrent.Callable;

/** A command with the invocation's context. */
abstract class CliCommand implements Callable<Integer> {
  protected final Cli cli;

  CliCommand(Cli cli) {
    this.cli = cli;
  }
}
