package dev.orchestrator.cli.internal;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Command;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code resume <task | run>}: puts a failed or cancelled task back in the queue, or picks up a run whose process
 * stopped. When no live process executes the run, this one does, in the foreground (or in the background with
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
    RunRecord target = run;
    if (cli.locks().isExecuting(run.id())) {
      if (tasks.isEmpty()) {
        cli.say("resume.alreadyExecuting", run.id());
        return ExitCodes.OK;
      }
      for (String task : tasks) {
        boolean done = Remote.send(cli, Command.Kind.RESUME, project, run.id(), task, "", () -> cli.store()
            .task(project, target.id(), task).map(x -> !resumable(x)).orElse(true));
        cli.say(done ? "resume.done" : "resume.queued", task, run.id());
      }
      return ExitCodes.OK;
    }
    if (detach && !child) {
      return RunCommand.reportDetached(cli, Detach.start(cli));
    }
    Execution.Executing ex;
    try {
      ex = Execution.adopt(cli, run);
      if (ex == null) {
        throw CliException.of(ExitCodes.REFUSED, "resume.raced", run.id());
      }
      for (String task : tasks) {
        ex.run().resume(task);
      }
    } catch (RuntimeException e) {
      if (child) {
        Detach.fail(cli, e);
        return Errors.exitCode(e);
      }
      throw e;
    }
    if (child) {
      Detach.handOver(cli, run.id());
    }
    return Execution.follow(cli, ex);
  }
}
