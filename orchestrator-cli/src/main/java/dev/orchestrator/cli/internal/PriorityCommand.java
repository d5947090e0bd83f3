package dev.orchestrator.cli.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code priority <task> high|medium|low}: the roadmap's three queues. A ready task moves to the tail of its new
 * lane; a task not ready yet uses it when it becomes ready. Wherever the run executes, like {@code cancel}: the
 * engine that holds the run does it (through the store), or this process takes an orphaned run over, changes the
 * priority and executes the rest in the foreground.
 */
@Command(name = "priority", mixinStandardHelpOptions = true)
final class PriorityCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<task>", descriptionKey = "arg.task")
  String ref = "";

  @Parameters(index = "1", paramLabel = "high|medium|low", descriptionKey = "arg.priority")
  String level = "";

  PriorityCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    Priority priority;
    try {
      priority = Priority.parse(level);
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "priority.bad", Texts.cut(level));
    }
    String project = cli.project();
    Targets targets = new Targets(cli.store(), project);
    Targets.TaskRef ref = targets.requireTask(this.ref, t -> waiting(t.state()));
    RunRecord run = ref.run();
    TaskRecord task = ref.task();
    if (!waiting(task.state())) {
      throw CliException.of(ExitCodes.REFUSED, "priority.notWaiting", task.taskId(), run.id(), task.state());
    }
    if (task.lane() == priority) {
      return report(run, task.taskId(), "priority.already", priority);
    }
    String runId = run.id();
    String taskId = task.taskId();
    Orchestrator engine = cli.executor(Cli.engineName("priority"), false, null);
    Run handle = engine.run(project, runId).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "run.notFound",
        runId, project));
    Steering.Outcome outcome = Steering.steer(cli, engine, project, runId,
        () -> handle.changePriority(taskId, priority));
    if (outcome.here()) {
      report(run, taskId, "priority.changed", priority);
      // This process took the orphaned run over: it executes the rest now, in the foreground.
      return handle.completion().isDone() ? ExitCodes.OK : Execution.follow(cli, handle, true);
    }
    if (Steering.await(() -> lane(project, runId, taskId) == priority)) {
      return report(run, taskId, "priority.changedBy", priority, Steering.name(outcome));
    }
    if (cli.json()) {
      return report(run, taskId, "priority.queued", priority, String.valueOf(Steering.holder(cli, project, runId)));
    }
    Steering.sayUnconfirmed(cli, project, runId, "priority.queued", taskId, runId, priority);
    return ExitCodes.OK;
  }

  /** A task whose priority still matters: it has not started, or waits to run again. */
  private static boolean waiting(TaskState s) {
    return !s.isTerminal() && s != TaskState.RUNNING;
  }

  private Priority lane(String project, String runId, String taskId) {
    return cli.store().task(project, runId, taskId).map(TaskRecord::lane).orElse(null);
  }

  private int report(RunRecord run, String taskId, String key, Object... args) {
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run", run.id());
      json.put("task", cli.store().task(run.project(), run.id(), taskId).orElse(null));
      json.put("outcome", key.substring(key.indexOf('.') + 1));
      json.put("engine", Steering.holder(cli, run.project(), run.id()));
      cli.printJson(json);
    } else {
      Object[] all = new Object[args.length + 2];
      all[0] = taskId;
      all[1] = run.id();
      System.arraycopy(args, 0, all, 2, args.length);
      cli.say(key, all);
    }
    return ExitCodes.OK;
  }
}
