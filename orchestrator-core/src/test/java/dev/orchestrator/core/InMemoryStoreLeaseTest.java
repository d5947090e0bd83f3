package dev.orchestrator.core;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.LeaseStoreContract;
import java.time.Duration;
import java.time.Instant;

/**
 * The in-memory store passes the lease contract, on a clock that moves on by a millisecond at every read, as a
 * database's does. It lives in one process, so its "other instances" are itself.
 */
class InMemoryStoreLeaseTest extends LeaseStoreContract {
  @Override
  protected Store createStore() {
    return InMemoryStore.create(new InMemoryStoreTest.TickingClock(Instant.parse("2025-06-01T00:00:00Z"),
        Duration.ofMillis(1)));
  }
}
