package dev.orchestrator.cli.internal;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.vcs.Rollback;
import dev.orchestrator.vcs.VcsException;
import dev.orchestrator.vcs.VersionControl;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rollback <task | run> [--cascade]}: undoes in the project's repository what a finished run's task committed
 * (one revert commit of exactly its commits), or resets the run's branch to its base commit. Refused while the run
 * goes on, when later work built on the task's commits (unless {@code --cascade}), and when the branch is checked out
 * in a working tree with changes of its own.
 */
@picocli.CommandLine.Command(name = "rollback", mixinStandardHelpOptions = true)
final class RollbackCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<task | run>", descriptionKey = "arg.taskOrRun")
  String ref = "";

  @Option(names = "--cascade", descriptionKey = "opt.cascade")
  boolean cascade;

  RollbackCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    String project = cli.project();
    Targets targets = new Targets(cli.store(), project);
    RunRecord run = ref.contains(":") ? null : targets.findRun(ref);
    @Nullable String taskId = null;
    if (run == null) {
      Targets.TaskRef t = targets.requireTask(ref, x -> true);
      run = t.run();
      taskId = t.task().taskId();
    }
    if (!run.status().isFinished()) {
      throw CliException.of(ExitCodes.REFUSED, "rollback.unfinished", run.id());
    }
    VersionControl vcs = cli.versionControl();
    Rollback r;
    try {
      r = taskId == null ? vcs.rollbackRun(project, run.id()) : vcs.rollbackTask(project, run.id(), taskId, cascade);
    } catch (VcsException e) {
      throw CliException.wrap(e, ExitCodes.REFUSED, "rollback.refused", e.getMessage());
    }
    if (cli.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run", run.id());
      json.put("task", taskId);
      json.put("tasks", r.tasks());
      json.put("branch", r.branch());
      json.put("commit", r.commit());
      json.put("reverted", r.reverted());
      cli.printJson(json);
    } else if (taskId == null) {
      cli.say("rollback.run", run.id(), r.branch(), shortId(r.commit()), r.reverted().size());
    } else if (r.commit() == null) {
      cli.say("rollback.nothing", taskId, run.id());
    } else {
      cli.say("rollback.task", String.join(", ", r.tasks()), r.reverted().size(), r.branch(), shortId(r.commit()));
    }
    return ExitCodes.OK;
  }

  private static String shortId(@Nullable String commit) {
    return commit == null ? "" : commit.substring(0, Math.min(12, commit.length()));
  }
}
