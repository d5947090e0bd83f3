package dev.orchestrator.core.internal;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState.State;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.store.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider health of the in-memory store. One lock guards every provider's circuit and rate window, so each call
 * is atomic and exactly one caller learns of each move of a circuit, whatever the number of threads.
 */
public final class InMemoryProviderHealth implements ProviderHealth {
  /** One provider's stored health. Guarded by {@link #lock}. */
  private static final class Entry {
    State state = State.CLOSED;
    /** Counted failures while closed; unordered when callers' clocks disagree. */
    final List<Instant> failures = new ArrayList<>();
    @Nullable Instant openedAt;
    @Nullable Instant openUntil;
    int probeSuccesses;
    @Nullable String probeOwner;
    @Nullable Instant probeUntil;
    /** Starts of the rate window, oldest first: recorded in time order (see {@link #tryStart}). */
    final ArrayDeque<Start> starts = new ArrayDeque<>();
  }

  private record Start(Instant at, long tokens) {}

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Map<String, Entry> providers = new HashMap<>();

  @Override
  public Circuit circuit(String provider, Instant now) {
    String name = ProviderHealth.checkProvider(provider);
    Objects.requireNonNull(now, "now");
    synchronized (lock) {
      Entry e = providers.get(name);
      return e == null ? Circuit.closed(name) : view(name, e, now);
    }
  }

  @Override
  public Change recordFailure(String provider, @Nullable Instant callStartedAt, Instant at,
      CircuitBreakerPolicy policy) {
    String name = ProviderHealth.checkProvider(provider);
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(policy, "policy");
    synchronized (lock) {
      Entry e = entry(name);
      if (e.state != State.CLOSED
          || !ProviderHealth.counts(callStartedAt, e.failures.stream().max(Instant::compareTo).orElse(null))) {
        return Change.none(view(name, e, at));
      }
      e.failures.add(at);
      Instant horizon = at.minus(policy.window());
      e.failures.removeIf(t -> !t.isAfter(horizon));
      int count = e.failures.size();
      if (count < policy.failureThreshold()) {
        return Change.none(view(name, e, at));
      }
      open(e, at, policy.openFor());
      return new Change(view(name, e, at), State.OPEN, count);
    }
  }

  @Override
  public Change halfOpen(String provider, Instant now) {
    return halfOpen(provider, now, false);
  }

  @Override
  public Change answered(String provider, Instant now) {
    return halfOpen(provider, now, true);
  }

  /** Moves an open circuit to half-open when its time has come, or at once ({@code early}, a probe answered). */
  private Change halfOpen(String provider, Instant now, boolean early) {
    String name = ProviderHealth.checkProvider(provider);
    Objects.requireNonNull(now, "now");
    synchronized (lock) {
      Entry e = providers.get(name);
      if (e == null) {
        return Change.none(Circuit.closed(name));
      }
      boolean moved = early ? halfOpenNow(e) : halfOpenIfDue(e, now);
      return new Change(view(name, e, now), moved ? State.HALF_OPEN : null, 0);
    }
  }

  @Override
  public Change close(String provider, Instant at) {
    String name = ProviderHealth.checkProvider(provider);
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      Entry e = providers.get(name);
      if (e == null) {
        return Change.none(Circuit.closed(name));
      }
      boolean moved = e.state != State.CLOSED;
      close(e);
      return new Change(view(name, e, at), moved ? State.CLOSED : null, 0);
    }
  }

  @Override
  public ProbeClaim claimProbe(String provider, String owner, Instant now, Duration hold) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkName("owner", owner);
    Objects.requireNonNull(now, "now");
    ProviderHealth.checkHold(hold);
    synchronized (lock) {
      Entry e = providers.get(name);
      if (e == null) {
        return new ProbeClaim(false, false, Circuit.closed(name));
      }
      boolean moved = halfOpenIfDue(e, now);
      boolean free = e.probeOwner == null || e.probeUntil == null || !e.probeUntil.isAfter(now);
      boolean granted = e.state == State.HALF_OPEN && free;
      if (granted) {
        e.probeOwner = owner;
        e.probeUntil = now.plus(hold);
      }
      return new ProbeClaim(granted, moved, view(name, e, now));
    }
  }

  @Override
  public Change probeEnded(String provider, String owner, ProbeResult result, Instant at,
      CircuitBreakerPolicy policy) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkName("owner", owner);
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(policy, "policy");
    synchronized (lock) {
      Entry e = providers.get(name);
      if (e == null) {
        return Change.none(Circuit.closed(name));
      }
      if (e.state != State.HALF_OPEN || !owner.equals(e.probeOwner)) {
        return Change.none(view(name, e, at));
      }
      e.probeOwner = null;
      e.probeUntil = null;
      State entered = null;
      switch (result) {
        case SUCCEEDED -> {
          e.probeSuccesses++;
          if (e.probeSuccesses >= policy.probes()) {
            close(e);
            entered = State.CLOSED;
          }
        }
        case FAILED -> {
          open(e, at, policy.reopenFor(e.openedAt == null || e.openUntil == null ? null
              : Duration.between(e.openedAt, e.openUntil)));
          entered = State.OPEN;
        }
        case ABANDONED -> { }
      }
      return new Change(view(name, e, at), entered, 0);
    }
  }

  @Override
  public RateDecision tryStart(String provider, Instant now, RateLimit limit, long tokens) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkStart(now, limit, tokens);
    if (limit.requestsPerMinute() == 0 && limit.tokensPerMinute() == 0) {
      return new RateDecision(true, now);
    }
    synchronized (lock) {
      Entry e = entry(name);
      Start newest = e.starts.peekLast();
      Instant at = newest != null && newest.at().isAfter(now) ? newest.at() : now;
      Instant horizon = at.minus(RATE_WINDOW);
      while (!e.starts.isEmpty() && !e.starts.peekFirst().at().isAfter(horizon)) {
        e.starts.pollFirst();
      }
      Instant next = nextAllowed(e.starts, limit);
      if (next != null) {
        return new RateDecision(false, next);
      }
      e.starts.addLast(new Start(at, tokens));
      return new RateDecision(true, at);
    }
  }

  /**
   * When the window (already pruned) would next allow a start if nothing else started, or null when it allows one
   * now: the moment enough of its oldest starts have aged out.
   */
  private static @Nullable Instant nextAllowed(ArrayDeque<Start> starts, RateLimit limit) {
    int n = starts.size();
    long tokens = 0;
    for (Start s : starts) {
      tokens += s.tokens();
    }
    boolean requestsFull = limit.requestsPerMinute() > 0 && n >= limit.requestsPerMinute();
    boolean tokensFull = limit.tokensPerMinute() > 0 && tokens >= limit.tokensPerMinute();
    if (!requestsFull && !tokensFull) {
      return null;
    }
    // Drop the oldest starts until both limits allow one more; the last one dropped says when.
    Instant last = null;
    int left = n;
    Iterator<Start> it = starts.iterator();
    while ((requestsFull && left >= limit.requestsPerMinute())
        || (tokensFull && tokens >= limit.tokensPerMinute())) {
      Start s = it.next();
      left--;
      tokens -= s.tokens();
      last = s.at();
    }
    return Objects.requireNonNull(last).plus(RATE_WINDOW);
  }

  private Entry entry(String name) {
    return providers.computeIfAbsent(name, k -> new Entry());
  }

  private static boolean halfOpenIfDue(Entry e, Instant now) {
    if (e.state != State.OPEN || e.openUntil == null || now.isBefore(e.openUntil)) {
      return false;
    }
    return halfOpenNow(e);
  }

  /** An open circuit half-opens now, keeping when it opened and until when, for the next opening's length. */
  private static boolean halfOpenNow(Entry e) {
    if (e.state != State.OPEN) {
      return false;
    }
    e.state = State.HALF_OPEN;
    e.probeSuccesses = 0;
    e.probeOwner = null;
    e.probeUntil = null;
    return true;
  }

  private static void open(Entry e, Instant at, Duration openFor) {
    e.state = State.OPEN;
    e.failures.clear();
    e.openedAt = at;
    e.openUntil = at.plus(openFor);
    e.probeSuccesses = 0;
    e.probeOwner = null;
    e.probeUntil = null;
  }

  private static void close(Entry e) {
    e.state = State.CLOSED;
    e.failures.clear();
    e.openedAt = null;
    e.openUntil = null;
    e.probeSuccesses = 0;
    e.probeOwner = null;
    e.probeUntil = null;
  }

  private static Circuit view(String name, Entry e, Instant now) {
    State state = e.state == State.OPEN && e.openUntil != null && !now.isBefore(e.openUntil) ? State.HALF_OPEN
        : e.state;
    List<Instant> failures = new ArrayList<>(e.failures);
    failures.sort(null);
    return Circuit.builder().provider(name).state(state).failures(failures).openedAt(e.openedAt)
        .openUntil(e.openUntil).probeSuccesses(e.probeSuccesses).probeOwner(e.probeOwner)
        .probeHeldUntil(e.probeUntil).build();
  }
}
