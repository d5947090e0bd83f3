package dev.orchestrator.core;

import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ClaimStoreContract;
import dev.orchestrator.testkit.StoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;

/** The in-memory store passes the store contract (its persistence checks are skipped: it is not durable). */
class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return InMemoryStore.create();
  }

  /** It passes the claim contract too, on a clock that moves on by a millisecond at every read, as a database's does. */
  @Nested
  class Claims extends ClaimStoreContract {
    @Override
    protected ClaimStore createStore() {
      return InMemoryStore.create(new TickingClock(Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMillis(1)));
    }
  }

  /** It passes the outbox contract, on the same ticking clock (one store: both "processes" share it). */
  @Nested
  class Outbox extends dev.orchestrator.testkit.OutboxContract {
    @Override
    protected Store createStore() {
      return InMemoryStore.create(new TickingClock(Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMillis(1)));
    }
  }

  /** A clock that advances by a fixed step each time it is read: time always moves on between two store calls. */
  static final class TickingClock extends Clock {
    private final AtomicLong nanos;
    private final long step;

    TickingClock(Instant start, Duration step) {
      this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
      this.step = step.toNanos();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a ticking test clock is UTC only");
    }

    @Override
    public Instant instant() {
      long n = nanos.addAndGet(step);
      return Instant.ofEpochSecond(0, n);
    }
  }
}
