package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code project create | list | switch | show | archive | restore}. */
@Command(name = "project", mixinStandardHelpOptions = true)
final class ProjectCommand extends CliCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  ProjectCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "create, list, switch, show, archive, restore"));
  }

  private Project require(String name) {
    return cli.store().project(name).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "project.notFound",
        name, String.join(", ", cli.store().projectList(true).stream().map(Project::name).toList())));
  }

  @Command(name = "create", mixinStandardHelpOptions = true)
  int create(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name,
      @Option(names = "--switch", descriptionKey = "opt.switch") boolean switchTo) {
    Project p;
    try {
      p = new Project(name.trim(), Instant.now(), false, cli.config().timeZone(), Map.of());
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "project.badName", name, e.getMessage());
    }
    if (cli.store().project(p.name()).isPresent()) {
      throw CliException.of(ExitCodes.REFUSED, "project.exists", p.name());
    }
    cli.store().createProject(p);
    if (switchTo) {
      cli.switchProject(p.name());
    }
    if (cli.json()) {
      cli.printJson(p);
    } else {
      cli.say(switchTo ? "project.createdSwitched" : "project.created", p.name());
    }
    return ExitCodes.OK;
  }

  @Command(name = "list", mixinStandardHelpOptions = true)
  int list(@Option(names = "--all", descriptionKey = "opt.archivedToo") boolean all) {
    String current = cli.project();
    List<Project> projects = cli.store().projectList(all);
    if (cli.json()) {
      List<Map<String, Object>> json = new ArrayList<>();
      for (Project p : projects) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", p);
        m.put("current", p.name().equals(current));
        m.put("runs", cli.store().runs(p.name()).size());
        m.put("spent", spent(p.name()));
        json.add(m);
      }
      cli.printJson(json);
      return ExitCodes.OK;
    }
    if (projects.isEmpty()) {
      cli.say("project.none", current);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Project p : projects) {
      rows.add(List.of(p.name().equals(current) ? "*" : "", p.name(), String.valueOf(cli.store().runs(p.name())
          .size()), Tables.money(spent(p.name())), p.archived() ? Messages.get("project.archivedMark") : ""));
    }
    cli.out().print(Tables.render(List.of("", Messages.get("table.project"), Messages.get("table.runs"),
        Messages.get("table.spent"), ""), rows));
    if (projects.stream().noneMatch(p -> p.name().equals(current))) {
      cli.say("project.currentNotCreated", current);
    }
    return ExitCodes.OK;
  }

  @Command(name = "switch", mixinStandardHelpOptions = true)
  int switchTo(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name) {
    Project p = require(name.trim());
    if (p.archived()) {
      throw CliException.of(ExitCodes.REFUSED, "project.archivedReadOnly", p.name());
    }
    cli.switchProject(p.name());
    if (cli.json()) {
      cli.printJson(Map.of("project", p.name()));
    } else {
      cli.say("project.switched", p.name());
    }
    return ExitCodes.OK;
  }

  @Command(name = "show", mixinStandardHelpOptions = true)
  int show(@Parameters(arity = "0..1", paramLabel = "<name>", descriptionKey = "arg.projectOptional")
      @Nullable String name) {
    String n = name != null ? name.trim() : cli.project();
    Project p = cli.store().project(n).orElse(null);
    if (p == null && name != null) {
      require(n);
    }
    List<RunRecord> runs = cli.store().runs(n);
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (RunRecord r : runs) {
      byStatus.merge(r.status().name(), 1L, Long::sum);
    }
    Money limit = null;
    for (Budget b : cli.store().budgets()) {
      if (b.scope().equals(BudgetScope.project(n))) {
        limit = b.limit();
      }
    }
    Money spent = spent(n);
    if (cli.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n);
      m.put("project", p);
      m.put("current", n.equals(cli.project()));
      m.put("runs", byStatus);
      m.put("spent", spent);
      m.put("limit", limit);
      cli.printJson(m);
      return ExitCodes.OK;
    }
    cli.say("project.show.name", n, n.equals(cli.project()) ? Messages.get("project.currentMark") : "");
    if (p == null) {
      cli.say("project.show.notCreated");
    } else {
      cli.say("project.show.created", StatusCommand.WHEN.format(p.createdAt().atZone(ZoneId.systemDefault())),
          p.zone());
      if (p.archived()) {
        cli.say("project.show.archived");
      }
    }
    cli.say("project.show.runs", runs.size(), byStatus.isEmpty() ? "-" : byStatus.toString());
    cli.say("project.show.spent", Tables.money(spent),
        limit == null ? Messages.get("project.show.noLimit") : Tables.money(limit));
    return ExitCodes.OK;
  }

  @Command(name = "archive", mixinStandardHelpOptions = true)
  int archive(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name) {
    Project p = require(name.trim());
    long unfinished = cli.store().runs(p.name()).stream().filter(r -> !r.status().isFinished()).count();
    if (unfinished > 0) {
      throw CliException.of(ExitCodes.REFUSED, "project.unfinished", p.name(), unfinished);
    }
    cli.store().updateProject(p.withArchived(true));
    if (cli.json()) {
      cli.printJson(p.withArchived(true));
    } else {
      cli.say("project.archived", p.name());
      if (p.name().equals(cli.project())) {
        cli.say("project.archivedCurrent", p.name());
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "restore", mixinStandardHelpOptions = true)
  int restore(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name) {
    Project p = require(name.trim());
    cli.store().updateProject(p.withArchived(false));
    if (cli.json()) {
      cli.printJson(p.withArchived(false));
    } else {
      cli.say("project.restored", p.name());
    }
    return ExitCodes.OK;
  }

  private Money spent(String project) {
    Money m = Money.ZERO;
    for (RunRecord r : cli.store().runs(project)) {
      m = m.plus(new RunSnapshot(r, cli.store().tasks(project, r.id())).cost());
    }
    return m;
  }
}
