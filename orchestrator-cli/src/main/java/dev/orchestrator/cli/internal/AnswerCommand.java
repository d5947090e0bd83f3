package dev.orchestrator.cli.internal;

import dev.orchestrator.run.Question;
import dev.orchestrator.spi.store.Command;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code answer <question> <text>}: answers a task's question; the task goes on with the answer. */
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
    if (cli.locks().isExecuting(runId)) {
      boolean done = Remote.send(cli, Command.Kind.ANSWER, project, runId, qid, text, () -> cli.store()
          .task(project, runId, taskId).map(x -> x.question() == null || !x.question().isOpen()).orElse(true));
      cli.say(done ? "answer.done" : "answer.queued", qid, taskId, runId);
      return ExitCodes.OK;
    }
    if (detach && !child) {
      return RunCommand.reportDetached(cli, Detach.start(cli));
    }
    Execution.Executing ex;
    try {
      ex = Execution.adopt(cli, t.run());
      if (ex == null) {
        throw CliException.of(ExitCodes.REFUSED, "resume.raced", runId);
      }
      ex.orchestrator().answer(qid, text);
    } catch (RuntimeException e) {
      if (child) {
        Detach.fail(cli, e);
        return Errors.exitCode(e);
      }
      throw e;
    }
    if (child) {
      Detach.handOver(cli, runId);
    } else {
      cli.say("answer.done", qid, taskId, runId);
    }
    return Execution.follow(cli, ex);
  }
}
