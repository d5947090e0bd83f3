package dev.orchestrator.cli.internal;

import dev.orchestrator.templates.Template;
import dev.orchestrator.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run <template | workflow.json> --param k=v ... [--detach]}. */
@Command(name = "run", mixinStandardHelpOptions = true)
final class RunCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<template | workflow.json>", descriptionKey = "arg.source")
  String source = "";

  @Option(names = {"-P", "--param"}, paramLabel = "<key=value>", descriptionKey = "opt.param")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = {"-d", "--detach"}, descriptionKey = "opt.detach")
  boolean detach;

  @Option(names = "--cluster", descriptionKey = "opt.cluster")
  boolean cluster;

  @Option(names = Detach.CHILD_OPTION, hidden = true)
  boolean child;

  RunCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    if (cluster) {
      return queue(cli, source, params);
    }
    return start(cli, source, params, detach, child);
  }

  /** {@code run --cluster}: queues the run in the store for the workers that share it, and returns its id. */
  static int queue(Cli cli, String source, Map<String, String> params) {
    if (!(cli.store() instanceof dev.orchestrator.spi.store.ClaimStore store)) {
      throw CliException.of(ExitCodes.USAGE, "run.noCluster", Stores.describe(cli.storeLocation()));
    }
    Template t = Workflows.template(cli, source);
    Workflow workflow = Workflows.instantiate(t, params);
    noteSchedules(cli, t, source);
    String runId = dev.orchestrator.core.Worker.submit(store, java.time.Clock.systemUTC(), cli.project(), workflow,
        params);
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("runId", runId);
      json.put("project", cli.project());
      json.put("queued", true);
      cli.printJson(json);
    } else {
      cli.say("run.queued", runId, cli.project());
    }
    return ExitCodes.OK;
  }

  /** Shared with {@code template run}. */
  static int start(Cli cli, String source, Map<String, String> params, boolean detach, boolean child) {
    if (child) {
      Execution.Executing ex;
      try {
        Template t = Workflows.template(cli, source);
        ex = Execution.submit(cli, Workflows.instantiate(t, params), params, t.id());
      } catch (RuntimeException e) {
        Detach.fail(cli, e);
        return Errors.exitCode(e);
      }
      Detach.handOver(cli, ex.run().id());
      return Execution.follow(cli, ex);
    }
    Template t = Workflows.template(cli, source);
    Workflow workflow = Workflows.instantiate(t, params);
    noteSchedules(cli, t, source);
    if (detach) {
      cli.config(); // a broken configuration is reported here, not in the background
      Detach.Started s = Detach.start(cli);
      return reportDetached(cli, s);
    }
    return Execution.follow(cli, Execution.submit(cli, workflow, params, t.id()));
  }

  /**
   * Says on standard error that {@code run} starts now a workflow whose tasks carry a {@code "schedule"}, and how to
   * schedule it instead; standard output stays as it was (for {@code --json}).
   */
  private static void noteSchedules(Cli cli, Template t, String source) {
    java.util.List<String> scheduled = t.tasks().stream().filter(x -> x.schedule() != null)
        .map(dev.orchestrator.templates.TemplateTask::id).toList();
    if (!scheduled.isEmpty()) {
      cli.err().println(Messages.get("run.hasSchedule", scheduled, source));
      cli.err().flush();
    }
  }

  /** What the foreground half of {@code --detach} prints. */
  static int reportDetached(Cli cli, Detach.Started s) {
    if (s.exitCode() != ExitCodes.OK) {
      throw CliException.raw(s.exitCode(), s.message());
    }
    String log = cli.dataDir().resolve("runs").resolve(s.runId() + ".log").toString();
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("runId", s.runId());
      json.put("project", cli.project());
      json.put("log", log);
      json.put("simulated", cli.simulatedNames());
      cli.printJson(json);
    } else {
      cli.say("run.detached", s.runId(), cli.project(), log);
      cli.out().println(cli.simulationLine());
    }
    return ExitCodes.OK;
  }
}
