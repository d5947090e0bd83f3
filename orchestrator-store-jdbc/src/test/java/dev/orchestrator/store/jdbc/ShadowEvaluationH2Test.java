package dev.orchestrator.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Shadow evaluation on the embedded store, the command line's default. */
class ShadowEvaluationH2Test extends ShadowEvaluationStoreTest {
  @TempDir
  Path dataDir;

  @Override
  JdbcStore store() {
    return JdbcStore.embedded(dataDir);
  }
}
