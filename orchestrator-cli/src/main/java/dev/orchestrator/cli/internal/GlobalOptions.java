package dev.orchestrator.cli.internal;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every command takes, anywhere on the command line. */
public final class GlobalOptions {
  @Option(names = "--data-dir", paramLabel = "<dir>", scope = ScopeType.INHERIT, descriptionKey = "opt.dataDir")
  @Nullable Path dataDir;

  @Option(names = "--config", paramLabel = "<file>", scope = ScopeType.INHERIT, descriptionKey = "opt.config")
  @Nullable Path config;

  @Option(names = {"-p", "--project"}, paramLabel = "<name>", scope = ScopeType.INHERIT,
      descriptionKey = "opt.project")
  @Nullable String project;

  @Option(names = "--store", paramLabel = "<url>", scope = ScopeType.INHERIT, descriptionKey = "opt.store")
  @Nullable String store;

  @Option(names = "--notify-wait", paramLabel = "<duration>", scope = ScopeType.INHERIT,
      descriptionKey = "opt.notifyWait")
  @Nullable String notifyWait;

  @Option(names = "--json", scope = ScopeType.INHERIT, descriptionKey = "opt.json")
  boolean json;

  @Option(names = {"-v", "--verbose", "--debug"}, scope = ScopeType.INHERIT, descriptionKey = "opt.verbose")
  boolean verbose;
}
