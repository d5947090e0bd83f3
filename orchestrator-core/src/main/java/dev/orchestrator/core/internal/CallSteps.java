package dev.orchestrator.core.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;

/** The steps of the engine's {@link CallPipeline}, each a thin adapter over the collaborator that owns its concern. */
final class CallSteps {
  private CallSteps() {}

  /**
   * The engine's steps, in order. Before a call: {@link Request}, {@link PromptGuard}, {@link Gate} (the provider's
   * circuit and rate window allow it), {@link Budget} (reserve), {@link ProviderCall}. After it: {@link Gate} (feed
   * the breaker), {@link Budget} (settle), {@link Ended}, {@link Retry}, {@link Reply}, {@link OutputGuard},
   * {@link ReviewStep}, {@link Succeed}.
   */
  static List<CallStep> standard(EngineContext ctx, Guards guards, Budgets budgets, Resilience resilience,
      Retries retries, Reviews reviews, Questions questions, Lifecycle lifecycle) {
    return standard(ctx, guards, budgets, resilience, retries, reviews, questions, lifecycle, null);
  }

  /**
   * The engine's steps with consultations ({@link Collaboration}): {@link Offer} after the prompt guard,
   * {@link Converse} after the provider call, and {@link ConversationEnd} after the budget's settlement.
   */
  static List<CallStep> standard(EngineContext ctx, Guards guards, Budgets budgets, Resilience resilience,
      Retries retries, Reviews reviews, Questions questions, Lifecycle lifecycle,
      @org.jspecify.annotations.Nullable Collaboration collaboration) {
    if (collaboration == null) {
      return List.of(new Request(reviews), new PromptGuard(guards), new Gate(resilience), new Budget(budgets),
          new Ended(ctx), new ProviderCall(ctx), new Retry(retries), new Reply(ctx, questions),
          new OutputGuard(guards), new ReviewStep(reviews), new Succeed(lifecycle));
    }
    return List.of(new Request(reviews), new PromptGuard(guards), new Offer(collaboration), new Gate(resilience),
        new Budget(budgets), new ConversationEnd(collaboration), new Ended(ctx), new ProviderCall(ctx),
        new Converse(collaboration), new Retry(retries), new Reply(ctx, questions), new OutputGuard(guards),
        new ReviewStep(reviews), new Succeed(lifecycle));
  }

  /** A task with collaborators: its request becomes the conversation so far, with the ask tool. */
  record Offer(Collaboration collaboration) implements CallStep {
    @Override
    public boolean before(Call call) {
      if (Collaboration.applies(call)) {
        collaboration.offer(call);
      }
      return true;
    }
  }

  /** A task with collaborators: the call watched becomes the whole conversation. */
  record Converse(Collaboration collaboration) implements CallStep {
    @Override
    public boolean before(Call call) {
      if (Collaboration.applies(call)) {
        collaboration.converse(call);
      }
      return true;
    }
  }

  /** A task with collaborators: the attempt's cost takes in every turn; a budget's breach pauses it. */
  record ConversationEnd(Collaboration collaboration) implements CallStep {
    @Override
    public boolean after(Call call) {
      return !Collaboration.applies(call) || collaboration.ended(call);
    }
  }

  /** Builds what the provider is sent: the author's prompt, or the review prompt. */
  record Request(Reviews reviews) implements CallStep {
    @Override
    public boolean before(Call call) {
      call.request = call.review ? ReviewDialogue.reviewRequest(call.node, reviews.request(call.node))
          : ReviewDialogue.authorRequest(call.node, Prompts.request(call.node));
      return true;
    }
  }

  /** Runs the prompt guards on an author call; a blocking guard fails the task. */
  record PromptGuard(Guards guards) implements CallStep {
    @Override
    public boolean before(Call call) {
      if (!call.review) {
        call.request = guards.prompt(call.node, call.request);
      }
      return call.request != null;
    }
  }

  /** Reserves the call's worst case before it (a breach pauses the task) and settles its real cost after it. */
  record Budget(Budgets budgets) implements CallStep {
    @Override
    public boolean before(Call call) {
      return budgets.reserve(call.node, call.slot, call.request);
    }

    @Override
    public boolean after(Call call) {
      budgets.settle(call.node, call.cost, call.response == null ? null : call.response.model());
      return true;
    }
  }

  /** Stamps when the attempt ended and records a failed one. */
  record Ended(EngineContext ctx) implements CallStep {
    @Override
    public boolean after(Call call) {
      call.endedAt = ctx.now();
      if (call.failed()) {
        TaskNode n = call.node;
        CallCost cost = call.cost;
        Attempt last = n.record.lastAttempt();
        ctx.update(n, n.record.withLastAttempt(last.ended(call.endedAt, Outcome.FAILED, call.kind, call.message,
            cost.usage(), cost.money(), cost.basis())));
      }
      return true;
    }
  }

  /**
   * The provider's gate, kept in the store for every process: the call goes only if the circuit is not open, the
   * half-open probe is free (it takes it) and the rate window has room; otherwise the task goes back to its lane.
   * After the call its outcome feeds the breaker.
   */
  record Gate(Resilience resilience) implements CallStep {
    @Override
    public boolean before(Call call) {
      return resilience.admit(call);
    }

    @Override
    public boolean after(Call call) {
      resilience.ended(call.node, call.kind);
      return true;
    }
  }

  /** Records the attempt's start and calls the provider, with the task in the logging context. */
  record ProviderCall(EngineContext ctx) implements CallStep {
    @Override
    public boolean before(Call call) {
      TaskNode n = call.node;
      Slot slot = call.slot;
      ProviderRequest request = call.request;
      Instant now = ctx.now();
      n.callSlot = slot;
      String prompt = request.prompt();
      TaskRecord started = n.reviewing ? n.record.withAttemptStarted(slot.name, now, prompt)
          : n.record.start(slot.name, now, prompt);
      ctx.update(n, reserving(started, n));
      if (n.run.lost) {
        return false; // the store refused the start: another engine holds the run now, and calls it itself
      }
      int attempt = n.record.attempts().size();
      if (!n.reviewing) {
        ctx.emit(n.run, new TaskStartedEvent(n.run.project, n.run.id, n.id(), now, TaskState.READY, slot.name,
            attempt));
      }
      slot.inFlight++;
      CallCancellation cancellation = CallCancellation.create();
      n.cancellation = cancellation;
      CallContext context = CallContext.builder().project(n.run.project).runId(n.run.id).taskId(n.id())
          .attempt(attempt).cancellation(cancellation).build();
      if (!ctx.events.inTransaction()) {
        n.call = invoke(slot, request, context);
        return true;
      }
      // The call is made once the store holds its start (and its reservation): a crash in between must not leave a
      // call the store does not know of. Cancelling the call cancels the provider's (CallPipeline#cancel).
      CompletableFuture<ProviderResponse> f = new CompletableFuture<>();
      n.call = f;
      ctx.events.afterCommit(() -> {
        if (f.isDone() || !calling(n, f) || n.run.lost) {
          return; // stopped before the commit
        }
        CompletableFuture<ProviderResponse> made = invoke(slot, request, context);
        made.whenComplete((response, error) -> {
          if (error == null) {
            f.complete(response);
          } else {
            f.completeExceptionally(error);
          }
        });
        f.whenComplete((response, error) -> {
          if (f.isCancelled()) {
            made.cancel(true);
          }
        });
      });
      return true;
    }

    /** Whether {@code f} is the call in flight: the task's, or the first turn of its conversation. */
    private static boolean calling(TaskNode n, CompletableFuture<ProviderResponse> f) {
      Conversation c = n.conversation();
      return n.call == f || (c != null && c.inFlight == f);
    }

    private static CompletableFuture<ProviderResponse> invoke(Slot slot, ProviderRequest request,
        CallContext context) {
      MDC.put(MdcKeys.PROJECT, context.project());
      MDC.put(MdcKeys.RUN, context.runId());
      MDC.put(MdcKeys.TASK, context.taskId());
      try {
        CompletableFuture<ProviderResponse> f = slot.provider.complete(request, context);
        return f != null ? f : CompletableFuture.failedFuture(new ProviderException(slot.name, ErrorKind.UNKNOWN,
            "provider returned no future (a bug in " + slot.provider.getClass().getName() + ")"));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      } finally {
        MDC.remove(MdcKeys.PROJECT);
        MDC.remove(MdcKeys.RUN);
        MDC.remove(MdcKeys.TASK);
      }
    }
  }

  /**
   * The attempt just started holds what its call reserved as its cost, estimated: the store then knows what the call
   * may spend, and an engine that takes the run over after a crash settles it at that amount.
   */
  static TaskRecord reserving(TaskRecord started, TaskNode n) {
    if (n.reserved.signum() <= 0) {
      return started;
    }
    Attempt a = started.lastAttempt();
    return started.withLastAttempt(a.toBuilder().finishedAt(null).outcome(null).errorKind(null).message(null)
        .usage(TokenUsage.NONE).cost(Money.usd(n.reserved)).costBasis(CostBasis.ESTIMATED).build());
  }

  /** A failed call is retried (an author's after its backoff, with failover; a review's as a review) or fails. */
  record Retry(Retries retries) implements CallStep {
    @Override
    public boolean after(Call call) {
      if (!call.failed()) {
        return true;
      }
      if (call.review) {
        retries.reviewFailed(call.node, call.kind, call.message, call.retryable);
      } else {
        retries.afterFailure(call.node, call.kind, call.message, call.retryAfter, call.retryable);
      }
      return false;
    }
  }

  /** An author's reply: a question sends the task to wait for an answer; an answer is recorded and goes on. */
  record Reply(EngineContext ctx, Questions questions) implements CallStep {
    @Override
    public boolean after(Call call) {
      if (call.review) {
        return true;
      }
      TaskNode n = call.node;
      ProviderResponse r = call.response;
      CallCost cost = call.cost;
      Attempt last = n.record.lastAttempt();
      if (r.question() != null) {
        ctx.update(n, n.record.withLastAttempt(last.ended(call.endedAt, Outcome.ASKED_FOR_INPUT, null, null,
            cost.usage(), cost.money(), cost.basis())));
        questions.ask(n, r.question());
        return false;
      }
      // Written with what follows (a repair, a failure, a review or the success), in one write.
      n.record = n.record.withLastAttempt(last.ended(call.endedAt, Outcome.SUCCEEDED, null, null, cost.usage(),
          cost.money(), cost.basis()));
      call.text = r.text();
      return true;
    }
  }

  /** Runs the output guards on an author's answer; they may change it, block it or send it back for a repair. */
  record OutputGuard(Guards guards) implements CallStep {
    @Override
    public boolean after(Call call) {
      if (call.review) {
        return true;
      }
      call.text = guards.output(call.node, call.text);
      return call.text != null;
    }
  }

  /** A reviewer's verdict is applied; an author's answer to a task with review goes to its reviewer. */
  record ReviewStep(Reviews reviews) implements CallStep {
    @Override
    public boolean after(Call call) {
      TaskNode n = call.node;
      if (call.review) {
        reviews.judged(n, call.verdict, call.cost, call.endedAt, call.request,
            call.response == null ? "" : call.response.text());
        return false;
      }
      if (n.spec.review() != null && n.reviewers.length > 0) {
        if (reviews.shadowsOn()) {
          n.extras().shadowRequest = call.request;
        }
        ReviewDialogue.answered(reviews.ctx(), n, call.request, call.text, call.cost);
        reviews.await(n, call.text);
        return false;
      }
      return true;
    }
  }

  /** The task succeeded with the accepted answer. */
  record Succeed(Lifecycle lifecycle) implements CallStep {
    @Override
    public boolean after(Call call) {
      lifecycle.succeed(call.node, call.text, TaskState.RUNNING, call.cost);
      if (lifecycle.shadows != null) {
        lifecycle.shadows.succeeded(call.node, call.text, call.request);
      }
      return false;
    }
  }
}
