package dev.orchestrator.cli.internal;

import dev.orchestrator.run.Run;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run <template | workflow.json> --param k=v ... [--detach | --cluster [--wait]]}: executes the run in this
 * process (or a background one), or queues it in the store for the engines that claim runs
 * ({@code orchestrator worker}).
 */
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

  @Option(names = "--wait", descriptionKey = "opt.wait")
  boolean await;

  @Option(names = Detach.CHILD_OPTION, hidden = true)
  boolean child;

  RunCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    if (await && !cluster) {
      throw CliException.of(ExitCodes.USAGE, "run.waitNeedsCluster");
    }
    if (cluster && detach) {
      throw CliException.of(ExitCodes.USAGE, "run.clusterOrDetach");
    }
    cli.project(); // a mistyped --project is the first thing to say, before the template's parameters
    if (cluster) {
      return queue(cli, source, params, await);
    }
    return start(cli, source, params, detach, child);
  }

  /**
   * {@code run --cluster}: stores the run for any engine that claims runs ({@code orchestrator worker}, on any
   * machine sharing the store) and prints its id; with {@code --wait}, follows it until it finishes.
   */
  static int queue(Cli cli, String source, Map<String, String> params, boolean await) {
    Template t = Workflows.template(cli, source);
    BoundTemplate bound = Workflows.bind(t, params);
    noteSchedules(cli, t, source);
    Execution.checkWritable(cli, cli.project());
    Run run;
    try {
      run = cli.observer().enqueue(cli.project(), bound.workflow(), bound.values());
    } catch (dev.orchestrator.workflow.InvalidWorkflowException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "workflow.params", t.id(), e.getMessage());
    }
    if (cli.json() && !await) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("runId", run.id());
      json.put("project", cli.project());
      json.put("queued", true);
      cli.printJson(json);
      return ExitCodes.OK;
    }
    if (!cli.json()) {
      cli.say("run.queued", run.id(), cli.project());
    }
    return await ? Execution.follow(cli, run, false) : ExitCodes.OK;
  }

  /** Shared with {@code template run}. */
  static int start(Cli cli, String source, Map<String, String> params, boolean detach, boolean child) {
    if (child) {
      Run run;
      try {
        Template t = Workflows.template(cli, source);
        BoundTemplate bound = Workflows.bind(t, params);
        run = Execution.submit(cli, bound.workflow(), bound.values(), t.id());
      } catch (RuntimeException e) {
        Detach.fail(cli, e);
        return Errors.exitCode(e);
      }
      Detach.handOver(cli, run.id());
      return Execution.follow(cli, run, true);
    }
    Template t = Workflows.template(cli, source);
    BoundTemplate bound = Workflows.bind(t, params);
    noteSchedules(cli, t, source);
    if (detach) {
      cli.config(); // a broken configuration is reported here, not in the background
      Detach.Started s = Detach.start(cli);
      return reportDetached(cli, s);
    }
    return Execution.follow(cli, Execution.submit(cli, bound.workflow(), bound.values(), t.id()), true);
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
