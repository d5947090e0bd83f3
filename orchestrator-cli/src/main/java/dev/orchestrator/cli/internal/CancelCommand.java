package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cancel <task | run> [--mark-failed]}: cancels wherever the run executes; with {@code --mark-failed}, the
 * task ends FAILED instead of CANCELLED (the roadmap's "option to ... mark as failed"). The engine that executes it (in another process)
 * does it within about a second; when no live engine holds the run, this process takes it over and cancels it, and
 * when that leaves the run going (a task was cancelled), follows it in the foreground until it finishes.
 */
@picocli.CommandLine.Command(name = "cancel", mixinStandardHelpOptions = true)
final class CancelCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<task | run>", descriptionKey = "arg.taskOrRun")
  String ref = "";

  @Option(names = "--reason", paramLabel = "<text>", descriptionKey = "opt.reason")
  @Nullable String reason;

  @Option(names = "--mark-failed", descriptionKey = "opt.markFailed")
  boolean markFailed;

  CancelCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    String project = cli.project();
    Targets targets = new Targets(cli.store(), project);
    RunRecord run = ref.contains(":") ? null : targets.findRun(ref);
    @Nullable String taskId = null;
    if (run == null) {
      Targets.TaskRef t = targets.requireTask(ref, x -> !x.state().isTerminal());
      run = t.run();
      taskId = t.task().taskId();
      if (t.task().state().isTerminal()) {
        return report(run, taskId, "cancel.taskFinished", t.task().state().name());
      }
    }
    if (markFailed && taskId == null) {
      throw CliException.of(ExitCodes.USAGE, "cancel.markFailedNeedsTask", run.id());
    }
    if (run.status().isFinished()) {
      return report(run, taskId, "cancel.runFinished", run.status().name());
    }
    String why = reason != null ? reason : Messages.get(markFailed ? "cancel.markFailedReason"
        : "cancel.defaultReason");
    String runId = run.id();
    String target = taskId;
    Orchestrator engine = cli.executor(Cli.engineName("cancel"), false, null);
    Run handle = engine.run(project, runId).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "run.notFound",
        runId, project));
    Steering.Outcome outcome = Steering.steer(cli, engine, project, runId, () -> {
      if (target == null) {
        handle.cancel(Steering.user(), why);
      } else if (markFailed) {
        handle.failTask(target, Steering.user(), why);
      } else {
        handle.cancelTask(target, Steering.user(), why);
      }
    });
    if (outcome.here()) {
      if (handle.completion().isDone()) {
        return report(run, taskId, done(), "");
      }
      // This process took the run over and the rest of it goes on: it executes it now, in the foreground.
      if (!cli.json()) {
        report(run, taskId, done(), "");
      }
      return Execution.follow(cli, handle, true);
    }
    if (Steering.await(() -> cancelled(project, runId, target))) {
      return report(run, taskId, done() + "By", Steering.name(outcome));
    }
    if (cli.json()) {
      return report(run, taskId, "cancel.queued", String.valueOf(Steering.holder(cli, project, runId)));
    }
    Steering.sayUnconfirmed(cli, project, runId, "cancel.queued", what(run, taskId));
    return ExitCodes.OK;
  }

  private String done() {
    return markFailed ? "cancel.markedFailed" : "cancel.done";
  }

  private boolean cancelled(String project, String runId, @Nullable String taskId) {
    if (taskId == null) {
      return cli.store().run(project, runId).map(r -> r.status().isFinished()).orElse(true);
    }
    return cli.store().task(project, runId, taskId).map(t -> t.state().isTerminal()).orElse(true);
  }

  private static String what(RunRecord run, @Nullable String taskId) {
    return taskId == null ? Messages.get("cancel.theRun", run.id()) : Messages.get("cancel.theTask", taskId,
        run.id());
  }

  /** Prints the outcome; {@code detail} is the state (finished ones) or the engine that acted. */
  private int report(RunRecord run, @Nullable String taskId, String key, String detail) {
    RunRecord now = cli.store().run(run.project(), run.id()).orElse(run);
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run", now);
      if (taskId != null) {
        json.put("task", cli.store().task(run.project(), run.id(), taskId).orElse(null));
      } else {
        json.put("tasks", cli.store().tasks(run.project(), run.id()));
      }
      json.put("outcome", key.substring(key.indexOf('.') + 1));
      json.put("engine", Steering.holder(cli, run.project(), run.id()));
      cli.printJson(json);
    } else {
      cli.say(key, what(run, taskId), detail);
      if (taskId == null) {
        RunSnapshot s = new RunSnapshot(now, cli.store().tasks(run.project(), run.id()));
        cli.out().print(Tables.tasks(s, Execution.simulatedOf(cli, run.id()), java.time.Instant.now()));
      } else {
        TaskRecord t = cli.store().task(run.project(), run.id(), taskId).orElse(null);
        if (t != null) {
          cli.say("cancel.taskState", t.taskId(), t.state());
        }
      }
    }
    return ExitCodes.OK;
  }
}
