package dev.orchestrator.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A conversation's events on the embedded store, the command line's default. */
class ConversationEventsH2Test extends ConversationEventsStoreTest {
  @TempDir
  Path dataDir;

  @Override
  JdbcStore store() {
    return JdbcStore.embedded(dataDir);
  }

  @Override
  JdbcStore reopen() {
    return JdbcStore.embedded(dataDir);
  }
}
