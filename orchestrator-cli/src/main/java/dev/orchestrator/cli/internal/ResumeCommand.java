package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code resume <task | run>}: puts a failed or cancelled task back in the queue, or picks up a run whose process
 * stopped. The engine that executes the run does it; when no live engine holds the run (its process stopped, or it
 * has finished), this process takes it over and executes it in the foreground (or in the background with
 * {@code --detach}).
 */
@picocli.CommandLine.Command(name = "resume", mixinStandardHelpOptions = true)
final class ResumeCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<task | run>", descriptionKey = "arg.taskOrRun")
  String ref = "";

  @Option(names = {"-d", "--detach"}, descriptionKey = "opt.detach")
  boolean detach;

  @Option(names = Detach.CHILD_OPTION, hidden = true)
  boolean child;

  ResumeCommand(Cli cli) {
    super(cli);
  }

  static boolean resumable(TaskRecord t) {
    return t.state() == TaskState.FAILED || t.state() == TaskState.CANCELLED;
  }

  @Override
  public Integer call() {
    String project = cli.project();
    Targets targets = new Targets(cli.store(), project);
    RunRecord run = ref.contains(":") ? null : targets.findRun(ref);
    List<String> tasks = new ArrayList<>();
    if (run == null) {
      Targets.TaskRef t = targets.requireTask(ref, ResumeCommand::resumable);
      if (!resumable(t.task())) {
        throw CliException.of(ExitCodes.REFUSED, "resume.notResumable", t.task().taskId(), t.run().id(),
            t.task().state());
      }
      run = t.run();
      tasks.add(t.task().taskId());
    } else {
      for (TaskRecord t : cli.store().tasks(project, run.id())) {
        if (resumable(t)) {
          tasks.add(t.taskId());
        }
      }
      if (tasks.isEmpty() && run.status().isFinished()) {
        throw CliException.of(ExitCodes.REFUSED, "resume.nothing", run.id(), run.status());
      }
    }
    String runId = run.id();
    String holder = Steering.holder(cli, project, runId);
    if (holder != null && tasks.isEmpty()) {
      cli.say("resume.alreadyExecuting", runId, holder);
      return ExitCodes.OK;
    }
    if (detach && !child && holder == null) {
      // No engine executes the run: resuming takes it over, so a background process does it.
      return RunCommand.reportDetached(cli, Detach.start(cli));
    }
    Orchestrator engine;
    Run handle;
    Steering.Outcome outcome;
    try {
      engine = cli.executor(Cli.engineName("resume"), false, null);
      handle = engine.run(project, runId).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "run.notFound",
          runId, project));
      outcome = Steering.steer(cli, engine, project, runId, () -> {
        if (tasks.isEmpty()) {
          // Nothing to put back: a steering call takes the orphaned run over, and restating a task's priority
          // changes nothing else.
          TaskRecord first = cli.store().tasks(project, runId).get(0);
          handle.changePriority(first.taskId(), first.lane());
        }
        for (String task : tasks) {
          handle.resume(task);
        }
      });
      if (child && !outcome.here()) {
        throw CliException.of(ExitCodes.REFUSED, "steer.raced", runId, String.valueOf(outcome.engine()));
      }
    } catch (RuntimeException e) {
      if (child) {
        Detach.fail(cli, e);
        return Errors.exitCode(e);
      }
      throw e;
    }
    if (outcome.here()) {
      if (child) {
        Detach.handOver(cli, runId);
      }
      return Execution.follow(cli, handle, true);
    }
    if (tasks.isEmpty()) {
      cli.say("resume.alreadyExecuting", runId, Steering.name(outcome));
    }
    for (String task : tasks) {
      boolean done = Steering.await(() -> cli.store().task(project, runId, task).map(x -> !resumable(x))
          .orElse(true));
      if (done) {
        cli.say("resume.done", task, runId, Steering.name(outcome));
      } else {
        Steering.sayUnconfirmed(cli, project, runId, "resume.queued", task, runId);
      }
    }
    return ExitCodes.OK;
  }
}
