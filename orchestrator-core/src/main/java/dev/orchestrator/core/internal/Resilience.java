package dev.orchestrator.core.internal;

import dev.failsafe.CircuitBreaker;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.ProviderPausedEvent;
import dev.orchestrator.event.ProviderResumedEvent;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.store.Pause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protects the providers and learns from their failures: a circuit breaker per provider, its sliding-minute
 * rate limits, provider pauses, and the log of attempt outcomes behind the failure report.
 *
 * <p>The dispatcher and the call pipeline see the breaker and the rate limits only through {@link #mayStart},
 * {@link #isProbe}, {@link #started}, {@link #called}, {@link #ended} and {@link #abandoned}; the state behind them
 * is each slot's {@link Circuit}, which only this class touches. Confined to the drain loop.
 */
final class Resilience {
  private static final Logger log = LoggerFactory.getLogger(Resilience.class);
  private static final int ATTEMPT_LOG_SIZE = 100_000;

  /**
   * One provider's breaker and rate window. The state machine (closed, open, half-open) and its transition listeners
   * are Failsafe's; its timing is the engine's: Failsafe's breaker reads the system clock, so the engine counts
   * failures in its window and opens it, and schedules the half-open probe, with the injected clock and scheduler.
   */
  static final class Circuit {
    CircuitBreaker<Object> breaker;
    /** Failure times within the breaker's window, oldest first. */
    final ArrayDeque<Instant> failures = new ArrayDeque<>();
    @Nullable Instant openedAt;
    Scheduler.@Nullable Cancellable probeTimer;
    boolean probeInFlight;
    /** Start times (epoch millis) and estimated tokens of calls in the last minute, oldest first. */
    final ArrayDeque<long[]> recentStarts = new ArrayDeque<>();
    long recentTokens;
    Scheduler.@Nullable Cancellable wakeTimer;

    boolean isOpen() {
      return breaker.isOpen();
    }
  }

  /** One ended attempt, for failure analysis. */
  private record AttemptOutcome(String provider, String taskType, @Nullable ErrorKind kind, Instant at) {}

  private final EngineContext ctx;
  private final Providers providers;
  private final Lifecycle lifecycle;
  /** The outcome of every ended attempt, newest last, at most {@link #ATTEMPT_LOG_SIZE}. */
  private final ArrayDeque<AttemptOutcome> attemptLog = new ArrayDeque<>();

  Resilience(EngineContext ctx, Providers providers, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.providers = providers;
    this.lifecycle = lifecycle;
    for (Slot slot : providers.all()) {
      Circuit c = new Circuit();
      c.breaker = breaker(slot);
      slot.circuit = c;
    }
  }

  private CircuitBreaker<Object> breaker(Slot slot) {
    // Failsafe holds the state machine and calls these listeners on each transition. The failure threshold is never
    // consulted in the closed state (the engine counts failures in its own window, on the injected clock, and opens
    // the breaker), and the delay never elapses (the engine half-opens it through the injected scheduler).
    return CircuitBreaker.builder()
        .withFailureThreshold(1)
        .withSuccessThreshold(slot.breakerPolicy.probes())
        .withDelay(Duration.ofDays(365L * 100))
        .onOpen(e -> onOpened(slot))
        .onHalfOpen(e -> ctx.emit(null, new CircuitHalfOpenedEvent(slot.name, ctx.now())))
        .onClose(e -> onClosed(slot))
        .build();
  }

  // ---------------------------------------------------------------- the gate

  /**
   * Whether the provider may start another call now: its circuit is closed, or half-open with no probe out, and its
   * rate limits allow it. When a rate limit says no, the loop is woken when it will say yes.
   */
  boolean mayStart(Slot slot, long now) {
    CircuitBreaker.State state = slot.circuit.breaker.getState();
    if (state == CircuitBreaker.State.OPEN || (state == CircuitBreaker.State.HALF_OPEN
        && slot.circuit.probeInFlight)) {
      return false;
    }
    return rateAllows(slot, now);
  }

  /** Whether the next call the provider starts is its half-open probe. */
  boolean isProbe(Slot slot) {
    return slot.circuit.breaker.getState() == CircuitBreaker.State.HALF_OPEN;
  }

  /** A call of {@code n} is about to start on {@code slot}; {@code probe} as {@link #isProbe} said. */
  void started(TaskNode n, Slot slot, boolean probe) {
    n.probe = probe;
    slot.circuit.probeInFlight |= probe;
  }

  /** A call went out on {@code slot}: it counts in the provider's rate window. */
  void called(Slot slot, ProviderRequest request, long nowMillis) {
    RateLimit rate = slot.rate;
    if (rate.requestsPerMinute() > 0 || rate.tokensPerMinute() > 0) {
      long tokens = rate.tokensPerMinute() > 0 ? estimatedTokens(slot, request) : 0;
      slot.circuit.recentStarts.addLast(new long[] {nowMillis, tokens});
      slot.circuit.recentTokens += tokens;
    }
  }

  /** A call that will not end normally (cancelled, or its run went elsewhere): it no longer holds the probe. */
  void abandoned(TaskNode n) {
    if (n.probe) {
      n.probe = false;
      n.callSlot.circuit.probeInFlight = false;
    }
  }

  /** Feeds an ended attempt ({@code kind} null when it succeeded) to failure analysis and to the breaker. */
  void ended(TaskNode n, @Nullable ErrorKind kind) {
    Slot s = n.callSlot;
    Circuit c = s.circuit;
    Instant now = ctx.now();
    if (attemptLog.size() == ATTEMPT_LOG_SIZE) {
      attemptLog.pollFirst();
    }
    attemptLog.addLast(new AttemptOutcome(s.name, n.spec.taskType(), kind, now));
    boolean counts = kind != null && (kind.retryable() || kind == ErrorKind.AUTH);
    if (n.probe) {
      n.probe = false;
      c.probeInFlight = false;
      if (kind == null) {
        c.breaker.recordSuccess();
      } else if (counts) {
        c.breaker.open();
      }
      return;
    }
    if (counts && s.breakerPolicy.enabled() && c.breaker.isClosed()) {
      c.failures.addLast(now);
      Instant horizon = now.minus(s.breakerPolicy.window());
      while (!c.failures.isEmpty() && !c.failures.peekFirst().isAfter(horizon)) {
        c.failures.pollFirst();
      }
      if (c.failures.size() >= s.breakerPolicy.failureThreshold()) {
        c.breaker.open();
      }
    }
  }

  /** When the provider's open circuit half-opens. */
  Instant openUntil(Slot slot) {
    return slot.circuit.openedAt.plus(slot.breakerPolicy.openFor());
  }

  /** Whether the provider's sliding-minute limits allow another call; if not, wakes the loop when they will. */
  private boolean rateAllows(Slot slot, long now) {
    RateLimit rate = slot.rate;
    if (rate.requestsPerMinute() == 0 && rate.tokensPerMinute() == 0) {
      return true;
    }
    Circuit c = slot.circuit;
    long[] oldest;
    while ((oldest = c.recentStarts.peekFirst()) != null && oldest[0] <= now - 60_000) {
      c.recentStarts.pollFirst();
      c.recentTokens -= oldest[1];
    }
    boolean allowed = (rate.requestsPerMinute() == 0 || c.recentStarts.size() < rate.requestsPerMinute())
        && (rate.tokensPerMinute() == 0 || c.recentTokens < rate.tokensPerMinute());
    if (!allowed && c.wakeTimer == null && oldest != null) {
      c.wakeTimer = ctx.later(Duration.ofMillis(oldest[0] + 60_000 - now), () -> c.wakeTimer = null);
    }
    return allowed;
  }

  private static long estimatedTokens(Slot slot, ProviderRequest request) {
    try {
      return slot.provider.estimate(request).expectedUsage().totalTokens();
    } catch (RuntimeException e) {
      log.warn("Estimate failed; counting the call as 0 tokens (provider={})", slot.name, e);
      return 0;
    }
  }

  private void onOpened(Slot slot) {
    Circuit c = slot.circuit;
    Instant now = ctx.now();
    int failures = c.failures.size();
    c.failures.clear();
    c.openedAt = now;
    Duration openFor = slot.breakerPolicy.openFor();
    log.warn("Circuit opened (provider={}, failures={}, openFor={})", slot.name, failures, openFor);
    ctx.emit(null, new CircuitOpenedEvent(slot.name, now, failures, openFor));
    if (c.probeTimer != null) {
      c.probeTimer.cancel();
    }
    c.probeTimer = ctx.later(openFor, () -> {
      c.probeTimer = null;
      if (c.breaker.isOpen()) {
        c.breaker.halfOpen();
      }
    });
    // No call goes to an open provider: queued tasks with another available candidate move there.
    long millis = now.toEpochMilli();
    for (TaskNode n : slot.removeAll()) {
      Slot alternative = Providers.firstAvailable(n, slot);
      if (alternative != null) {
        n.slot = alternative;
        n.failuresOnSlot = 0;
      }
      n.slot.enqueue(n, millis);
    }
  }

  private void onClosed(Slot slot) {
    slot.circuit.openedAt = null;
    slot.circuit.failures.clear();
    log.info("Circuit closed (provider={})", slot.name);
    ctx.emit(null, new CircuitClosedEvent(slot.name, ctx.now()));
  }

  /** A provider's circuit breaker now. */
  CircuitState circuit(String name) {
    Slot slot = providers.slot(name);
    return ctx.call(() -> {
      Circuit c = slot.circuit;
      CircuitState.State state = switch (c.breaker.getState()) {
        case CLOSED -> CircuitState.State.CLOSED;
        case OPEN -> CircuitState.State.OPEN;
        case HALF_OPEN -> CircuitState.State.HALF_OPEN;
      };
      Instant probeAt = state == CircuitState.State.OPEN && c.openedAt != null
          ? c.openedAt.plus(slot.breakerPolicy.openFor()) : null;
      return new CircuitState(slot.name, state, c.failures.size(), c.openedAt, probeAt, slot.paused,
          slot.pauseReason);
    });
  }

  // ---------------------------------------------------------------- provider pauses

  /** Pauses a provider in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish. */
  void pauseProvider(String name, String reason) {
    Slot slot = providers.slot(name);
    Checks.text("reason", reason);
    ctx.store.savePause(new Pause(Pause.Kind.PROVIDER, slot.name, reason, ctx.now()));
    ctx.call(() -> {
      if (!slot.paused) {
        pauseNow(slot, reason);
        ctx.emit(null, new ProviderPausedEvent(slot.name, ctx.now(), reason));
      }
      return null;
    });
  }

  void pauseNow(Slot slot, String reason) {
    slot.paused = true;
    slot.pauseReason = reason;
    for (TaskNode n : slot.removeAll()) {
      lifecycle.pause(n, "provider " + slot.name + " is paused: " + reason, slot.pausedNodes);
    }
  }

  /** Resumes a paused provider in every engine: its paused tasks are queued again, in the order they were paused. */
  void resumeProvider(String name) {
    Slot slot = providers.slot(name);
    ctx.store.deletePause(Pause.Kind.PROVIDER, slot.name);
    ctx.call(() -> {
      if (slot.paused) {
        resumeNow(slot);
        ctx.emit(null, new ProviderResumedEvent(slot.name, ctx.now()));
      }
      return null;
    });
  }

  void resumeNow(Slot slot) {
    slot.paused = false;
    slot.pauseReason = null;
    List<TaskNode> waiting = new ArrayList<>(slot.pausedNodes);
    slot.pausedNodes.clear();
    for (TaskNode n : waiting) {
      lifecycle.enqueue(n);
    }
  }

  // ---------------------------------------------------------------- failure analysis

  /** Failure patterns of the attempts that ended within {@code window} before now. */
  FailureReport failureReport(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive (was " + window + ")");
    }
    return ctx.call(() -> FailureAnalysis.report(attemptLogSince(window), ctx.now().minus(window), ctx.now()));
  }

  private List<FailureAnalysis.Outcome> attemptLogSince(Duration window) {
    Instant from = ctx.now().minus(window);
    List<FailureAnalysis.Outcome> out = new ArrayList<>();
    for (AttemptOutcome a : attemptLog) {
      if (a.at().isAfter(from)) {
        out.add(new FailureAnalysis.Outcome(a.provider(), a.taskType(), a.kind()));
      }
    }
    return out;
  }
}
