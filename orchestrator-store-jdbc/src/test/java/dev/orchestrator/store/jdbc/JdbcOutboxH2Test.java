package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.OutboxContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded (H2 file) store passes the outbox contract; its second process is a second store on the same
 * directory, served to it by the first through H2's automatic mixed mode.
 */
class JdbcOutboxH2Test extends OutboxContract {
  @TempDir
  Path dataDir;

  @Override
  protected Store createStore() {
    return JdbcStore.embedded(dataDir);
  }

  @Override
  protected Store openAnother(Store first) {
    return JdbcStore.embedded(dataDir);
  }
}
