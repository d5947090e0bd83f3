package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.templates.ProjectSetup;
import dev.orchestrator.templates.ProjectTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateNotFoundException;
import dev.orchestrator.vcs.VcsSettings;
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

/** {@code project create | list | switch | show | archive | restore | vcs}. */
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
        Messages.get("subcommand.missing", "create, list, switch, show, archive, restore, vcs"));
  }

  private Project require(String name) {
    List<String> all = cli.store().projectList(true).stream().map(Project::name).toList();
    return cli.store().project(name).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "project.unknown",
        Texts.cut(name), Names.suggestion(name, all), Names.list(all),
        name.length() > Texts.MESSAGE_LIMIT ? "<name>" : name));
  }

  @Command(name = "create", mixinStandardHelpOptions = true)
  int create(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name,
      @Option(names = "--switch", descriptionKey = "opt.switch") boolean switchTo,
      @Option(names = "--template", paramLabel = "<project-template>", descriptionKey = "opt.projectTemplate")
      @Nullable String template) {
    ProjectSetup setup = null;
    if (template != null) {
      TemplateLibrary library = Workflows.library(cli);
      try {
        setup = library.setUpProject(name.trim(), template.trim());
      } catch (TemplateNotFoundException e) {
        List<String> ids = library.projectTemplates().stream().map(ProjectTemplate::id).toList();
        throw CliException.wrap(e, ExitCodes.NOT_FOUND, "project.noTemplate", Texts.cut(template),
            Names.suggestion(template, ids), Names.list(ids));
      } catch (IllegalArgumentException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "project.badName", Texts.cut(name),
            Texts.cutIn(e.getMessage(), name.trim()));
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    ZoneId zone = cli.config().timeZone();
    if (setup != null) {
      zone = setup.template().budgets().timeZone();
      settings.put("template", setup.template().id());
      settings.put("workflows", String.join(",", setup.workflows().stream().map(Template::id).toList()));
    }
    Project p;
    try {
      p = Project.builder().name(name.trim()).createdAt(Instant.now()).zone(zone).settings(settings).build();
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "project.badName", Texts.cut(name),
          Texts.cutIn(e.getMessage(), name.trim()));
    }
    if (cli.store().project(p.name()).isPresent()) {
      throw CliException.of(ExitCodes.REFUSED, "project.exists", p.name());
    }
    cli.store().createProject(p);
    Money limit = null;
    if (setup != null) {
      for (ProjectTemplate.BudgetLimit l : setup.template().budgets().limits()) {
        if (l.scope() == ProjectTemplate.Scope.PROJECT && l.period() == ProjectTemplate.Period.TOTAL) {
          limit = l.limit();
          cli.store().saveBudget(Budget.of(BudgetScope.project(p.name()), limit));
        }
      }
    }
    if (switchTo) {
      cli.switchProject(p.name());
    }
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("project", p);
      json.put("current", switchTo);
      json.put("template", setup == null ? null : setup.template().id());
      json.put("workflows", setup == null ? List.of() : setup.workflows().stream().map(Template::id).toList());
      json.put("limit", limit);
      cli.printJson(json);
      return ExitCodes.OK;
    }
    cli.say(switchTo ? "project.createdSwitched" : "project.created", p.name());
    if (setup != null) {
      cli.say("project.fromTemplate", setup.template().id(), setup.template().name(), p.zone());
      if (limit != null) {
        cli.say("project.templateLimit", MoneyText.format(limit));
      }
      List<String> ids = setup.workflows().stream().map(Template::id).toList();
      cli.say("project.templateWorkflows", String.join(", ", ids),
          switchTo ? "" : "--project " + quoted(p.name()) + " ", ids.get(0));
      cli.say("project.templateConfig");
    }
    return ExitCodes.OK;
  }

  private static String quoted(String name) {
    return name.matches("[A-Za-z0-9_.-]+") ? name : "\"" + name + "\"";
  }

  /** The current project's name, creating {@value Cli#DEFAULT_PROJECT} on first use like every command. */
  private String current() {
    String n = cli.currentProjectName();
    return n.equals(Cli.DEFAULT_PROJECT) ? cli.project() : n;
  }

  @Command(name = "list", mixinStandardHelpOptions = true)
  int list(@Option(names = "--all", descriptionKey = "opt.archivedToo") boolean all) {
    String current = current();
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
    String n = name != null ? name.trim() : current();
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
      m.put("current", n.equals(cli.currentProjectName()));
      m.put("runs", byStatus);
      m.put("spent", spent);
      m.put("limit", limit);
      cli.printJson(m);
      return ExitCodes.OK;
    }
    cli.say("project.show.name", n, n.equals(cli.currentProjectName()) ? Messages.get("project.currentMark") : "");
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
      if (p.name().equals(cli.currentProjectName())) {
        cli.say("project.archivedCurrent", p.name());
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "vcs", mixinStandardHelpOptions = true)
  int vcs(@Parameters(paramLabel = "<name>", descriptionKey = "arg.project") String name,
      @Option(names = "--repository", required = true, paramLabel = "<path>", descriptionKey = "opt.repository")
      String repository,
      @Option(names = "--integration", paramLabel = "merge|leave", descriptionKey = "opt.integration")
      @Nullable String integration,
      @Option(names = "--output-file", paramLabel = "<task>=<path>", descriptionKey = "opt.outputFile")
      @Nullable List<String> outputFiles) {
    Project p = require(name.trim());
    java.nio.file.Path repo = java.nio.file.Path.of(repository).toAbsolutePath().normalize();
    VcsSettings settings;
    try {
      VcsSettings.Builder b = VcsSettings.builder(repo);
      if (integration != null) {
        b.integration(VcsSettings.parseIntegration(integration));
      }
      for (String f : outputFiles == null ? List.<String>of() : outputFiles) {
        int eq = f.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--output-file must be <task>=<path> (was '" + f
              + "'), such as publish=blog/post.md");
        }
        b.outputFile(f.substring(0, eq).trim(), f.substring(eq + 1).trim());
      }
      settings = b.build();
      dev.orchestrator.vcs.internal.Repository.open(repo, "", 0);
    } catch (IllegalArgumentException | dev.orchestrator.vcs.VcsException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "project.vcsBad", e.getMessage());
    }
    Map<String, String> all = new LinkedHashMap<>();
    p.settings().forEach((k, v) -> {
      if (!k.startsWith("vcs.")) {
        all.put(k, v);
      }
    });
    all.putAll(settings.toSettings());
    Project updated = p.withSettings(all);
    cli.store().updateProject(updated);
    if (cli.json()) {
      cli.printJson(updated);
    } else {
      cli.say("project.vcsSet", p.name(), repo, settings.integration().name().toLowerCase(java.util.Locale.ROOT));
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
