package dev.orchestrator.dashboard;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DashboardSharedStoreTest} over the command line's store: the worker and the dashboard's engine each open
 * the same H2 file, as an {@code orchestrator run --detach} process and an {@code orchestrator dashboard} process do.
 */
class DashboardSharedH2StoreTest extends DashboardSharedStoreTest {
  @TempDir
  Path dataDir;

  @Override
  SharedFixture.Stores stores() {
    return SharedFixture.Stores.h2(dataDir);
  }
}
