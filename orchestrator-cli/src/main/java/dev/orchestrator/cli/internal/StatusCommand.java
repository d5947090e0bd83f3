package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.core.WaitingReasons;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code status [run]}: the project's runs, or one run's tasks, and which engine executes each unfinished run (the
 * holder of its live lease). Reads the store; starts no engine.
 */
@Command(name = "status", mixinStandardHelpOptions = true)
final class StatusCommand extends CliCommand {
  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Parameters(index = "0", arity = "0..1", paramLabel = "<run>", descriptionKey = "arg.run")
  @Nullable String run;

  StatusCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    Targets targets = new Targets(cli.store(), cli.project());
    if (run != null) {
      return one(targets.requireRun(run));
    }
    List<RunRecord> runs = targets.newestFirst();
    List<Map<String, Object>> json = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (RunRecord r : runs) {
      List<TaskRecord> tasks = cli.store().tasks(r.project(), r.id());
      long done = tasks.stream().filter(t -> t.state().isTerminal()).count();
      Money cost = new RunSnapshot(r, tasks).cost();
      String engine = engine(r);
      String state = state(r, engine);
      rows.add(List.of(r.id(), r.workflow(), state, done + "/" + tasks.size(), Tables.money(cost),
          WHEN.format(r.submittedAt().atZone(ZoneId.systemDefault())), engine == null ? "" : engine));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", r);
      m.put("tasksDone", done);
      m.put("tasks", tasks.size());
      m.put("cost", cost);
      m.put("executing", engine != null);
      m.put("engine", engine);
      json.add(m);
    }
    if (cli.json()) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("project", cli.project());
      all.put("runs", json);
      all.put("questions", questions(runs));
      cli.printJson(all);
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      cli.say("status.noRuns", cli.project());
      return ExitCodes.OK;
    }
    cli.say("status.header", cli.project(), runs.size());
    cli.out().print(Tables.render(List.of(Messages.get("table.run"), Messages.get("table.workflow"),
        Messages.get("table.status"), Messages.get("table.tasks"), Messages.get("table.cost"),
        Messages.get("table.submitted"), Messages.get("table.engine")), rows));
    printQuestions(runs);
    return ExitCodes.OK;
  }

  /** The engine whose live lease holds an unfinished run, or null (finished, or no live engine holds it). */
  private @Nullable String engine(RunRecord r) {
    return r.status().isFinished() ? null : Steering.holder(cli, r.project(), r.id());
  }

  /** RUNNING, or RUNNING (orphaned) when no live engine executes it. */
  private static String state(RunRecord r, @Nullable String engine) {
    if (!r.status().isFinished() && engine == null) {
      return Messages.get("status.orphaned", r.status().name());
    }
    return r.status().name();
  }

  private int one(RunRecord r) {
    List<TaskRecord> tasks = cli.store().tasks(r.project(), r.id());
    RunSnapshot s = new RunSnapshot(r, tasks);
    Set<String> simulated = Execution.simulatedOf(cli, r.id());
    String engine = engine(r);
    Map<String, String> waiting = r.status().isFinished() ? Map.of()
        : WaitingReasons.of(cli.store(), s, Instant.now(), cli.defaultProvider());
    if (cli.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", r);
      m.put("tasks", tasks);
      m.put("cost", s.cost());
      m.put("costBasis", s.costBasis());
      m.put("executing", engine != null);
      m.put("engine", engine);
      m.put("simulated", simulated);
      m.put("questions", questions(List.of(r)));
      m.put("waiting", waiting);
      cli.printJson(m);
      return ExitCodes.OK;
    }
    cli.say("status.run", r.id(), r.workflow(), r.project(), state(r, engine));
    if (engine != null) {
      cli.say("status.engine", engine);
    }
    Instant now = Instant.now();
    cli.out().print(Tables.tasks(s, simulated, now, waiting));
    cli.out().println(Tables.overall(s, now));
    if (!simulated.isEmpty()) {
      cli.say("status.simulated", String.join(", ", simulated));
    }
    if (!r.status().isFinished() && engine == null) {
      cli.say("status.orphanedHint", r.id());
    }
    printQuestions(List.of(r));
    return ExitCodes.OK;
  }

  /** The open questions of these runs, for JSON: what {@link #printQuestions} says, with the ids to answer. */
  private List<Map<String, Object>> questions(List<RunRecord> runs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RunRecord r : runs) {
      for (TaskRecord t : cli.store().tasks(r.project(), r.id())) {
        Question q = t.question();
        if (q != null && q.isOpen()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", q.id());
          m.put("run", r.id());
          m.put("task", t.taskId());
          m.put("question", q);
          out.add(m);
        }
      }
    }
    return out;
  }

  private void printQuestions(List<RunRecord> runs) {
    for (RunRecord r : runs) {
      for (TaskRecord t : cli.store().tasks(r.project(), r.id())) {
        Question q = t.question();
        if (q != null && q.isOpen()) {
          cli.say("status.question", t.taskId(), q.text(), q.id());
        }
      }
    }
  }
}
