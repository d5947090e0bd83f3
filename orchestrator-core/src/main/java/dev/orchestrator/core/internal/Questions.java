package dev.orchestrator.core.internal;

import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Approval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Questions a task asks before it runs or a provider asks instead of answering: the task waits in AWAITING_INPUT
 * until someone answers, then goes back to its queue with the answer in its prompt. The open questions of every
 * engine are read from the store. Confined to the drain loop except where a field says otherwise.
 */
final class Questions {
  private final EngineContext ctx;
  /** Open questions asked here, by id: read by any thread, written in the drain loop. */
  private final ConcurrentHashMap<String, Question> open = new ConcurrentHashMap<>();
  private final Map<String, TaskNode> nodes = new HashMap<>();
  private final Set<String> answered = new HashSet<>();

  Questions(EngineContext ctx) {
    this.ctx = ctx;
  }

  /** The task waits in AWAITING_INPUT for an answer to {@code question}. */
  void ask(TaskNode n, String question) {
    ask(n, "q-" + UUID.randomUUID(), question);
  }

  /** As {@link #ask(TaskNode, String)}, with the question's id given (an approval's starts with its prefix). */
  void ask(TaskNode n, String id, String question) {
    TaskState from = n.state();
    Instant now = ctx.now();
    Question q = Question.asked(id, n.run.project, n.run.id, n.id(), question, now);
    // An escalated approval is asked again of a task that already waits.
    ctx.update(n, (from == TaskState.AWAITING_INPUT ? n.record : n.record.moveTo(TaskState.AWAITING_INPUT, now))
        .withQuestion(q));
    reopened(n, q);
    ctx.emit(n.run, new InputRequestedEvent(n.run.project, n.run.id, n.id(), now, from, id, question));
  }

  /** A question of a recovered task, still open: this engine takes its answer now. */
  void reopened(TaskNode n, Question q) {
    n.openQuestionId(q.id());
    nodes.put(q.id(), n);
    open.put(q.id(), q);
  }

  /** Forgets the task's open question (it was cancelled, or its run went elsewhere). */
  void close(TaskNode n) {
    String id = n.openQuestionId();
    if (id != null) {
      nodes.remove(id);
      open.remove(id);
      n.openQuestionId(null);
    }
  }

  /** Whether a task of this engine asked the question and waits for its answer. In the drain loop. */
  boolean askedHere(String questionId) {
    return nodes.containsKey(questionId);
  }

  /**
   * Answers a question asked by a task of this engine and returns the task, to go back to its queue with the answer
   * in its prompt.
   */
  TaskNode answerHere(String questionId, String text) {
    TaskNode n = nodes.remove(questionId);
    if (n == null) {
      throw unknown(questionId);
    }
    Question q = open.remove(questionId);
    answered.add(questionId);
    n.openQuestionId(null);
    if (!Approval.isApproval(questionId)) {
      n.addDialogue(q.text(), text);
    }
    ctx.update(n, n.record.withQuestion(q.answered(text, ctx.now())));
    return n;
  }

  /** The error for a question that is not open: answered already, or never asked. */
  RuntimeException unknown(String questionId) {
    if (answered.contains(questionId)) {
      return new IllegalStateException("question " + questionId + " is already answered");
    }
    return new IllegalArgumentException("there is no open question " + questionId
        + ": list them with questions(project)");
  }

  /** An open question in the store, asked by a task of any engine, or null. */
  @Nullable Question stored(String questionId) {
    for (Project p : ctx.store.projectList(true)) {
      for (Question q : stored(p.name(), false)) {
        if (q.id().equals(questionId)) {
          return q;
        }
      }
    }
    return null;
  }

  /** The open questions of a project, whichever engine's tasks asked them, oldest first. */
  List<Question> questions(String project) {
    return stored(project, true);
  }

  /** The open questions of a project's running runs, as the store has them, whichever engine asked them. */
  private List<Question> stored(String project, boolean sorted) {
    List<Question> out = new ArrayList<>();
    for (RunRecord r : ctx.store.runs(project)) {
      if (r.status() != RunStatus.RUNNING) {
        continue;
      }
      for (TaskRecord t : ctx.store.tasks(project, r.id())) {
        Question q = t.question();
        if (t.state() == TaskState.AWAITING_INPUT && q != null && q.isOpen()) {
          out.add(q);
        }
      }
    }
    if (sorted) {
      out.sort(Comparator.comparing(Question::askedAt).thenComparing(Question::id));
    }
    return out;
  }
}
