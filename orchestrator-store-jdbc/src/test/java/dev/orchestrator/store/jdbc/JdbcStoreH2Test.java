package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.StoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

  @Override
  protected void appendEventOfUnknownType(Store store, String project, String runId) throws Exception {
    String url = "jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME) + ";AUTO_SERVER=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      insertEventOfUnknownType(c, project, runId);
    }
  }

  /** A row as a newer version would write it: a type this version has no record for. */
  static void insertEventOfUnknownType(Connection c, String project, String runId) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (project, run_id, task_id, type, occurred_at, "
        + "body) VALUES (?, ?, NULL, 'TaskTeleportedEvent', CURRENT_TIMESTAMP, '{\"project\":\"x\"}')")) {
      ps.setString(1, project);
      ps.setString(2, runId);
      ps.executeUpdate();
    }
  }
}
