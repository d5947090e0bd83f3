package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A foreground run at a terminal is a conversation: each question a task asks is shown and its answer read inline,
 * then given through the engine as {@code orchestrator answer} does, so it reaches the engine that executes the run
 * wherever it is. A question answered elsewhere meanwhile is let go. Questions are asked one at a time, in the order
 * they came, on a thread of their own. Thread-safe.
 */
final class InlineQuestions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InlineQuestions.class);

  private final Cli cli;
  private final Run run;
  private final Orchestrator engine;
  private final Conversation conversation;
  private final Progress progress;
  /** The questions already taken up, so an event read twice asks once. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService asker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "orchestrator-questions");
    t.setDaemon(true);
    return t;
  });

  InlineQuestions(Cli cli, Run run, Orchestrator engine, Conversation conversation, Progress progress) {
    this.cli = cli;
    this.run = run;
    this.engine = engine;
    this.conversation = conversation;
    this.progress = progress;
  }

  /**
   * Takes up the questions already open (asked before this process followed the run), and looks again every second:
   * a question whose event came before this display subscribed may reach the store only after the first look.
   */
  void start() {
    asker.scheduleWithFixedDelay(this::scan, 0, 1, TimeUnit.SECONDS);
  }

  private void scan() {
    if (run.completion().isDone()) {
      return;
    }
    try {
      for (TaskRecord t : cli.store().tasks(run.project(), run.id())) {
        Question q = t.question();
        if (q != null && q.isOpen()) {
          take(q.id(), t.taskId(), q.text());
        }
      }
    } catch (RuntimeException e) {
      log.debug("Questions not read; looking again in a second (run={})", run.id(), e); // a busy store passes
    }
  }

  void onEvent(Event e) {
    if (e instanceof InputRequestedEvent q) {
      take(q.questionId(), q.taskId(), q.question());
    }
  }

  private void take(String qid, String taskId, String text) {
    if (seen.add(qid)) {
      try {
        asker.execute(() -> ask(qid, taskId, text));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the run has ended and the display closed
      }
    }
  }

  /**
   * Whether the question is settled: the run ended, or the store shows it answered (or the task asking another). A
   * question the store does not show yet is open: its event may arrive before the store shows it.
   */
  private boolean gone(String qid, String taskId) {
    if (run.completion().isDone()) {
      return true;
    }
    return cli.store().task(run.project(), run.id(), taskId)
        .map(t -> t.question() != null && (!t.question().id().equals(qid) || !t.question().isOpen()))
        .orElse(false);
  }

  private void ask(String qid, String taskId, String text) {
    if (gone(qid, taskId)) {
      return;
    }
    progress.hold(true);
    try {
      while (true) {
        String line = conversation.ask("\n" + Messages.get("question.prompt", taskId, text, qid),
            () -> gone(qid, taskId));
        if (line == null) {
          cli.out().println();
          if (!run.completion().isDone()) {
            cli.say("question.answeredElsewhere", taskId, qid);
          }
          return;
        }
        String answer = line.trim();
        if (answer.isEmpty()) {
          cli.say("answer.blank");
          continue;
        }
        try {
          AnswerCommand.deliver(cli, engine, run.project(), run.id(), taskId, qid, answer);
        } catch (RuntimeException e) {
          // Answered from another terminal in the same moment, or the store refused: say so, the run goes on.
          log.debug("Inline answer not given (run={}, question={})", run.id(), qid, e);
          cli.out().println(Errors.line(e));
        }
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      cli.out().flush();
      progress.hold(false);
    }
  }

  @Override
  public void close() {
    asker.shutdownNow();
  }
}
