package dev.orchestrator.cli.internal;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Command;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cancel <task | run>}: cancels wherever the run executes (this process, another one, or none). */
@picocli.CommandLine.Command(name = "cancel", mixinStandardHelpOptions = true)
final class CancelCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<task | run>", descriptionKey = "arg.taskOrRun")
  String ref = "";

  @Option(names = "--reason", paramLabel = "<text>", descriptionKey = "opt.reason")
  @Nullable String reason;

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
    if (run.status().isFinished()) {
      return report(run, taskId, "cancel.runFinished", run.status().name());
    }
    String why = reason != null ? reason : Messages.get("cancel.defaultReason");
    String runId = run.id();
    String target = taskId;
    if (cli.locks().isExecuting(runId)) {
      boolean done = Remote.send(cli, Command.Kind.CANCEL, project, runId, target, why, () -> cancelled(project,
          runId, target));
      return report(run, taskId, done ? "cancel.done" : "cancel.queued", "");
    }
    Execution.Executing ex = Execution.adopt(cli, run);
    if (ex == null) {
      boolean done = Remote.send(cli, Command.Kind.CANCEL, project, runId, target, why, () -> cancelled(project,
          runId, target));
      return report(run, taskId, done ? "cancel.done" : "cancel.queued", "");
    }
    if (target == null) {
      ex.run().cancel(Remote.user(), why);
      ex.run().completion().join();
    } else {
      ex.run().cancelTask(target, Remote.user(), why);
      Waits.until(() -> cancelled(project, runId, target), Duration.ofMillis(50), Remote.WAIT);
    }
    cli.locks().release(runId);
    return report(run, taskId, "cancel.done", "");
  }

  private boolean cancelled(String project, String runId, @Nullable String taskId) {
    if (taskId == null) {
      return cli.store().run(project, runId).map(r -> r.status().isFinished()).orElse(true);
    }
    return cli.store().task(project, runId, taskId).map(t -> t.state().isTerminal()).orElse(true);
  }

  private int report(RunRecord run, @Nullable String taskId, String key, String state) {
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
      cli.printJson(json);
    } else {
      cli.say(key, taskId == null ? Messages.get("cancel.theRun", run.id()) : Messages.get("cancel.theTask",
          taskId, run.id()), state);
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
