package dev.orchestrator.spi.store;

import dev.orchestrator.event.Event;
import java.util.Objects;

/**
 * An event as the store keeps it: with its place in the store-wide sequence, which grows with every event appended
 * by any process. Readers remember the last sequence they saw and ask for what came after it.
 *
 * <p>A record: its shape is final (an event and its place in the sequence).
 *
 * @param sequence the event's place in the store-wide sequence (positive; later events have greater numbers)
 * @param event the event
 * @since 0.1
 */
public record StoredEvent(long sequence, Event event) {
  public StoredEvent {
    if (sequence <= 0) {
      throw new IllegalArgumentException("sequence must be > 0 (was " + sequence + ")");
    }
    Objects.requireNonNull(event, "event");
  }
}
