package dev.orchestrator.core;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ProviderHealthContract;

/** The in-memory store passes the provider health contract. It lives in one process: its "other instances" are itself. */
class InMemoryProviderHealthTest extends ProviderHealthContract {
  @Override
  protected Store createStore() {
    return InMemoryStore.create();
  }
}
