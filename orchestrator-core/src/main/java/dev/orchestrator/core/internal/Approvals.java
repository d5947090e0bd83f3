package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Approval;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approvals a task needs (see {@link Approval}): questions whose ids start with {@link Approval#ID_PREFIX}, asked
 * before the task runs or of its output. The output to approve is stored on the waiting task, so any engine that
 * adopts the run can finish it. A timeout runs on the engine's scheduler, from the question's stored time, and is
 * armed again when a run is adopted. Confined to the drain loop.
 */
final class Approvals {
  private static final Logger log = LoggerFactory.getLogger(Approvals.class);
  /** How an escalated approval's id starts: its own timeout rejects it. */
  static final String ESCALATED_PREFIX = Approval.ID_PREFIX + "escalated-";

  private final EngineContext ctx;
  private final Questions questions;
  private final Lifecycle lifecycle;

  Approvals(EngineContext ctx, Questions questions, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.questions = questions;
    this.lifecycle = lifecycle;
  }

  /** Asks the approval a ready task needs before it runs, unless given; true when the task now waits for it. */
  boolean askBefore(TaskNode n) {
    Approval a = n.spec.approval();
    if (a == null || a.stage() != Approval.Stage.BEFORE || approved(n)) {
      return false;
    }
    ask(n, a, Approval.ID_PREFIX, "Approve task '" + n.spec.title() + "' to run?");
    return true;
  }

  /** Holds a task's output for approval when it needs one; true when the task now waits for it. */
  boolean holdOutput(TaskNode n, String output) {
    Approval a = n.spec.approval();
    if (a == null || a.stage() != Approval.Stage.AFTER) {
      return false;
    }
    n.record = n.record.toBuilder().output(output).build();
    ask(n, a, Approval.ID_PREFIX, "Approve the output of task '" + n.spec.title() + "'?");
    return true;
  }

  /**
   * Applies an answer to an approval; false when {@code questionId} is an ordinary question, which the caller
   * handles.
   */
  boolean answered(TaskNode n, String questionId, String answer) {
    if (!Approval.isApproval(questionId)) {
      return false;
    }
    Approval a = n.spec.approval();
    boolean yes = Approval.approves(answer);
    log.info("Approval answered (project={}, run={}, task={}, question={}, approved={})", n.run.project, n.run.id,
        n.id(), questionId, yes);
    if (!yes) {
      lifecycle.fail(n, ErrorKind.REVIEW_REJECTED, "approval " + questionId + " was rejected (answer: '"
          + answer + "')");
    } else if (a != null && a.stage() == Approval.Stage.AFTER) {
      String output = n.record.output();
      lifecycle.succeeded(n, output == null ? "" : output, TaskState.AWAITING_INPUT, lastCost(n));
    } else {
      lifecycle.becomeReady(n);
    }
    return true;
  }

  /** An open approval of an adopted run: its timeout is armed again for what remains of it. */
  void reopened(TaskNode n, Question q) {
    if (Approval.isApproval(q.id())) {
      arm(n, q.id(), q.askedAt());
    }
  }

  private void ask(TaskNode n, Approval a, String prefix, String text) {
    TaskState state = n.state();
    if (state == TaskState.FAILED || state == TaskState.CANCELLED) {
      // A resumed task: back to waiting for its dependencies (done) before it waits for its approval.
      ctx.update(n, n.record.moveTo(TaskState.BLOCKED, ctx.now()));
    }
    String id = prefix + UUID.randomUUID();
    questions.ask(n, id, text);
    arm(n, id, ctx.now());
  }

  private void arm(TaskNode n, String id, Instant askedAt) {
    Approval a = n.spec.approval();
    Duration timeout = a == null ? null : a.timeout();
    if (timeout == null) {
      return;
    }
    Duration left = Duration.between(ctx.now(), askedAt.plus(timeout));
    ctx.later(left.isNegative() ? Duration.ZERO : left, () -> timedOut(n, id));
  }

  /** In the loop: an approval not answered in time is settled by its policy, if still open here. */
  private void timedOut(TaskNode n, String id) {
    Approval a = n.spec.approval();
    if (a == null || !questions.askedHere(id) || !id.equals(n.openQuestionId())) {
      return;
    }
    boolean escalated = id.startsWith(ESCALATED_PREFIX);
    log.info("Approval timed out (project={}, run={}, task={}, question={}, policy={})", n.run.project, n.run.id,
        n.id(), id, escalated ? "DENY (escalated)" : a.onTimeout());
    if (!escalated && a.onTimeout() == Approval.OnTimeout.ESCALATE) {
      questions.answerHere(id, "escalated to " + String.join(", ", a.escalateTo()));
      String text = "Escalated to " + String.join(", ", a.escalateTo()) + ": approve "
          + (a.stage() == Approval.Stage.BEFORE ? "task '" + n.spec.title() + "' to run?"
              : "the output of task '" + n.spec.title() + "'?");
      ask(n, a, ESCALATED_PREFIX, text);
      return;
    }
    String answer = !escalated && a.onTimeout() == Approval.OnTimeout.DEFAULT ? a.defaultAnswer() : Approval.REJECT;
    questions.answerHere(id, answer + " (timed out)");
    answered(n, id, answer);
  }

  /** Whether the task's last question is an approval that was approved. */
  private static boolean approved(TaskNode n) {
    Question q = n.record.question();
    return q != null && Approval.isApproval(q.id()) && q.answer() != null && Approval.approves(q.answer());
  }

  private static CallCost lastCost(TaskNode n) {
    @Nullable Attempt last = n.record.lastAttempt();
    if (last == null) {
      return CallCost.NONE;
    }
    return new CallCost(last.cost().amount(), last.costBasis(), last.usage());
  }
}
