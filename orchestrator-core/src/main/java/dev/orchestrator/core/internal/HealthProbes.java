package dev.orchestrator.core.internal;

import dev.orchestrator.spi.provider.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free health probes ({@link dev.orchestrator.spi.provider.AiProvider#probe()}) of a provider that work waits for:
 * while its circuit is open, so a provider back from an outage is used again as soon as it answers rather than when
 * the opening ends; and while its circuit is closed but its last calls could not reach it, so the tasks waiting out a
 * retry's backoff go as soon as it answers. First after {@link #FIRST}, then twice as long each time, at most
 * {@link #MAX} apart. A provider whose probe said "up" while its test call failed is not probed again until its
 * circuit closes; one without a probe is left to the clock. Confined to the drain loop.
 */
final class HealthProbes {
  private static final Logger log = LoggerFactory.getLogger(HealthProbes.class);
  /** The first probe, this long after the failure that called for it. */
  static final Duration FIRST = Duration.ofSeconds(5);
  /** The longest wait between two probes. */
  static final Duration MAX = Duration.ofMinutes(1);

  private final EngineContext ctx;
  private final Retries retries;
  private final Resilience resilience;

  HealthProbes(EngineContext ctx, Retries retries, Resilience resilience) {
    this.ctx = ctx;
    this.retries = retries;
    this.resilience = resilience;
  }

  /** Probes the provider of {@code slot} after {@code wait}, if work still waits for it then. */
  void later(Slot slot, Duration wait) {
    Resilience.Circuit c = slot.circuit;
    stop(c);
    if (c.probeMisleads) {
      return;
    }
    c.healthWait = wait;
    c.healthTimer = ctx.later(wait, () -> {
      c.healthTimer = null;
      Instant now = ctx.now();
      if (c.open ? c.openUntil != null && !now.isBefore(c.openUntil) : !c.unreachable || slot.retrying.isEmpty()) {
        return; // its opening is over and the next call is the test anyway, or nothing waits for it any more
      }
      CompletableFuture<Health> asked;
      try {
        asked = slot.provider.probe();
      } catch (RuntimeException e) {
        asked = CompletableFuture.failedFuture(e);
      }
      asked.whenComplete((h, e) -> ctx.post(() -> answered(slot, h != null ? h
          : Health.down(null, "the probe failed: " + e))));
    });
  }

  /** Cancels the next probe, if one is set. */
  static void stop(Resilience.Circuit c) {
    if (c.healthTimer != null) {
      c.healthTimer.cancel();
      c.healthTimer = null;
    }
  }

  private void answered(Slot slot, Health health) {
    Resilience.Circuit c = slot.circuit;
    if (!c.open && !c.unreachable) {
      return;
    }
    switch (health.status()) {
      case UP -> {
        if (c.open) {
          resilience.answeredWhileOpen(slot, health, ctx.now());
        } else { // closed: calls could not reach it, and their tasks wait out a retry's backoff
          log.info("Provider answers again; its tasks waiting to retry go now (provider={}, latency={})", slot.name,
              health.latency());
          c.unreachable = false;
          retries.retryNow(slot, Integer.MAX_VALUE);
        }
      }
      case DOWN -> {
        log.debug("Provider still down at its health probe (provider={}, detail={})", slot.name, health.detail());
        Duration next = c.healthWait.multipliedBy(2);
        later(slot, next.compareTo(MAX) > 0 ? MAX : next);
      }
      case UNKNOWN -> c.unreachable = false; // no probe: an opening ends on the clock, a backoff on its timer
    }
  }
}
