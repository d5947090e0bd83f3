package dev.orchestrator.cli.internal;

import dev.orchestrator.budget.Plan;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dry-run <template | workflow.json> --param k=v ...}: the plan, nothing called. */
@Command(name = "dry-run", mixinStandardHelpOptions = true)
final class DryRunCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<template | workflow.json>", descriptionKey = "arg.source")
  String source = "";

  @Option(names = {"-P", "--param"}, paramLabel = "<key=value>", descriptionKey = "opt.param")
  Map<String, String> params = new LinkedHashMap<>();

  DryRunCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    Template t = Workflows.template(cli, source);
    Workflow workflow;
    Plan plan;
    try {
      BoundTemplate bound = t.bind(params);
      workflow = bound.workflow();
      plan = cli.observer().plan(cli.project(), workflow, bound.values());
    } catch (dev.orchestrator.templates.InvalidParameterException e) {
      // Missing parameters are problems of the plan too: show what would run with the template's examples.
      throw CliException.wrap(e, ExitCodes.USAGE, "workflow.params", t.id(), e.getMessage());
    }
    List<String> down = unreachable(plan);
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("plan", plan);
      json.put("unreachable", down);
      json.put("ok", plan.ok());
      json.put("simulated", cli.simulatedNames());
      cli.printJson(json);
    } else {
      cli.out().print(ReportText.plan(plan));
      down.forEach(d -> cli.say("dryRun.unreachable", d));
      cli.out().println(cli.simulationLine());
      if (!plan.ok()) {
        cli.say("dryRun.problems");
      }
    }
    return plan.ok() ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED;
  }

  /**
   * The real providers the plan would call that do not answer their free health probe, each with why: the run
   * would wait or fail over on them. Simulated instances and instances without a key are left out.
   */
  private List<String> unreachable(Plan plan) {
    ProviderSetup setup = cli.setup();
    Set<String> used = plan.waves().stream().flatMap(List::stream).map(Plan.Step::provider)
        .filter(java.util.Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new));
    List<PluginConfig> real = setup.configs().stream().filter(pc -> used.contains(pc.name())
        && !setup.isSimulated(pc.name()) && !setup.missingKeys().containsKey(pc.name())).toList();
    List<String> out = new ArrayList<>();
    HealthChecks.probe(real, cli.env()).forEach((name, h) -> {
      if (h.status() == Health.Status.DOWN) {
        out.add(name + ": " + h.detail());
      }
    });
    return out;
  }
}
