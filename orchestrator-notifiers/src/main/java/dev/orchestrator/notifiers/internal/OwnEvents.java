package dev.orchestrator.notifiers.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskEvent;
import dev.orchestrator.spi.store.StoredEvent;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events this process produced, by their place in the store's stream: what a process that is about to exit
 * waits for. The engine stores an event and then tells its listeners, which gives the event but not its sequence,
 * so an event is known by a fingerprint (type, project, run, task, time to the microsecond: what a store keeps) and
 * matched with the stream as the process reads it. Thread-safe: {@link #emitted} is called on the engine's threads,
 * the rest on the thread that reads the stream.
 */
public final class OwnEvents {
  /** How many recently read fingerprints are kept, for an event whose listener call came after it was read. */
  private static final int RECENT = 10_000;

  private final Set<String> unresolved = ConcurrentHashMap.newKeySet();
  private final Set<Long> sequences = ConcurrentHashMap.newKeySet();
  /** Guarded by {@code this}. */
  private final Map<String, Long> recent = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > RECENT;
    }
  };
  /** The highest sequence read; guarded by {@code this}. */
  private long scanned;

  /** Starts from the stream's current end: older events are not this process's. */
  public OwnEvents(long scannedFrom) {
    this.scanned = scannedFrom;
  }

  /** Notes an event this process produced. Cheap; never touches the store. */
  public void emitted(Event e) {
    if (mayNotify(e)) {
      unresolved.add(fingerprint(e));
    }
  }

  /** Whether an event can make a notification (a queued task only tells the task's priority). */
  static boolean mayNotify(Event e) {
    return EventMapper.interesting(e) && !(e instanceof dev.orchestrator.event.TaskReadyEvent);
  }

  /** Matches events read from the stream with those this process produced. */
  public synchronized void scanned(List<StoredEvent> events) {
    for (StoredEvent se : events) {
      if (se.sequence() <= scanned) {
        continue;
      }
      scanned = se.sequence();
      if (!mayNotify(se.event())) {
        continue;
      }
      String fp = fingerprint(se.event());
      recent.put(fp, se.sequence());
      if (unresolved.remove(fp)) {
        sequences.add(se.sequence());
      }
    }
    resolveRecent();
  }

  /** Matches events read again (older than what was read before), for events told late. */
  public synchronized void rescan(List<StoredEvent> events) {
    for (StoredEvent se : events) {
      if (unresolved.isEmpty()) {
        return;
      }
      if (mayNotify(se.event()) && unresolved.remove(fingerprint(se.event()))) {
        sequences.add(se.sequence());
      }
    }
  }

  /** Moves on without reading events (no own event waits to be found); {@link #emitted} may still find them. */
  public synchronized void skipTo(long sequence) {
    scanned = Math.max(scanned, sequence);
    resolveRecent();
  }

  private void resolveRecent() {
    if (unresolved.isEmpty()) {
      return;
    }
    for (String fp : new ArrayList<>(unresolved)) {
      Long seq = recent.get(fp);
      if (seq != null && unresolved.remove(fp)) {
        sequences.add(seq);
      }
    }
  }

  /** The highest sequence read. */
  public synchronized long scannedUpTo() {
    return scanned;
  }

  /** Whether some event this process produced has not been found in the stream yet. */
  public boolean hasUnresolved() {
    return !unresolved.isEmpty();
  }

  /** How many have not been found. */
  public int unresolvedCount() {
    return unresolved.size();
  }

  /** The sequences of this process's events found so far. */
  public Set<Long> sequences() {
    return Set.copyOf(sequences);
  }

  /** Forgets events whose deliveries are all done. */
  public void forget(Collection<Long> done) {
    sequences.removeAll(done);
  }

  static String fingerprint(Event e) {
    String task = e instanceof TaskEvent te ? te.taskId() : "";
    return e.getClass().getSimpleName() + '\u0000' + e.project() + '\u0000' + e.runId() + '\u0000' + task + '\u0000'
        + e.at().truncatedTo(ChronoUnit.MICROS);
  }
}
