package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.testkit.ClaimStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded (H2 file) store passes the claim contract: leases and queue times from H2's clock. */
class JdbcStoreH2ClaimTest extends ClaimStoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected ClaimStore createStore() {
    return JdbcStore.embedded(dataDir);
  }
}
