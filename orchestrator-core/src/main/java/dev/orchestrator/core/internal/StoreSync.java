package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one engine in step with the store it shares with other engines, on the engine's timer: renews the leases of
 * the runs it executes (and stops those it lost), claims runs that no live engine holds (new ones queued for any
 * engine, and those of engines that died), takes the commands for its runs, and applies the pauses and limits that
 * any process stored. Reads and writes happen on the timer thread; what they find is posted to the engine's loop.
 *
 * <p>Every step runs each {@code interval} (a second by default), so a command or a pause stored by any process
 * takes effect within about that long; leases are renewed every third of their length.
 */
public final class StoreSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreSync.class);
  /** How many runs one tick claims at most, so engines starting together share the waiting runs. */
  private static final int CLAIM_BATCH = 8;
  /** At most this many batches are claimed in one step. */
  private static final int CLAIM_ROUNDS = 8;

  private final Engine engine;
  private final Store store;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration interval;
  private final boolean claimRuns;
  private long lastRenewal;
  /** The pauses last applied; the engine is told only of changes. Confined to the timer thread. */
  private List<Pause> lastPauses = List.of();
  private volatile boolean closed;
  /** Held while a step runs, so that closing waits for it. */
  private final java.util.concurrent.locks.ReentrantLock stepping = new java.util.concurrent.locks.ReentrantLock();
  /** The longest closing waits for a step in progress. */
  private static final java.time.Duration STEP_WAIT = java.time.Duration.ofSeconds(10);
  private volatile Scheduler.@Nullable Cancellable timer;

  /**
   * @param claimRuns whether this engine executes runs it did not submit (queued ones, and those of dead engines)
   */
  public StoreSync(Engine engine, Store store, Scheduler scheduler, Clock clock, Duration interval,
      boolean claimRuns) {
    this.engine = engine;
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
    this.interval = interval;
    this.claimRuns = claimRuns;
    this.lastRenewal = clock.millis();
  }

  /**
   * Runs the first step now, on the calling thread (so runs left by a dead engine are adopted at once), then on the
   * timer.
   */
  public void start() {
    tick();
  }

  private void tick() {
    stepping.lock();
    try {
      if (!closed) {
        tickOnce();
      }
    } finally {
      stepping.unlock();
    }
  }

  private void tickOnce() {
    try {
      step();
    } catch (RuntimeException e) {
      if (!closed) { // a step cut short by the engine closing (and its store with it) failed for nothing
        log.warn("Store sync step failed; trying again in {} (engine={}): {}", interval, engine.owner(), e.toString());
      }
    } finally {
      if (!closed) {
        timer = scheduler.scheduleUpkeep(this::tick, interval);
      }
    }
  }

  private void step() {
    long now = clock.millis();
    if (now - lastRenewal >= engine.leaseTime().toMillis() / 3) {
      lastRenewal = now;
      List<RunLease> held = engine.heldLeases();
      if (!held.isEmpty()) {
        List<RunLease> lost = store.renewRuns(engine.owner(), held, engine.leaseTime());
        if (!lost.isEmpty()) {
          engine.leasesLost(lost);
        }
      }
    }
    // Pauses and limits before claims: a run queued after its project was paused must not start a task before
    // this engine knows of the pause.
    List<Pause> pauses = store.pauses();
    if (!pauses.equals(lastPauses)) {
      lastPauses = pauses;
      engine.applyPauses(pauses);
    }
    engine.refreshLimits(store.budgets());
    if (claimRuns) {
      claim();
    }
    engine.commands(store.takeCommands(engine.owner()));
    watch(engine.watched());
  }

  /** Completes the handles of watched runs that finished elsewhere: one read per project for all their statuses. */
  private void watch(List<RunHandle> watched) {
    if (watched.isEmpty()) {
      return;
    }
    Map<String, Map<String, RunHandle>> byProject = new HashMap<>();
    for (RunHandle h : watched) {
      byProject.computeIfAbsent(h.project(), p -> new LinkedHashMap<>()).put(h.id(), h);
    }
    for (Map.Entry<String, Map<String, RunHandle>> e : byProject.entrySet()) {
      String project = e.getKey();
      for (RunRecord r : store.runs(project, e.getValue().keySet())) {
        if (r.status() != RunStatus.RUNNING) {
          engine.finishedElsewhere(e.getValue().get(r.id()), new RunSnapshot(r, store.tasks(project, r.id())));
        }
      }
    }
  }

  /**
   * Claims runs no live engine holds, a batch at a time, and adopts them; while batches come back full (a queue of
   * short runs) it claims again, up to {@link #CLAIM_ROUNDS} batches a step, so that one engine keeps up with many
   * small runs without taking a whole queue that other engines could share.
   */
  private void claim() {
    for (int round = 0; round < CLAIM_ROUNDS && engine.accepting(); round++) {
      List<RunLease> claimed = store.claimRuns(engine.owner(), CLAIM_BATCH, engine.leaseTime());
      if (!claimed.isEmpty()) {
        engine.adopt(claimed);
      }
      if (claimed.size() < CLAIM_BATCH) {
        return;
      }
    }
  }

  /**
   * Stops the timer and waits for a step in progress to end, so that the store is never touched once this returns
   * (the application may close the store next). Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable t = timer;
    if (t != null) {
      t.cancel();
    }
    try {
      if (stepping.tryLock(STEP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        stepping.unlock();
      } else {
        log.warn("Store sync still in a step after {}; closing without it (engine={})", STEP_WAIT, engine.owner());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
