package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Scheduler;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.ProviderPausedEvent;
import dev.orchestrator.event.ProviderResumedEvent;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protects the providers and learns from their failures: each provider's circuit breaker and sliding-minute
 * rate limits, kept in the store's {@link ProviderHealth} so that every process sharing the store honours them,
 * provider pauses, and the log of attempt outcomes behind the failure report.
 *
 * <p>The store is the truth: before every call {@link #admit} asks the provider's {@link ProviderGate} (the circuit
 * must not be open, its half-open probe must be free, the rate window must have room), and {@link #ended} reports how
 * the call ended. What this engine last learned of each provider ({@link Circuit}) only decides when to ask again:
 * a provider that refused is not asked before the time it named (for a probe held elsewhere, a few seconds), and new
 * work is routed away from a circuit it found open. Exactly one process emits each move of a circuit. Confined to
 * the drain loop.
 */
final class Resilience {
  private static final Logger log = LoggerFactory.getLogger(Resilience.class);
  /** How long a probe claim holds when its call has no timeout, or at least. */
  static final Duration PROBE_HOLD = Duration.ofMinutes(15);
  /** How often a provider whose probe another process holds is asked again. */
  static final Duration REMOTE_PROBE_RECHECK = Duration.ofSeconds(5);
  /** How often a provider whose circuit is open is asked again, to learn that somebody closed it by hand. */
  static final Duration OPEN_RECHECK = Duration.ofSeconds(30);

  /** What this engine last learned of one provider's circuit and rate window. */
  static final class Circuit {
    final ProviderGate gate;
    /** Whether the circuit was open when last asked: new work goes to other candidates. */
    boolean open;
    @Nullable Instant openUntil;
    /** No task is taken for the provider before this instant; null when it may be asked now. */
    @Nullable Instant blockedUntil;
    /** Whether this engine's probe call is out. */
    boolean probing;
    Scheduler.@Nullable Cancellable timer;
    /** The next health probe while open, or null; its wait, doubled after each probe that found it down. */
    Scheduler.@Nullable Cancellable healthTimer;
    Duration healthWait = HealthProbes.FIRST;
    /** Whether a health probe, not the clock, half-opened the circuit this engine last saw open. */
    boolean answeredProbe;
    /** A probe call failed after a health probe said the provider answers: its probe is not believed until closed. */
    boolean probeMisleads;
    /** The last call could not reach the provider: its tasks' retries wait for it to answer its health probe. */
    boolean unreachable;

    Circuit(ProviderGate gate) {
      this.gate = gate;
    }

    boolean isOpen() {
      return open;
    }
  }

  private final EngineContext ctx;
  private final Providers providers;
  private final Lifecycle lifecycle;
  private final Retries retries;
  private final AttemptOutcomes outcomes = new AttemptOutcomes();
  private final HealthProbes probes;

  Resilience(EngineContext ctx, Providers providers, Lifecycle lifecycle, Retries retries) {
    this.ctx = ctx;
    this.providers = providers;
    this.lifecycle = lifecycle;
    this.retries = retries;
    this.probes = new HealthProbes(ctx, retries, this);
    ProviderHealth health = health(ctx);
    for (Slot slot : providers.all()) {
      slot.circuit = new Circuit(new ProviderGate(health, slot.name, ctx.owner, slot.breakerPolicy, slot.rate,
          PROBE_HOLD));
    }
  }

  private static ProviderHealth health(EngineContext ctx) {
    try {
      return ctx.store.providerHealth();
    } catch (UnsupportedOperationException e) {
      log.warn("The store keeps no provider health: circuit breakers and rate limits hold in this process only "
          + "(store={})", ctx.store.getClass().getName());
      return new InMemoryProviderHealth();
    }
  }

  // ---------------------------------------------------------------- the gate

  /** Whether the dispatcher may take a task for {@code slot} now: the provider did not ask to be left alone. */
  boolean mayTake(Slot slot, Instant now) {
    Instant until = slot.circuit.blockedUntil;
    return until == null || !now.isBefore(until);
  }

  /**
   * Asks the store whether {@code call} may go to its provider now, recording its start in the rate window and
   * taking the half-open probe when it is the probe. When it may not, the task goes back to the head of its lane
   * and the provider is not asked again before the time the store named.
   */
  boolean admit(Call call) {
    TaskNode n = call.node;
    Slot slot = call.slot;
    Circuit c = slot.circuit;
    Instant now = ctx.now();
    long tokens = slot.rate.tokensPerMinute() > 0 ? estimatedTokens(slot, call.request) : 0;
    ProviderGate.Admission a = c.gate.mayStart(now, tokens, probeHold(n));
    moved(slot, a.transition(), now);
    switch (a.verdict()) {
      case START -> {
        n.callSlot = slot; // as the call will be; a probe given back before the call is given back here
        n.probe = a.probe();
        c.probing |= a.probe();
        c.open = false;
        return true;
      }
      case OPEN -> {
        if (!c.open) {
          opened(slot, a.until()); // another process opened it
        }
        block(slot, min(a.until(), now.plus(OPEN_RECHECK)), now);
        Slot alternative = call.review ? null : Providers.firstAvailable(n, slot);
        if (alternative != null) { // as the tasks queued behind it went
          n.slot = alternative;
          n.resetFailuresOnSlot();
          alternative.enqueue(n, now.toEpochMilli());
          return false;
        }
      }
      case PROBING -> block(slot, c.probing ? a.until() : min(a.until(), now.plus(REMOTE_PROBE_RECHECK)), now);
      case WAIT -> block(slot, a.until(), now);
    }
    slot.putBack(n);
    return false;
  }

  /** A call that will not be made or will not end normally (cancelled, refused, its run went elsewhere). */
  void abandoned(TaskNode n) {
    if (n.probe) {
      n.probe = false;
      Slot slot = n.callSlot;
      slot.circuit.probing = false;
      slot.circuit.gate.abandon(ctx.now());
      unblock(slot);
    }
  }

  /** Feeds an ended attempt ({@code kind} null when it succeeded) to failure analysis and to the breaker. */
  void ended(TaskNode n, @Nullable ErrorKind kind) {
    Slot slot = n.callSlot;
    Instant now = ctx.now();
    outcomes.add(slot.name, n.spec.taskType(), kind, now);
    boolean probe = n.probe;
    n.probe = false;
    if (probe) {
      slot.circuit.probing = false;
    }
    Attempt call = n.record.lastAttempt();
    ProviderGate.Transition t = slot.circuit.gate.ended(kind, probe, call == null ? null : call.startedAt(), now);
    if (probe && t.kind() == ProviderGate.Transition.Kind.OPENED && slot.circuit.answeredProbe) {
      slot.circuit.probeMisleads = true; // it answers its probe, yet calls fail: wait out the openings instead
      log.info("Provider answers its health probe but its calls fail; probing by calls only until it closes "
          + "(provider={})", slot.name);
    }
    moved(slot, t, now);
    if (probe && !slot.circuit.open) {
      unblock(slot);
    }
    if (kind == ErrorKind.NETWORK && !slot.circuit.open) {
      // Nothing reached the provider: while the circuit stays closed, its probe says when to try again.
      slot.circuit.unreachable = true;
      if (slot.circuit.healthTimer == null) {
        probes.later(slot, HealthProbes.FIRST);
      }
    } else if (kind == null) {
      slot.circuit.unreachable = false;
    }
  }

  /** When the provider's open circuit half-opens, as this engine last learned it. */
  @Nullable Instant openUntil(Slot slot) {
    return slot.circuit.openUntil;
  }

  /** Reports a move of the circuit this engine made in the store, and acts on it. */
  private void moved(Slot slot, ProviderGate.Transition t, Instant now) {
    switch (t.kind()) {
      case NONE -> { }
      case OPENED -> {
        Instant until = t.openUntil() != null ? t.openUntil() : now.plus(slot.breakerPolicy.openFor());
        Duration openFor = Duration.between(now, until);
        log.warn("Circuit opened (provider={}, failures={}, openFor={})", slot.name, t.failures(), openFor);
        ctx.emit(null, new CircuitOpenedEvent(slot.name, now, t.failures(), openFor));
        opened(slot, until);
        block(slot, min(until, now.plus(OPEN_RECHECK)), now);
      }
      case HALF_OPENED -> {
        slot.circuit.open = false;
        ctx.emit(null, new CircuitHalfOpenedEvent(slot.name, now));
        if (!slot.hasWork()) {
          retries.retryNow(slot, 1); // a task waiting out its backoff makes the probe call now
        }
      }
      case CLOSED -> {
        slot.circuit.open = false;
        slot.circuit.openUntil = null;
        slot.circuit.answeredProbe = false;
        slot.circuit.probeMisleads = false;
        HealthProbes.stop(slot.circuit);
        unblock(slot);
        retries.retryNow(slot, Integer.MAX_VALUE); // the provider is back: their backoff waited for nothing
        log.info("Circuit closed (provider={})", slot.name);
        ctx.emit(null, new CircuitClosedEvent(slot.name, now));
      }
    }
  }

  /** The circuit is open until {@code until}: no call goes there, and its queued tasks move to another candidate. */
  private void opened(Slot slot, @Nullable Instant until) {
    slot.circuit.open = true;
    slot.circuit.openUntil = until;
    slot.circuit.answeredProbe = false;
    probes.later(slot, HealthProbes.FIRST);
    long millis = ctx.now().toEpochMilli();
    for (TaskNode n : slot.removeAll()) {
      Slot alternative = Providers.firstAvailable(n, slot);
      if (alternative != null) {
        n.slot = alternative;
        n.resetFailuresOnSlot();
      }
      n.slot.enqueue(n, millis);
    }
  }

  /**
   * Takes no task for {@code slot} before {@code until}, then asks again; an open circuit is moved to half-open
   * first (by whichever process gets there first).
   */
  private void block(Slot slot, @Nullable Instant until, Instant now) {
    if (until == null || !until.isAfter(now)) {
      return;
    }
    slot.circuit.blockedUntil = until;
    wake(slot, until, now);
  }

  /**
   * At {@code at}: lifts the block, if it has run out, and moves an open circuit whose time has come to half-open;
   * while the circuit stays open, wakes again at its half-open time or at the next recheck, whichever comes first.
   */
  private void wake(Slot slot, Instant at, Instant now) {
    Circuit c = slot.circuit;
    if (c.timer != null) {
      c.timer.cancel();
    }
    c.timer = ctx.later(Duration.between(now, at), () -> {
      c.timer = null;
      Instant t = ctx.now();
      if (c.blockedUntil != null && t.isBefore(c.blockedUntil)) {
        return; // a later block replaced this one
      }
      c.blockedUntil = null;
      if (c.open) {
        moved(slot, c.gate.halfOpenIfDue(t), t);
        if (c.open && c.openUntil != null && t.isBefore(c.openUntil)) {
          wake(slot, min(c.openUntil, t.plus(OPEN_RECHECK)), t); // the next task to ask learns whether it closed
        }
      }
    });
  }

  /**
   * A health probe found the provider of an open circuit answering: the circuit half-opens (whoever moved it in the
   * store), and the next task asks the store and makes the test call.
   */
  void answeredWhileOpen(Slot slot, Health health, Instant now) {
    Circuit c = slot.circuit;
    ProviderGate.Transition t = c.gate.answered(now);
    log.info("Provider answers its health probe; letting one call through (provider={}, latency={}, moved={})",
        slot.name, health.latency(), t.kind() == ProviderGate.Transition.Kind.HALF_OPENED);
    c.answeredProbe = true;
    moved(slot, t, now);
    c.open = false;
    unblock(slot);
  }

  /** The provider may be asked again now. */
  private void unblock(Slot slot) {
    Circuit c = slot.circuit;
    c.blockedUntil = null;
    if (c.timer != null && !c.open) {
      c.timer.cancel();
      c.timer = null;
    }
  }

  private Duration probeHold(TaskNode n) {
    Duration timeout = retries.timeout(n);
    return timeout == null ? PROBE_HOLD : max(PROBE_HOLD, timeout.plusMinutes(1));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static @Nullable Instant min(@Nullable Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static long estimatedTokens(Slot slot, @Nullable ProviderRequest request) {
    if (request == null) {
      return 0;
    }
    try {
      return slot.provider.estimate(request).expectedUsage().totalTokens();
    } catch (RuntimeException e) {
      log.warn("Estimate failed; counting the call as 0 tokens (provider={})", slot.name, e);
      return 0;
    }
  }

  /** A provider's circuit breaker now, as the store holds it. */
  CircuitState circuit(String name) {
    Slot slot = providers.slot(name);
    return ctx.call(() -> slot.circuit.gate.circuit(ctx.now(), slot.paused ? slot.pauseReason : null));
  }

  // ---------------------------------------------------------------- provider pauses

  /** Pauses a provider in every engine sharing the store: its queued tasks wait in PAUSED, running calls finish. */
  void pauseProvider(String name, String reason) {
    Slot slot = providers.slot(name);
    Checks.text("reason", reason);
    ctx.store.savePause(Pause.provider(slot.name, reason, ctx.now()));
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

  /**
   * Resumes a provider in every engine, as a person who says it works again: a pause is lifted (its paused tasks are
   * queued again, in the order they were paused) and an open circuit is closed (engines that found it open learn it
   * within {@link #OPEN_RECHECK}).
   */
  void resumeProvider(String name) {
    Slot slot = providers.slot(name);
    ctx.store.deletePause(Pause.Kind.PROVIDER, slot.name);
    ctx.call(() -> {
      Instant now = ctx.now();
      moved(slot, slot.circuit.gate.close(now), now);
      if (slot.paused) {
        resumeNow(slot);
        ctx.emit(null, new ProviderResumedEvent(slot.name, now));
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
    return ctx.call(() -> outcomes.report(window, ctx.now()));
  }
}
