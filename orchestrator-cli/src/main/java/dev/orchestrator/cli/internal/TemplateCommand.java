package dev.orchestrator.cli.internal;

import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.LoadProblem;
import dev.orchestrator.templates.ProjectTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateParameter;
import dev.orchestrator.templates.TemplateTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code template list | show | validate | run}. */
@Command(name = "template", mixinStandardHelpOptions = true)
final class TemplateCommand extends CliCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  TemplateCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "list, show, validate, run"));
  }

  @Command(name = "list", mixinStandardHelpOptions = true)
  int list(@Option(names = "--category", paramLabel = "<category>", descriptionKey = "opt.category")
      @Nullable String category,
      @Option(names = "--search", paramLabel = "<words>", descriptionKey = "opt.search") @Nullable String search) {
    TemplateLibrary library = Workflows.library(cli);
    List<Template> templates = search != null ? library.search(search)
        : category != null ? library.list(category) : library.list();
    List<LoadProblem> broken = library.problems();
    if (cli.json()) {
      // The list stays a list for scripts; what did not load goes to stderr, as in text.
      for (LoadProblem p : broken) {
        cli.err().println(Messages.get("template.brokenLine", p.location(), Workflows.describe(p)));
      }
      cli.err().flush();
      List<Map<String, Object>> json = new ArrayList<>();
      for (Template t : templates) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("category", t.category());
        m.put("description", t.description());
        m.put("tasks", t.tasks().size());
        m.put("parameters", t.parameters().stream().map(TemplateParameter::name).toList());
        m.put("origin", t.origin().toString());
        json.add(m);
      }
      cli.printJson(json);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Template t : templates) {
      rows.add(List.of(t.id(), t.category(), String.valueOf(t.tasks().size()), shorten(t.description(), 60)));
    }
    cli.out().print(Tables.render(List.of(Messages.get("table.template"), Messages.get("table.category"),
        Messages.get("table.tasks"), Messages.get("table.description")), rows));
    if (!broken.isEmpty()) {
      cli.say("template.brokenHeader", broken.size());
      for (LoadProblem p : broken) {
        cli.say("template.brokenLine", p.location(), Workflows.describe(p));
      }
    }
    cli.say("template.listHint", cli.dataDir().resolve("templates"));
    return ExitCodes.OK;
  }

  @Command(name = "show", mixinStandardHelpOptions = true)
  int show(@Parameters(paramLabel = "<template>", descriptionKey = "arg.template") String id) {
    Template t = Workflows.template(cli, id);
    if (cli.json()) {
      cli.printJson(t);
      return ExitCodes.OK;
    }
    cli.say("template.show.name", t.name(), t.id(), t.category());
    if (!t.description().isBlank()) {
      cli.out().println(t.description());
    }
    cli.out().println();
    cli.say("template.show.parameters");
    List<List<String>> params = new ArrayList<>();
    for (TemplateParameter p : t.parameters()) {
      params.add(List.of(p.name(), p.type().name().toLowerCase(java.util.Locale.ROOT),
          p.required() ? Messages.get("template.required") : String.valueOf(p.defaultValue()),
          shorten(p.description(), 70)));
    }
    cli.out().print(Tables.render(List.of(Messages.get("table.parameter"), Messages.get("table.type"),
        Messages.get("table.default"), Messages.get("table.description")), params));
    cli.out().println();
    cli.say("template.show.tasks");
    List<List<String>> tasks = new ArrayList<>();
    for (TemplateTask task : t.tasks()) {
      tasks.add(List.of(task.id(), task.providers().isEmpty() ? "-" : String.join(",", task.providers()),
          task.dependsOn().isEmpty() ? "-" : String.join(",", task.dependsOn()),
          shorten(task.title() == null ? "" : task.title(), 60)));
    }
    cli.out().print(Tables.render(List.of(Messages.get("table.task"), Messages.get("table.providers"),
        Messages.get("table.dependsOn"), Messages.get("table.title")), tasks));
    cli.out().println();
    StringBuilder example = new StringBuilder("orchestrator run ").append(t.id());
    for (TemplateParameter p : t.parameters()) {
      if (p.required()) {
        Object v = t.exampleValues().get(p.name());
        String text = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
            : String.valueOf(v == null ? "..." : v);
        example.append(" --param ").append(p.name()).append("=\"").append(text).append('"');
      }
    }
    cli.say("template.show.example", example);
    return ExitCodes.OK;
  }

  /**
   * {@code template validate <file>}: every problem of a template file (workflow or project template), one per line
   * with the file and where in it; exit 1 when there are any, as a dry run with problems.
   */
  @Command(name = "validate", mixinStandardHelpOptions = true)
  int validate(@Parameters(paramLabel = "<file>", descriptionKey = "arg.templateFile") java.nio.file.Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw CliException.of(ExitCodes.NOT_FOUND, "workflow.noFile", file.toAbsolutePath());
    }
    List<String> problems = new ArrayList<>();
    String kind = "template";
    String id = null;
    if (!Workflows.isUtf8(file)) {
      problems.add(Messages.get("file.notUtf8Short"));
    } else {
      try {
        if (isProjectTemplate(file)) {
          kind = "projectTemplate";
          id = ProjectTemplate.read(file).id();
        } else {
          Template t = Template.read(file);
          id = t.id();
          problems.addAll(scheduleProblems(t));
        }
      } catch (InvalidTemplateException e) {
        problems.addAll(e.problems());
      } catch (java.io.UncheckedIOException e) {
        problems.add(e.getCause().getMessage());
      }
    }
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("file", file.toString());
      json.put("kind", kind);
      json.put("id", id);
      json.put("ok", problems.isEmpty());
      json.put("problems", problems);
      cli.printJson(json);
    } else if (problems.isEmpty()) {
      cli.say("template.valid." + kind, file, id);
    } else {
      for (String p : problems) {
        cli.out().println(file + ": " + p.replace('\n', ' ').strip());
      }
      cli.say("template.invalid", file, problems.size());
    }
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED;
  }

  /**
   * The fields of each task's schedule, checked as adding the schedule would check them: reading a template checks
   * only their shape (number of fields, macros).
   */
  private List<String> scheduleProblems(Template t) {
    List<String> out = new ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    java.time.ZoneId zone = cli.config().timeZone();
    for (TemplateTask task : t.tasks()) {
      if (task.schedule() == null) {
        continue;
      }
      try {
        dev.orchestrator.schedule.Trigger trigger = dev.orchestrator.schedule.Trigger.cron(task.schedule());
        if (dev.orchestrator.core.schedule.Scheduling.fireTimes(trigger, zone, now, 1).isEmpty()) {
          out.add(Messages.get("template.scheduleNever", task.id(), task.schedule(),
              now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), zone));
        }
      } catch (IllegalArgumentException e) {
        out.add("task '" + task.id() + "': schedule: " + e.getMessage());
      }
    }
    return out;
  }

  /** A project template lists the workflows it installs; a workflow template has tasks. */
  private static boolean isProjectTemplate(java.nio.file.Path file) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          file.toFile());
      return n != null && n.has("workflows") && !n.has("tasks");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true)
  int run(@Parameters(paramLabel = "<template>", descriptionKey = "arg.template") String id,
      @Option(names = {"-P", "--param"}, paramLabel = "<key=value>", descriptionKey = "opt.param")
      @Nullable Map<String, String> params,
      @Option(names = {"-d", "--detach"}, descriptionKey = "opt.detach") boolean detach,
      @Option(names = Detach.CHILD_OPTION, hidden = true) boolean child) {
    return RunCommand.start(cli, id, params == null ? Map.of() : params, detach, child);
  }

  static String shorten(String s, int max) {
    return Texts.shorten(s, max);
  }
}
