package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateTask;
import dev.orchestrator.templates.plan.LlmPlanner;
import dev.orchestrator.templates.plan.OfflinePlanner;
import dev.orchestrator.templates.plan.PlanningContext;
import dev.orchestrator.templates.plan.PlanningException;
import dev.orchestrator.templates.plan.WorkflowPlan;
import dev.orchestrator.templates.plan.WorkflowPlanner;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code task create "<request>"}: a request in words becomes a checked, costed workflow. */
@Command(name = "task", mixinStandardHelpOptions = true)
final class TaskCommand extends CliCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  TaskCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "create"));
  }

  @Command(name = "create", mixinStandardHelpOptions = true)
  int create(
      @Parameters(arity = "1..*", paramLabel = "<request>", descriptionKey = "arg.request") List<String> words,
      @Option(names = {"-y", "--yes"}, descriptionKey = "opt.taskYes") boolean yes,
      @Option(names = "--save", paramLabel = "<name>", descriptionKey = "opt.taskSave") @Nullable String save,
      @Option(names = "--planner", paramLabel = "offline|llm", descriptionKey = "opt.planner",
          defaultValue = "offline") String plannerName,
      @Option(names = "--planner-provider", paramLabel = "<instance>", descriptionKey = "opt.plannerProvider")
      @Nullable String plannerProvider,
      @Option(names = "--allow-agent", paramLabel = "<instance>", descriptionKey = "opt.allowAgent")
      @Nullable List<String> agents) {
    String request = String.join(" ", words);
    if (save != null && !Template.ID.matcher(save).matches()) {
      throw CliException.of(ExitCodes.USAGE, "task.badName", Texts.cut(save));
    }
    PlanningContext context = context(agents == null ? List.of() : agents);
    WorkflowPlanner planner = planner(plannerName, plannerProvider, context);
    cli.project();
    WorkflowPlan plan;
    try {
      plan = planner.plan(request, context);
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "refused", e.getMessage());
    } catch (PlanningException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "task.notPlanned", e.getMessage());
    }
    while (true) {
      BoundTemplate bound = bind(plan);
      Plan dry = cli.observer().plan(cli.project(), bound.workflow(), bound.values());
      Path saved = null;
      if (save != null) {
        saved = save(save, plan.json());
      }
      if (cli.json()) {
        return json(plan, dry, saved, yes, bound);
      }
      show(plan, dry);
      if (saved != null) {
        cli.say("task.saved", save, saved);
      }
      if (yes || save != null) {
        return yes ? run(plan, bound, dry) : (dry.ok() ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED);
      }
      Console console = System.console();
      if (!cli.interactive() || console == null) {
        cli.say("task.notAsked");
        return dry.ok() ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED;
      }
      String answer = console.readLine("%s", Messages.get("task.ask"));
      String a = answer == null ? "d" : answer.strip().toLowerCase(Locale.ROOT);
      if (a.startsWith("r")) {
        return run(plan, bound, dry);
      } else if (a.startsWith("s")) {
        String name = console.readLine("%s", Messages.get("task.askName"));
        if (name == null || !Template.ID.matcher(name.strip()).matches()) {
          cli.say("task.badNameAsked");
          continue;
        }
        cli.say("task.saved", name.strip(), save(name.strip(), plan.json()));
        return ExitCodes.OK;
      } else if (a.startsWith("e")) {
        plan = edit(plan, context);
      } else {
        cli.say("task.discarded");
        return ExitCodes.OK;
      }
    }
  }

  /** The configured instances, the default, and the command-line agents allowed on this command line. */
  private PlanningContext context(List<String> agents) {
    return context(cli, agents);
  }

  /** The planning context of this configuration; the dashboard's box uses it too, allowing no agent. */
  static PlanningContext context(Cli cli, List<String> agents) {
    Config c = cli.config();
    PlanningContext.Builder b = PlanningContext.builder();
    c.instances().values().forEach(i -> b.provider(i.name(), i.type()));
    String def = cli.defaultProvider();
    if (def != null) {
      b.defaultProvider(def);
    }
    for (String a : agents) {
      Config.Instance i = c.instances().get(a.toLowerCase(Locale.ROOT));
      if (i == null || !i.type().equals(PlanningContext.CLI_TYPE)) {
        throw CliException.of(ExitCodes.USAGE, "task.badAgent", Texts.cut(a),
            String.join(", ", c.instances().values().stream().filter(x -> x.type().equals(PlanningContext.CLI_TYPE))
                .map(Config.Instance::name).toList()));
      }
      b.allowAgent(i.name());
    }
    try {
      return b.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "refused", e.getMessage());
    }
  }

  private WorkflowPlanner planner(String name, @Nullable String provider, PlanningContext context) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "offline":
        return OfflinePlanner.create();
      case "llm":
        String p = provider != null ? provider.toLowerCase(Locale.ROOT) : context.defaultProvider();
        if (context.typeOf(p) == null) {
          throw CliException.of(ExitCodes.NOT_FOUND, "task.noPlannerProvider", Texts.cut(p),
              String.join(", ", context.providers().keySet()));
        }
        if (cli.setup().isSimulated(p)) {
          throw CliException.of(ExitCodes.CONFIG, "task.plannerSimulated", p,
              String.valueOf(cli.setup().simulated().get(p)));
        }
        String project = cli.project();
        Execution.checkWritable(cli, project);
        return LlmPlanner.builder().provider(p)
            .runner(w -> cli.executor(Cli.engineName("plan"), false, null).submit(project, w)).build();
      default:
        throw CliException.of(ExitCodes.USAGE, "task.badPlanner", Texts.cut(name));
    }
  }

  private static BoundTemplate bind(WorkflowPlan plan) {
    try {
      return plan.template().bind(Map.of());
    } catch (RuntimeException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "task.notPlanned", e.getMessage());
    }
  }

  /** The planned tasks, what was assumed, and the dry run's order and cost. */
  private void show(WorkflowPlan plan, Plan dry) {
    PrintWriter out = cli.out();
    Template t = plan.template();
    out.println(Messages.get(plan.planningRuns().isEmpty() ? "task.planned" : "task.plannedBy", t.name(),
        plan.planner(), plan.planningRuns().size(),
        plan.planningCost() == null ? "" : MoneyText.format(plan.planningCost())));
    List<List<String>> rows = new ArrayList<>();
    for (TemplateTask task : t.tasks()) {
      rows.add(List.of(task.id(), task.providers().isEmpty() ? cli.defaultProvider() + " (default)"
              : String.join(",", task.providers()),
          task.dependsOn().isEmpty() ? "-" : String.join(",", task.dependsOn()),
          Texts.shorten(task.title() == null ? task.id() : task.title(), 60)));
    }
    out.print(Tables.render(List.of(Messages.get("table.task"), Messages.get("table.provider"),
        Messages.get("table.dependsOn"), Messages.get("table.title")), rows));
    for (TemplateTask task : t.tasks()) {
      if (task.schedule() != null) {
        out.println(Messages.get("task.schedule", task.id(), task.schedule()));
      }
    }
    list(out, "task.assumed", plan.assumptions());
    list(out, "task.notUnderstood", plan.notUnderstood());
    list(out, "task.refused", plan.refused());
    out.print(ReportText.plan(dry));
    out.println(cli.simulationLine());
    out.flush();
  }

  private static void list(PrintWriter out, String key, List<String> items) {
    if (!items.isEmpty()) {
      out.println(Messages.get(key));
      items.forEach(i -> out.println("  - " + i));
    }
  }

  private int json(WorkflowPlan plan, Plan dry, @Nullable Path saved, boolean yes, BoundTemplate bound) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("planner", plan.planner());
    json.put("request", plan.request());
    try {
      json.put("template", JSON.readTree(plan.json()));
    } catch (IOException e) {
      throw new IllegalStateException("a checked plan is JSON", e);
    }
    json.put("assumptions", plan.assumptions());
    json.put("notUnderstood", plan.notUnderstood());
    json.put("refused", plan.refused());
    json.put("planningRuns", plan.planningRuns());
    json.put("planningCost", plan.planningCost());
    json.put("plan", dry);
    json.put("ok", dry.ok());
    json.put("saved", saved == null ? null : saved.toString());
    json.put("simulated", cli.simulatedNames());
    int code = dry.ok() ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED;
    if (yes && dry.ok()) {
      // One JSON document on standard output: the run's, as `run --json` prints it, goes under "run".
      StringWriter runOut = new StringWriter();
      PrintWriter original = cli.out();
      cli.redirectOut(new PrintWriter(runOut, true));
      try {
        code = Execution.follow(cli, Execution.submit(cli, bound.workflow(), bound.values(), source(plan)), true);
      } finally {
        cli.redirectOut(original);
      }
      try {
        JsonNode run = JSON.readTree(runOut.toString());
        json.put("run", run);
      } catch (IOException e) {
        json.put("run", runOut.toString());
      }
    }
    cli.printJson(json);
    return code;
  }

  private static String source(WorkflowPlan plan) {
    return "task create (" + plan.planner() + " planner)";
  }

  private int run(WorkflowPlan plan, BoundTemplate bound, Plan dry) {
    if (!dry.ok()) {
      cli.say("task.notRunProblems");
      return ExitCodes.NOT_SUCCEEDED;
    }
    Execution.checkWritable(cli, cli.project());
    return Execution.follow(cli, Execution.submit(cli, bound.workflow(), bound.values(), source(plan)), true);
  }

  /** Saves the plan as a template of your own: {@code <data dir>/templates/<name>.json}. */
  private Path save(String name, String json) {
    Path dir = cli.dataDir().resolve("templates");
    Path file = dir.resolve(name + ".json");
    if (Files.exists(file)) {
      throw CliException.of(ExitCodes.REFUSED, "task.nameTaken", name, file);
    }
    TemplateLibrary library = Workflows.library(cli);
    if (library.get(name).isPresent()) {
      throw CliException.of(ExitCodes.REFUSED, "task.nameTakenBuiltIn", name);
    }
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(file, json + "\n");
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "task.cannotSave", file, e.getMessage());
    }
    return file;
  }

  /** Opens {@code $EDITOR} (else {@code $VISUAL}) on the plan's JSON and checks what comes back. */
  private WorkflowPlan edit(WorkflowPlan plan, PlanningContext context) {
    String editor = cli.env().apply("EDITOR");
    if (editor == null || editor.isBlank()) {
      editor = cli.env().apply("VISUAL");
    }
    if (editor == null || editor.isBlank()) {
      cli.say("task.noEditor");
      return plan;
    }
    String json = plan.json();
    Path file = null;
    try {
      file = Files.createTempFile("orchestrator-plan-", ".json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      while (true) {
        List<String> command = new ArrayList<>(List.of(editor.strip().split("\\s+")));
        command.add(file.toString());
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
          cli.say("task.editorFailed", editor, exit);
          return plan;
        }
        json = Files.readString(file, StandardCharsets.UTF_8);
        List<String> problems = WorkflowPlan.problems(json, context);
        if (problems.isEmpty()) {
          WorkflowPlan.Builder edited = WorkflowPlan.builder(plan.planner() + ", edited", plan.request(), json);
          edited.assumption(Messages.get("task.editedNote"));
          return edited.build(context);
        }
        cli.say("task.editedProblems", problems.size());
        problems.forEach(p -> cli.out().println("  - " + p));
        Console console = System.console();
        String again = console == null ? null : console.readLine("%s", Messages.get("task.editAgain"));
        if (again == null || !again.strip().toLowerCase(Locale.ROOT).startsWith("e")) {
          cli.say("task.editKept");
          return plan;
        }
      }
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.INTERNAL, "task.editorFailed", editor, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return plan;
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // A temporary file left behind is harmless.
        }
      }
    }
  }
}
