package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code answer <question> <text>}: answers a task's question; the task goes on with the answer, in the engine that
 * executes its run. When no live engine holds the run, this process takes it over and executes it in the foreground
 * (or in the background with {@code --detach}).
 */
@picocli.CommandLine.Command(name = "answer", mixinStandardHelpOptions = true)
final class AnswerCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "<question>", descriptionKey = "arg.question")
  String ref = "";

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "<text>", descriptionKey = "arg.answer")
  List<String> words = List.of();

  @Option(names = {"-d", "--detach"}, descriptionKey = "opt.detach")
  boolean detach;

  @Option(names = Detach.CHILD_OPTION, hidden = true)
  boolean child;

  AnswerCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    String project = cli.project();
    String text = String.join(" ", words).trim();
    if (text.isEmpty()) {
      throw CliException.of(ExitCodes.USAGE, "answer.blank");
    }
    Targets.TaskRef t = new Targets(cli.store(), project).requireQuestion(ref);
    Question q = t.task().question();
    if (q == null || !q.isOpen()) {
      throw CliException.of(ExitCodes.REFUSED, "answer.already", ref, q == null ? "" : q.answer());
    }
    String qid = q.id();
    String runId = t.run().id();
    String taskId = t.task().taskId();
    if (detach && !child && Steering.holder(cli, project, runId) == null) {
      // No engine executes the run: this answer takes it over, so a background process does it.
      return RunCommand.reportDetached(cli, Detach.start(cli));
    }
    Orchestrator engine;
    Run handle;
    Steering.Outcome outcome;
    try {
      engine = cli.executor(Cli.engineName("answer"), false, null);
      handle = engine.run(project, runId).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND, "run.notFound",
          runId, project));
      outcome = Steering.steer(cli, engine, project, runId, () -> engine.answer(qid, text));
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
      } else {
        cli.say("answer.done", qid, taskId, runId);
      }
      return Execution.follow(cli, handle, true);
    }
    confirm(cli, outcome, project, runId, taskId, qid);
    return ExitCodes.OK;
  }

  /**
   * Answers a question through {@code engine} as this command does, for a run that this process follows in the
   * foreground (the question asked at the terminal): the engine that executes the run, here or in another process,
   * goes on with the answer; says which.
   *
   * @throws IllegalStateException when it was answered meanwhile
   */
  static void deliver(Cli cli, Orchestrator engine, String project, String runId, String taskId, String qid,
      String text) {
    Steering.Outcome outcome = Steering.steer(cli, engine, project, runId, () -> engine.answer(qid, text));
    if (outcome.here()) {
      cli.say("answer.done", qid, taskId, runId);
    } else {
      confirm(cli, outcome, project, runId, taskId, qid);
    }
  }

  /** Waits, bounded, until another engine took the answer, and says so (or that it has not confirmed yet). */
  private static void confirm(Cli cli, Steering.Outcome outcome, String project, String runId, String taskId,
      String qid) {
    boolean done = Steering.await(() -> cli.store().task(project, runId, taskId)
        .map(x -> x.question() == null || !x.question().isOpen()).orElse(true));
    if (done) {
      cli.say("answer.doneBy", qid, taskId, runId, Steering.name(outcome));
    } else {
      Steering.sayUnconfirmed(cli, project, runId, "answer.queued", qid, taskId, runId);
    }
  }
}
