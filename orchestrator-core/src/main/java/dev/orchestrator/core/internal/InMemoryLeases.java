package dev.orchestrator.core.internal;

import dev.orchestrator.spi.store.RunLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The run leases of the in-memory store: which engine instance holds each unfinished run, until when, under which
 * fencing token. Each run's state is guarded by its own monitor, so a fenced write ({@link #fenced}) and a claim of
 * the same run never interleave; the map of runs is guarded by this object's monitor.
 */
public final class InMemoryLeases {
  /** One run's lease. Guarded by its own monitor. */
  public static final class State {
    final String project;
    final String runId;
    @Nullable String owner;
    long fence;
    @Nullable Instant until;

    State(String project, String runId) {
      this.project = project;
      this.runId = runId;
    }
  }

  private final Clock clock;
  /** Unfinished runs, oldest first. Guarded by this. */
  private final Map<String, State> live = new LinkedHashMap<>();
  /** Every run's state, live or not: fences never go back. Guarded by this. */
  private final Map<String, State> all = new java.util.HashMap<>();

  public InMemoryLeases(Clock clock) {
    this.clock = clock;
  }

  private static String key(String project, String runId) {
    return InMemoryLedger.runKey(project, runId);
  }

  /** A new unfinished run, held by nobody. */
  public synchronized void created(String project, String runId) {
    State s = new State(project, runId);
    String k = key(project, runId);
    all.put(k, s);
    live.put(k, s);
  }

  /** Gives a new run, held by nobody yet, to {@code owner}. */
  public RunLease hold(String project, String runId, String owner, Duration lease) {
    State s;
    synchronized (this) {
      s = Objects.requireNonNull(all.get(key(project, runId)), "run");
    }
    synchronized (s) {
      if (s.owner != null) {
        throw new IllegalStateException("run " + project + "/" + runId + " is held by " + s.owner + " already");
      }
      s.owner = owner;
      s.fence++;
      s.until = clock.instant().plus(lease);
      return lease(s);
    }
  }

  /** A run's status changed: a finished run is never claimed; a reopened one may be again. */
  public synchronized void statusChanged(String project, String runId, boolean running) {
    String k = key(project, runId);
    State s = all.get(k);
    if (s == null) {
      s = new State(project, runId);
      all.put(k, s);
    }
    if (running) {
      live.putIfAbsent(k, s);
    } else {
      live.remove(k);
      synchronized (s) {
        s.owner = null;
        s.until = null;
      }
    }
  }

  /**
   * Claims runs nobody holds, oldest first.
   *
   * @param released told each claimed run's new fence, to release reservations of older leases
   */
  public synchronized List<RunLease> claim(String owner, int max, Duration lease,
      java.util.function.BiConsumer<String, Long> released) {
    Instant now = clock.instant();
    List<RunLease> out = new ArrayList<>();
    for (Map.Entry<String, State> e : live.entrySet()) {
      if (out.size() >= max) {
        break;
      }
      State s = e.getValue();
      synchronized (s) {
        if (s.owner != null && s.until != null && s.until.isAfter(now)) {
          continue;
        }
        s.owner = owner;
        s.fence++;
        s.until = now.plus(lease);
        released.accept(e.getKey(), s.fence);
        out.add(lease(s));
      }
    }
    return out;
  }

  /** Claims one run if no live lease holds it. */
  public Optional<RunLease> acquire(String project, String runId, String owner, Duration lease,
      java.util.function.BiConsumer<String, Long> released) {
    State s;
    synchronized (this) {
      s = all.get(key(project, runId));
    }
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    synchronized (s) {
      if (s.owner != null && s.until != null && s.until.isAfter(now)) {
        return Optional.empty();
      }
      s.owner = owner;
      s.fence++;
      s.until = now.plus(lease);
      released.accept(key(project, runId), s.fence);
      return Optional.of(lease(s));
    }
  }

  /** Renews the held leases; returns those lost. */
  public List<RunLease> renew(String owner, Collection<RunLease> held, Duration lease) {
    Instant until = clock.instant().plus(lease);
    List<RunLease> lost = new ArrayList<>();
    for (RunLease l : held) {
      State s = state(l);
      if (s == null) {
        lost.add(l);
        continue;
      }
      synchronized (s) {
        if (holds(s, l) && owner.equals(l.owner())) {
          s.until = until;
        } else {
          lost.add(l);
        }
      }
    }
    return lost;
  }

  /** Gives a run up, if the lease still holds it. */
  public void release(RunLease l) {
    State s = state(l);
    if (s != null) {
      synchronized (s) {
        if (holds(s, l)) {
          s.owner = null;
          s.until = null;
        }
      }
    }
  }

  /** Runs {@code write} if the lease still holds its run, atomically with respect to claims; returns whether. */
  public boolean fenced(RunLease l, Runnable write) {
    State s = state(l);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      if (!holds(s, l)) {
        return false;
      }
      write.run();
      return true;
    }
  }

  /** The live lease of a run, if any. */
  public Optional<RunLease> lease(String project, String runId) {
    State s;
    synchronized (this) {
      s = all.get(key(project, runId));
    }
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return s.owner == null || s.until == null || !s.until.isAfter(clock.instant()) ? Optional.empty()
          : Optional.of(lease(s));
    }
  }

  /** Whether {@code owner} holds a live lease on the run. */
  public boolean heldBy(String owner, String project, String runId) {
    return lease(project, runId).map(l -> l.owner().equals(owner)).orElse(false);
  }

  private synchronized @Nullable State state(RunLease l) {
    return all.get(key(l.project(), l.runId()));
  }

  /**
   * A run's lease state, or null when the run was never leased. Once there, it is the same object for the run's whole
   * life, so a store may keep it beside the run and fence its writes with {@link #holds} under its monitor.
   */
  public synchronized @Nullable State state(String project, String runId) {
    return all.get(key(project, runId));
  }

  /**
   * Whether {@code l} is the current lease of {@code s}: same owner and fence (an expired one still writes until
   * claimed). A fenced write holds {@code s}'s monitor around this check and the write.
   */
  public static boolean holds(State s, RunLease l) {
    return s.fence == l.fence() && Objects.equals(s.owner, l.owner());
  }

  private static RunLease lease(State s) {
    return new RunLease(s.project, s.runId, Objects.requireNonNull(s.owner), s.fence, Objects.requireNonNull(s.until));
  }
}
