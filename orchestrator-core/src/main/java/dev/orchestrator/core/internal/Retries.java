package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a failed attempt: the retry policy (the task's, else its provider's, else the engine's) decides
 * between a retry after a backoff, failing over to the next candidate after repeated failures on one provider, and
 * failing the task. Confined to the drain loop.
 */
final class Retries {
  private static final Logger log = LoggerFactory.getLogger(Retries.class);

  private final EngineContext ctx;
  private final Lifecycle lifecycle;
  private final RetryPolicy defaultPolicy;
  private final Random jitter = new Random();

  Retries(EngineContext ctx, Lifecycle lifecycle, RetryPolicy defaultPolicy) {
    this.ctx = ctx;
    this.lifecycle = lifecycle;
    this.defaultPolicy = defaultPolicy;
  }

  RetryPolicy policy(TaskNode n) {
    if (n.spec.retry() != null) {
      return n.spec.retry();
    }
    return n.slot.retry != null ? n.slot.retry : defaultPolicy;
  }

  /** The policy of a consultation of {@code slot} for {@code n}: the task's, else that provider's, else the engine's. */
  RetryPolicy policy(TaskNode n, Slot slot) {
    if (n.spec.retry() != null) {
      return n.spec.retry();
    }
    return slot.retry != null ? slot.retry : defaultPolicy;
  }

  /** How long one attempt may take, or null for no limit. */
  @Nullable Duration timeout(TaskNode n) {
    return n.spec.timeout() != null ? n.spec.timeout() : policy(n).attemptTimeout();
  }

  /**
   * Whether a failure is followed by another attempt. A provider's word ({@code retryable}, from its
   * {@code ProviderException}) decides over its kind's default: false is never retried, true is retried even when
   * the kind is not transient by default. A policy that leaves out a kind that is transient by default still keeps
   * it from being retried. Without a word from the provider the policy's kinds decide.
   */
  static boolean retries(RetryPolicy p, ErrorKind kind, @Nullable Boolean retryable, int attempt) {
    if (retryable == null) {
      return p.retries(kind, attempt);
    }
    if (!retryable || attempt >= p.maxAttempts()) {
      return false;
    }
    return p.retryOn().contains(kind) || !kind.retryable();
  }

  /**
   * Retries the task after its backoff (failing over after repeated failures on one provider), or fails it.
   *
   * @param retryable whether the provider said a retry may help, or null when the kind decides
   */
  void afterFailure(TaskNode n, ErrorKind kind, String message, @Nullable Duration retryAfter,
      @Nullable Boolean retryable) {
    lifecycle.callFailed(n);
    RetryPolicy p = policy(n);
    int attempt = n.record.attempts().size();
    if (!retries(p, kind, retryable, attempt)) {
      lifecycle.fail(n, kind, message);
      return;
    }
    int failures = ++n.extras().failuresOnSlot;
    if (failures >= p.failoverAfter() || !n.slot.available()) {
      Slot next = Providers.nextCandidate(n);
      if (next != null) {
        n.slot = next;
        n.resetFailuresOnSlot();
      }
    }
    Duration delay = p.backoff(attempt);
    if (p.jitter() > 0) {
      long nanos = delay.toNanos();
      delay = Duration.ofNanos(Math.max(0, nanos + (long) ((jitter.nextDouble() * 2 - 1) * p.jitter() * nanos)));
    }
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    Instant now = ctx.now();
    ctx.update(n, n.record.moveTo(TaskState.RETRY_WAIT, now).withError(kind, message));
    log.info("Retry scheduled (project={}, run={}, task={}, attempt={}, provider={}, delay={}, kind={})",
        n.run.project, n.run.id, n.id(), attempt + 1, n.slot.name, delay, kind);
    ctx.emit(n.run, new TaskRetryScheduledEvent(n.run.project, n.run.id, n.id(), now, TaskState.RUNNING, delay,
        attempt + 1, kind));
    n.timer = ctx.later(delay, () -> retryDue(n));
    if (kind != ErrorKind.RATE_LIMITED) { // a rate limit's wait is the vendor's to end, not the circuit's
      if (n.slot.retrying.size() >= 4096) { // tasks cancelled while they waited leave without their timer firing
        n.slot.retrying.removeIf(t -> t.state() != TaskState.RETRY_WAIT);
      }
      n.slot.retrying.add(n);
    }
  }

  private void retryDue(TaskNode n) {
    n.slot.retrying.remove(n);
    if (n.state() == TaskState.RETRY_WAIT) {
      n.timer = null;
      lifecycle.enqueue(n);
    }
  }

  /**
   * Ends the backoff of up to {@code max} tasks waiting to call {@code slot} again, oldest failure first: the
   * provider's circuit half-opened (one task, to be the probe call) or closed (all of them), so the outage their
   * backoff waited out is over. Tasks no longer waiting (cancelled, moved on) are dropped.
   */
  void retryNow(Slot slot, int max) {
    int released = 0;
    for (java.util.Iterator<TaskNode> it = slot.retrying.iterator(); it.hasNext() && released < max; ) {
      TaskNode n = it.next();
      it.remove();
      if (n.state() == TaskState.RETRY_WAIT && n.slot == slot && n.timer != null) {
        n.timer.cancel();
        n.timer = null;
        lifecycle.enqueue(n);
        released++;
      }
    }
  }

  /** A failed review call: the review is tried again after the backoff while the policy allows, else the task fails. */
  void reviewFailed(TaskNode n, ErrorKind kind, String message, @Nullable Boolean retryable) {
    RetryPolicy p = policy(n);
    if (retries(p, kind, retryable, n.record.attempts().size())) {
      Duration delay = p.backoff(n.record.attempts().size());
      n.timer = ctx.later(delay, () -> {
        n.timer = null;
        if (n.reviewing && n.state() == TaskState.AWAITING_REVIEW) {
          n.reviewSlot.enqueue(n, ctx.clock.millis());
        }
      });
    } else {
      n.reviewing = false;
      lifecycle.fail(n, kind, "review failed: " + message);
    }
  }
}
