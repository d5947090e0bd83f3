package dev.orchestrator.core;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.StoreContract;

/** The in-memory store passes the store contract (its persistence checks are skipped: it is not durable). */
class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return InMemoryStore.create();
  }
}
