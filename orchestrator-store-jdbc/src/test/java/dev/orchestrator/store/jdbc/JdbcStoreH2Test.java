package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded (H2 file) store passes the store contract, persistence included. */
class JdbcStoreH2Test extends StoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected Store createStore() {
    return JdbcStore.embedded(dataDir);
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.embedded(dataDir);
  }
}
