package dev.orchestrator.core.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.spi.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest events of an in-memory store in one sequence, oldest dropped first once {@code capacity} are kept.
 * Numbers keep growing when events are dropped (they are never reused), so a reader that was left behind starts
 * again at the oldest event kept. Thread-safe: every method holds this object's monitor, so an event gets its number
 * and its place in one step and a reader never sees a gap that a later append fills.
 */
public final class EventRing {
  private static final int INITIAL_SLOTS = 64;

  private final int capacity;
  /** Guarded by this. Grows by doubling up to capacity, so a store that keeps few events costs little. */
  private StoredEvent[] slots;
  /** Guarded by this: the slot of the oldest event kept. */
  private int head;
  /** Guarded by this: how many events are kept. */
  private int size;
  /** Guarded by this: the number of the newest event appended, 0 before the first. */
  private long last;

  /**
   * A ring that keeps the newest {@code capacity} events (none when 0; numbers are still given).
   *
   * @throws IllegalArgumentException when capacity is negative
   */
  public EventRing(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("event capacity must be >= 0 (was " + capacity + ")");
    }
    this.capacity = capacity;
    this.slots = new StoredEvent[Math.min(capacity, INITIAL_SLOTS)];
  }

  /** Gives {@code event} the next number and keeps it, dropping the oldest when full; returns the number. */
  public synchronized long append(Event event) {
    long sequence = ++last;
    if (capacity == 0) {
      return sequence;
    }
    StoredEvent stored = new StoredEvent(sequence, event);
    if (size == capacity) {
      slots[head] = stored;
      head = (head + 1) % slots.length;
      return sequence;
    }
    if (size == slots.length) {
      grow();
    }
    slots[(head + size) % slots.length] = stored;
    size++;
    return sequence;
  }

  /**
   * At most {@code max} events numbered after {@code sequence}, oldest first; from the oldest kept when {@code
   * sequence} was dropped already.
   */
  public synchronized List<StoredEvent> after(long sequence, int max) {
    long oldest = last - size + 1;
    long from = Math.max(sequence + 1, oldest);
    if (from > last) {
      return List.of();
    }
    int n = (int) Math.min(max, last - from + 1);
    int offset = (int) (from - oldest);
    List<StoredEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(slots[(head + offset + i) % slots.length]);
    }
    return out;
  }

  /** The number of the newest event appended, 0 before the first. */
  public synchronized long last() {
    return last;
  }

  private void grow() {
    StoredEvent[] bigger = new StoredEvent[(int) Math.min(capacity, Math.max(1L, slots.length * 2L))];
    for (int i = 0; i < size; i++) {
      bigger[i] = slots[(head + i) % slots.length];
    }
    slots = bigger;
    head = 0;
  }
}
