package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way every provider call goes: a task taken from a lane passes through an ordered list of {@link CallStep}s
 * before its call (build the request, guard the prompt, pass the provider's gate, reserve its budget, call the
 * provider), and when the call ends through the same list again (settle the budget, record the outcome, feed the
 * breaker, retry a failure, take a question, guard the output, review, succeed). {@link CallSteps#standard} gives
 * the engine's list; a step is added or moved by changing that list alone.
 *
 * <p>A call that times out or is cancelled is stopped here ({@link #onTimeout}, {@link #stop}). Confined to the
 * drain loop.
 */
final class CallPipeline {
  private static final Logger log = LoggerFactory.getLogger(CallPipeline.class);
  private final EngineContext ctx;
  private final List<CallStep> steps;
  private final Budgets budgets;
  private final Resilience resilience;
  private final Retries retries;

  CallPipeline(EngineContext ctx, List<CallStep> steps, Budgets budgets, Resilience resilience, Retries retries) {
    this.ctx = ctx;
    this.steps = List.copyOf(steps);
    this.budgets = budgets;
    this.resilience = resilience;
    this.retries = retries;
  }

  /**
   * Passes a task just taken from {@code slot}'s lanes through the steps before its call, and watches the call they
   * started. Returns false when a step stopped it.
   *
   */
  boolean start(TaskNode n, Slot slot) {
    Call call = new Call(n, slot);
    for (CallStep step : steps) {
      if (!step.before(call)) {
        stopped(n);
        return false;
      }
    }
    CompletableFuture<ProviderResponse> f = n.call;
    if (f == null) {
      return true; // no step called a provider
    }
    Duration timeout = retries.timeout(n);
    if (timeout != null && !f.isDone()) {
      n.timer = ctx.later(timeout, () -> onTimeout(n, f));
    }
    f.whenComplete((response, error) -> ctx.post(() -> ended(call, f, response, error)));
    return true;
  }

  /** The call ended: its result is read into {@code call}, and the steps after the call take it from there. */
  void ended(Call call, CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse response,
      @Nullable Throwable error) {
    TaskNode n = call.node;
    if (n.call != f) {
      return; // cancelled or timed out already; this late result is dropped
    }
    endCall(n);
    call.response = response;
    call.cost = CallCost.of(response, error == null ? null : unwrap(error), n.reserved);
    if (error == null && response == null) {
      error = call.review
          ? new ProviderException(n.callSlot.name, ErrorKind.MALFORMED_RESPONSE, "reviewer completed with no reply")
          : new ProviderException(n.slot.name, ErrorKind.MALFORMED_RESPONSE, "provider completed with no response");
    } else if (error == null && call.review) {
      call.verdict = Verdicts.parse(response.text());
      if (call.verdict == null) {
        error = new ProviderException(n.callSlot.name, ErrorKind.MALFORMED_RESPONSE,
            "the reviewer's reply is not a verdict (JSON with approved, score and feedback)");
      }
    }
    if (error != null) {
      Throwable cause = unwrap(error);
      call.kind = classify(cause);
      call.message = cause instanceof ProviderException pe ? pe.getMessage() : String.valueOf(cause);
      call.retryAfter = !call.review && cause instanceof ProviderException pe ? pe.retryAfter() : null;
      call.retryable = cause instanceof ProviderException pe ? pe.retryable() : null;
    }
    // What the call cost, the attempt that records it and the task's next state are written together: a process
    // killed in between would otherwise leave money spent that no attempt shows, or a paid answer that is run again.
    try {
      ctx.events.atomically(() -> {
        for (CallStep step : steps) {
          if (!step.after(call)) {
            break;
          }
        }
        if (n.run.lost) {
          // The store refused the attempt's end: another engine holds the run now, finds the call in flight and
          // settles it at its reservation. Keeping this end's charge as well would count the call twice.
          throw new EndRefused();
        }
        return null;
      });
    } catch (EndRefused e) {
      log.debug("The end of a call was refused: another engine holds the run now (project={}, run={}, task={})",
          n.run.project, n.run.id, n.id());
    } catch (RuntimeException e) {
      // Nothing of the call's end was kept (a deadlock with an engine taking the run over, the connection lost as
      // another process took over the embedded file), and memory already moved on: the run is reloaded from what the
      // store holds, the call counting as interrupted.
      log.error("The end of a call could not be recorded; the run is reloaded from the store (project={}, run={}, "
          + "task={})", n.run.project, n.run.id, n.id(), e);
      ctx.transitions.unsure(n.run);
    }
  }

  /** A call stopped before it started (refused, or the store failed) holds no probe and no reservation. */
  void stopped(TaskNode n) {
    resilience.abandoned(n);
    budgets.release(n);
  }

  /** The call took longer than its timeout: it is stopped and the attempt fails as TIMEOUT (retried if allowed). */
  private void onTimeout(TaskNode n, CompletableFuture<ProviderResponse> f) {
    if (n.call != f) {
      return;
    }
    n.timer = null;
    Duration limit = retries.timeout(n);
    stop(n, Outcome.TIMED_OUT, ErrorKind.TIMEOUT);
    resilience.ended(n, ErrorKind.TIMEOUT);
    retries.afterFailure(n, ErrorKind.TIMEOUT, "no reply within " + limit, null, null);
  }

  /** Frees the slot and the timer of the call in flight. */
  void endCall(TaskNode n) {
    n.call = null;
    n.cancellation = null;
    n.callSlot.inFlight--;
    if (n.timer != null) {
      n.timer.cancel();
      n.timer = null;
    }
  }

  /**
   * Cancels the call in flight (a process-based provider destroys its process) and records how the attempt ended.
   * The request was sent, so the call may have been billed: it is settled at its reservation, estimated.
   */
  void stop(TaskNode n, Outcome outcome, ErrorKind kind) {
    CompletableFuture<ProviderResponse> f = n.call;
    CallCancellation signal = n.cancellation;
    endCall(n);
    CallCost cost = CallCost.stopped(n.reserved);
    budgets.settle(n, cost, null);
    if (outcome == Outcome.CANCELLED) {
      resilience.abandoned(n);
    }
    cancel(n, f, signal);
    Attempt last = n.record.lastAttempt();
    if (last != null && last.outcome() == null) {
      ctx.update(n, n.record.withLastAttempt(last.ended(ctx.now(), outcome, kind, null, cost.usage(),
          cost.money(), cost.basis())));
    }
  }

  /**
   * Cancels a call that {@link #endCall} just freed: the signal in its context first, so that a provider reacting to
   * its future's cancellation already reads {@code cancelled()}, then the future. A provider's cancel action that
   * throws is logged: the call is stopped all the same.
   */
  static void cancel(TaskNode n, @Nullable CompletableFuture<ProviderResponse> f, @Nullable CallCancellation signal) {
    if (signal != null) {
      try {
        signal.cancel();
      } catch (RuntimeException e) {
        log.warn("A provider's cancel action failed; the call is cancelled anyway (provider={}, project={}, run={}, "
            + "task={})", n.callSlot.name, n.run.project, n.run.id, n.id(), e);
      }
    }
    if (f != null) {
      f.cancel(true);
    }
  }

  /** Rolls back the end of a call whose record the store refused. */
  private static final class EndRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndRefused() {
      super("the end of the call was refused", null, false, false);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static ErrorKind classify(Throwable t) {
    if (t instanceof ProviderException pe) {
      return pe.kind();
    }
    if (t instanceof CancellationException) {
      return ErrorKind.CANCELLED;
    }
    if (t instanceof TimeoutException) {
      return ErrorKind.TIMEOUT;
    }
    return ErrorKind.UNKNOWN;
  }
}
