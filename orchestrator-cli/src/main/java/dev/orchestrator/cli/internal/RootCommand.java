package dev.orchestrator.cli.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchestrator}: the global options and the list of commands. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, resourceBundle = Messages.BUNDLE,
    versionProvider = RootCommand.Version.class, usageHelpAutoWidth = true,
    subcommands = {RunCommand.class, DryRunCommand.class, StatusCommand.class, LogsCommand.class,
        CancelCommand.class, PriorityCommand.class, ResumeCommand.class, AnswerCommand.class, BudgetCommand.class, ProjectCommand.class, TaskCommand.class,
        TemplateCommand.class, ProvidersCommand.class, WorkerCommand.class, DashboardCommand.class, ScheduleCommand.class,
        NotificationsCommand.class, LearnCommand.class, RollbackCommand.class,
        CommandLine.HelpCommand.class})
public final class RootCommand implements Runnable {
  @Mixin
  GlobalOptions options = new GlobalOptions();

  @CommandLine.Spec
  CommandLine.Model.@Nullable CommandSpec spec;

  /** The global options as parsed. */
  public GlobalOptions options() {
    return options;
  }

  @Override
  public void run() {
    CommandLine cl = Objects.requireNonNull(spec).commandLine();
    cl.usage(cl.getOut());
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"orchestrator " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }

  /** Creates commands with the invocation's context. */
  public static CommandLine.IFactory factory(Cli cli) {
    CommandLine.IFactory fallback = CommandLine.defaultFactory();
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (CliCommand.class.isAssignableFrom(type)) {
          var c = type.getDeclaredConstructor(Cli.class);
          c.setAccessible(true);
          return c.newInstance(cli);
        }
        return fallback.create(type);
      }
    };
  }
}
