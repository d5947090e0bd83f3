package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.Review;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Peer review as a dialogue: the author and its reviewer each keep one conversation across the review rounds. The
 * author sees its earlier answers and the reviewer's exact comments as turns (a rejection is a user turn after its
 * answer); the reviewer sees its earlier verdicts and is shown each revision as the next turn, so it judges the
 * revision against what it asked for. A provider without conversations reads the prompts it read before: the
 * author its task with the feedback appended, the reviewer a fresh review of the revision. Each verdict and each
 * revision is a
 * {@link MessageExchangedEvent}. Still bounded by the review's rounds. Confined to the drain loop.
 */
final class ReviewDialogue {
  private ReviewDialogue() {}

  /** One task's review rounds. */
  static final class Thread {
    /** The author's conversation: its prompt, then each answer and the rejection that followed it. */
    final List<Message> author = new ArrayList<>();
    /** The reviewer's conversation: the first review request, then each verdict and the revision that followed. */
    final List<Message> reviewer = new ArrayList<>();
    /** Who rejected the last answer, for the revision's message. */
    @Nullable String lastReviewer;
  }

  /** An author's answer goes to review: kept in its conversation; a revision is a message to the reviewer. */
  static void answered(EngineContext ctx, TaskNode n, @Nullable ProviderRequest request, String output,
      CallCost cost) {
    Thread t = n.extras().reviewThread;
    if (t == null) {
      t = new Thread();
      n.extras().reviewThread = t;
      t.author.add(Message.user(request == null ? Prompts.prompt(n) : firstUser(request)));
    }
    t.author.add(Message.assistant(output));
    if (t.lastReviewer != null) {
      emit(ctx, n, n.slot.name, t.lastReviewer, MessageExchangedEvent.REVISION, output, cost);
    }
  }

  /** What the reviewer is asked: the first request, or its conversation with the author's revision as the next turn. */
  static ProviderRequest reviewRequest(TaskNode n, ProviderRequest first) {
    Thread t = n.extras().reviewThread;
    if (t == null || t.reviewer.isEmpty()) {
      return first;
    }
    List<Message> messages = new ArrayList<>(t.reviewer);
    messages.add(Message.user("The author revised its answer after your feedback. The revision:\n"
        + n.pendingOutput() + "\n\nJudge the revision against the same criteria. Reply with JSON only: "
        + "{\"approved\": true or false, \"score\": an integer from 0 to 10, \"feedback\": \"concrete changes that "
        + "would make it acceptable\"}"));
    // The prompt stays the review of the revision on its own, as before, for providers that read one text.
    return first.toBuilder().messages(messages).build();
  }

  /**
   * A verdict: a turn of the reviewer's conversation and a message to the author; a rejection with rounds left is the
   * author's next turn, the reviewer's exact comments.
   */
  static void judged(EngineContext ctx, TaskNode n, @Nullable ProviderRequest request, String verdictText,
      Verdicts.Verdict verdict, boolean approved, CallCost cost) {
    Thread t = n.extras().reviewThread;
    if (t == null) {
      return;
    }
    String reviewer = n.callSlot.name;
    if (t.reviewer.isEmpty() && request != null) {
      t.reviewer.add(Message.user(request.prompt()));
    } else if (!t.reviewer.isEmpty()) {
      t.reviewer.add(Message.user("The author revised its answer after your feedback. The revision:\n"
          + n.pendingOutput()));
    }
    t.reviewer.add(Message.assistant(verdictText));
    String said = (approved ? "Approved" : "Rejected") + " (round " + n.reviewRound() + ", score "
        + verdict.score() + "/10): " + verdict.feedback();
    emit(ctx, n, reviewer, n.slot.name, MessageExchangedEvent.REVIEW, said, cost);
    Review review = n.spec.review();
    if (approved || review == null || n.reviewRound() >= review.maxRounds()) {
      n.extras().reviewThread = null;
      return;
    }
    t.lastReviewer = reviewer;
    t.author.add(Message.user("A reviewer (" + reviewer + ") rejected your answer in round " + n.reviewRound()
        + " with score " + verdict.score() + "/10. Their comments, exactly:\n" + verdict.feedback()
        + "\n\nRevise your answer to meet them. Reply with the revised answer only."));
  }

  /**
   * The author's request after a rejection: its conversation across the rounds. The prompt stays as before (the
   * task's prompt with the feedback and the previous answer appended), for providers that read one text.
   */
  static ProviderRequest authorRequest(TaskNode n, ProviderRequest base) {
    Thread t = n.conversationOfReview();
    if (t == null || n.feedback() == null || t.author.size() < 3) {
      return base;
    }
    return base.toBuilder().messages(List.copyOf(t.author)).build();
  }

  private static String firstUser(ProviderRequest request) {
    if (!request.isConversation()) {
      return request.prompt();
    }
    for (Message m : request.messages()) {
      if (m.role() == Message.Role.USER) {
        return m.text();
      }
    }
    return request.prompt();
  }

  private static void emit(EngineContext ctx, TaskNode n, String from, String to, String kind, String text,
      CallCost cost) {
    TokenUsage usage = cost.usage();
    Money money = cost.money();
    ctx.emit(n.run, new MessageExchangedEvent(n.run.project, n.run.id, n.id(), ctx.now(),
        Math.max(1, n.record.attempts().size()), from, to, kind, text, usage, money));
  }
}
