package dev.orchestrator.dashboard.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The newest events of the store's stream, already turned into JSON, so that a browser that falls behind or
 * reconnects is served without reading the store again. It holds every event the feed delivered with a sequence in
 * {@code (floor, latest]}; older ones were dropped and must be read from the store.
 *
 * <p>Thread-safe: every method holds the ring's monitor.
 */
final class EventRing {
  /** One event of the stream as the pages receive it. */
  record Message(long sequence, String project, String json) {}

  private final int capacity;
  /** Guarded by this; in sequence order. */
  private final ArrayDeque<Message> messages;
  /** Guarded by this: the sequence below which the ring holds nothing (the last dropped, or the start). */
  private long floor;
  /** Guarded by this: the sequence of the newest event added, or the start. */
  private long latest;

  /**
   * @param start the stream's position when following began: the ring covers what comes after it
   */
  EventRing(int capacity, long start) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1 (was " + capacity + ")");
    }
    this.capacity = capacity;
    this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
    this.floor = start;
    this.latest = start;
  }

  /**
   * Adds the next event of the stream.
   *
   * @throws IllegalArgumentException when its sequence is not after the latest (the feed never goes back)
   */
  synchronized void add(Message m) {
    if (m.sequence() <= latest) {
      throw new IllegalArgumentException("sequence " + m.sequence() + " is not after " + latest);
    }
    messages.addLast(m);
    latest = m.sequence();
    if (messages.size() > capacity) {
      floor = messages.removeFirst().sequence();
    }
  }

  synchronized long latest() {
    return latest;
  }

  synchronized long floor() {
    return floor;
  }

  /**
   * The events after {@code cursor}, oldest first, or null when some of them are no longer held ({@code cursor} is
   * below the floor) and must be read from the store.
   */
  synchronized @Nullable List<Message> after(long cursor) {
    if (cursor < floor) {
      return null;
    }
    List<Message> out = new ArrayList<>();
    Iterator<Message> newestFirst = messages.descendingIterator();
    while (newestFirst.hasNext()) {
      Message m = newestFirst.next();
      if (m.sequence() <= cursor) {
        break;
      }
      out.add(m);
    }
    java.util.Collections.reverse(out);
    return out;
  }
}
