package dev.orchestrator.cli.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code logs [run | task] [--follow]}: a run's event log, or one task's attempts, error and output; with
 * {@code --follow}, the events as they are appended (see {@link LogFollower}).
 */
@Command(name = "logs", mixinStandardHelpOptions = true)
final class LogsCommand extends CliCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "<run | task>", descriptionKey = "arg.runOrTask")
  @Nullable String ref;

  @Option(names = {"-f", "--follow"}, descriptionKey = "opt.follow")
  boolean follow;

  LogsCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws InterruptedException {
    Targets targets = new Targets(cli.store(), cli.project());
    if (follow && ref == null) {
      return new LogFollower(cli).followProject(cli.project());
    }
    RunRecord run;
    @Nullable String taskId = null;
    if (ref == null) {
      run = targets.latest();
      if (run == null) {
        throw CliException.of(ExitCodes.NOT_FOUND, "status.noRuns", cli.project());
      }
    } else {
      run = ref.contains(":") ? null : targets.findRun(ref);
      if (run == null) {
        Targets.TaskRef t = targets.requireTask(ref, x -> true);
        run = t.run();
        taskId = t.task().taskId();
      }
    }
    if (follow) {
      return new LogFollower(cli).followRun(run, taskId);
    }
    Set<String> simulated = Execution.simulatedOf(cli, run.id());
    List<Event> events = new ArrayList<>();
    for (Event e : cli.store().events(run.project(), run.id())) {
      if (taskId == null || (e instanceof TaskEvent te && te.taskId().equals(taskId))) {
        events.add(e);
      }
    }
    TaskRecord task = taskId == null ? null : cli.store().task(run.project(), run.id(), taskId).orElse(null);
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run", run.id());
      if (task != null) {
        json.put("task", task);
      }
      List<Map<String, Object>> list = new ArrayList<>();
      for (Event e : events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", EventText.type(e));
        m.put("event", e);
        list.add(m);
      }
      json.put("events", list);
      cli.printJson(json);
      return ExitCodes.OK;
    }
    if (task == null) {
      cli.say("logs.run", run.id(), run.workflow(), run.status());
    } else {
      cli.say("logs.task", task.taskId(), run.id(), task.title(), task.state());
    }
    List<List<String>> rows = new ArrayList<>();
    for (Event e : events) {
      rows.add(List.of(StatusCommand.WHEN.format(e.at().atZone(ZoneId.systemDefault())), EventText.type(e),
          EventText.task(e), EventText.describe(e, simulated)));
    }
    cli.out().print(Tables.render(List.of(Messages.get("table.time"), Messages.get("table.event"),
        Messages.get("table.task"), Messages.get("table.detail")), rows));
    ThreadText.print(cli, events);
    if (task != null) {
      for (Attempt a : task.attempts()) {
        cli.say("logs.attempt", a.number(), a.toString());
      }
      Attempt sent = lastAuthorPrompt(task);
      if (sent != null) {
        cli.say("logs.input", sent.number());
        cli.out().println(sent.prompt());
      }
      if (task.error() != null) {
        cli.say("logs.error", task.errorKind(), task.error());
      }
      if (task.output() != null) {
        cli.say("logs.output");
        cli.out().println(task.output());
      }
    }
    return ExitCodes.OK;
  }

  /** The task's own latest call that kept its prompt (a review's call asks the reviewer, not the task). */
  private static @Nullable Attempt lastAuthorPrompt(TaskRecord task) {
    List<Attempt> attempts = task.attempts();
    for (int i = attempts.size() - 1; i >= 0; i--) {
      Attempt a = attempts.get(i);
      boolean review = a.outcome() == Attempt.Outcome.APPROVED || a.outcome() == Attempt.Outcome.REJECTED;
      if (a.prompt() != null && !review) {
        return a;
      }
    }
    return null;
  }
}
