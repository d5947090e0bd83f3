package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.Review;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Peer review: an author's accepted output waits in AWAITING_REVIEW while a reviewer provider judges it; approval
 * succeeds the task, rejection sends it back with the feedback for another round, until the rounds run out.
 * Confined to the drain loop.
 */
final class Reviews {
  private static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\",\"score\","
      + "\"feedback\"],\"properties\":{\"approved\":{\"type\":\"boolean\"},\"score\":{\"type\":\"integer\","
      + "\"minimum\":0,\"maximum\":10},\"feedback\":{\"type\":\"string\"}}}";

  private final EngineContext ctx;
  private final Lifecycle lifecycle;
  /** Review scores by reviewer/author/task type: sum and count, for learning. */
  private final Map<String, int[]> scores = new HashMap<>();

  Reviews(EngineContext ctx, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.lifecycle = lifecycle;
  }

  /** The author's output waits for a reviewer, the first available one of the task's reviewers. */
  void await(TaskNode n, String output) {
    Instant now = ctx.now();
    n.extras().pendingOutput = output;
    n.extras().reviewRound++;
    Slot reviewer = n.reviewers[0];
    for (Slot r : n.reviewers) {
      if (r.available()) {
        reviewer = r;
        break;
      }
    }
    n.reviewSlot = reviewer;
    n.reviewing = true;
    ctx.update(n, n.record.moveTo(TaskState.AWAITING_REVIEW, now));
    ctx.emit(n.run, new TaskAwaitingReviewEvent(n.run.project, n.run.id, n.id(), now, TaskState.RUNNING,
        reviewer.name));
    reviewer.enqueue(n, now.toEpochMilli());
  }

  EngineContext ctx() {
    return ctx;
  }

  /** Whether shadow evaluation is on, so an author's request is kept while its answer is reviewed. */
  boolean shadowsOn() {
    return lifecycle.shadows != null;
  }

  /** What the reviewer is asked. */
  ProviderRequest request(TaskNode n) {
    Review review = n.spec.review();
    String prompt = "You review another assistant's answer. Judge it only against these criteria:\n"
        + Prompts.fill(n, review.criteria()) + "\n\nThe task it was given:\n" + Prompts.prompt(n) + "\n\nIts answer:\n"
        + n.pendingOutput() + "\n\nReply with JSON only: {\"approved\": true or false, \"score\": an integer from 0 to "
        + "10, \"feedback\": \"concrete changes that would make it acceptable\"}";
    return ProviderRequest.builder().prompt(prompt).expectedOutput(ExpectedOutput.jsonSchema(VERDICT_SCHEMA))
        .taskType("review").timeout(n.spec.timeout()).build();
  }

  /**
   * A reviewer's verdict: approval succeeds the task with the author's output; a rejection sends it back with the
   * feedback while rounds remain, else fails it.
   */
  void judged(TaskNode n, Verdicts.Verdict verdict, CallCost cost, Instant now) {
    judged(n, verdict, cost, now, null, "");
  }

  /** As {@link #judged(TaskNode, Verdicts.Verdict, CallCost, Instant)}, with the review's request and reply text. */
  void judged(TaskNode n, Verdicts.Verdict verdict, CallCost cost, Instant now,
      dev.orchestrator.spi.provider.@org.jspecify.annotations.Nullable ProviderRequest reviewRequest,
      String verdictText) {
    Attempt last = n.record.lastAttempt();
    Review review = n.spec.review();
    boolean approved = verdict.approved() && verdict.score() >= review.minScore();
    String summary = "score " + verdict.score() + "/10: " + verdict.feedback();
    ctx.update(n, n.record.withLastAttempt(last.ended(now, approved ? Outcome.APPROVED : Outcome.REJECTED, null,
        summary, cost.usage(), cost.money(), cost.basis())));
    ctx.emit(n.run, new ReviewCompletedEvent(n.run.project, n.run.id, n.id(), now, n.callSlot.name, n.reviewRound(),
        approved, verdict.score(), verdict.feedback()));
    ReviewDialogue.judged(ctx, n, reviewRequest, verdictText, verdict, approved, cost);
    scores.merge(n.callSlot.name + "/" + n.slot.name + "/" + n.spec.taskType(),
        new int[] {verdict.score(), 1}, (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
    n.reviewing = false;
    if (approved) {
      n.extras().feedback = null;
      String output = n.pendingOutput();
      lifecycle.succeed(n, output, TaskState.AWAITING_REVIEW, cost);
      if (lifecycle.shadows != null) {
        dev.orchestrator.spi.provider.ProviderRequest request = n.extras().shadowRequest;
        n.extras().shadowRequest = null;
        lifecycle.shadows.succeeded(n, output, request);
      }
    } else if (n.reviewRound() < review.maxRounds()) {
      n.extras().feedback = verdict.feedback();
      lifecycle.enqueue(n);
    } else {
      lifecycle.fail(n, ErrorKind.REVIEW_REJECTED, "rejected in all " + review.maxRounds()
          + " review rounds; last feedback: " + verdict.feedback());
    }
  }
}
