package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the engine's collaborators share: time, timers, the store, this engine's name in it, the drain loop, the runs
 * it knows, event emission and the one path by which task and run states are written.
 *
 * <p>Thread-safe: its fields are final; {@link #now()} may be called from any thread.
 */
final class EngineContext {
  /** The engine's drain loop as its collaborators see it. */
  interface Loop {
    /** Queues a message for the loop; false when the engine is closed and the message was dropped. */
    boolean post(Runnable message);

    /** Runs {@code action} in the loop and returns its result; from inside the loop it runs at once. */
    <T> T call(Supplier<T> action);

    /** Throws when the engine is closed. */
    void checkOpen();
  }

  final Clock clock;
  final Scheduler scheduler;
  final Store store;
  /** This engine instance's name in the store's leases. */
  final String owner;
  /** How long a run lease lasts without renewal. */
  final Duration leaseTime;
  final Loop loop;
  final Events events;
  final Transitions transitions;
  final Runs runs;
  /** Any thread may read and replace it: an Instant is immutable, so a racy read sees a whole one. */
  private volatile @Nullable Instant lastNow;

  EngineContext(Clock clock, Scheduler scheduler, Store store, String owner, Duration leaseTime, Loop loop,
      Events events, Transitions transitions, Runs runs) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.store = store;
    this.owner = owner;
    this.leaseTime = leaseTime;
    this.loop = loop;
    this.events = events;
    this.transitions = transitions;
    this.runs = runs;
  }

  /** The clock's time in milliseconds; one Instant per millisecond, since every record and event holds one. */
  Instant now() {
    long millis = clock.millis();
    Instant last = lastNow;
    if (last == null || last.toEpochMilli() != millis) {
      last = Instant.ofEpochMilli(millis);
      lastNow = last;
    }
    return last;
  }

  boolean post(Runnable message) {
    return loop.post(message);
  }

  <T> T call(Supplier<T> action) {
    return loop.call(action);
  }

  /** Runs {@code action} in the loop after {@code delay}. */
  Scheduler.Cancellable later(Duration delay, Runnable action) {
    return scheduler.schedule(() -> post(action), delay);
  }

  void emit(@Nullable RunState run, Event event) {
    events.emit(run, event);
  }

  /** Records a task's new state (see {@link Transitions}). */
  void update(TaskNode n, TaskRecord r) {
    transitions.write(n, r);
  }

  /** Records a run's new state (see {@link Transitions}). */
  void updateRun(RunState run) {
    transitions.write(run);
  }
}
