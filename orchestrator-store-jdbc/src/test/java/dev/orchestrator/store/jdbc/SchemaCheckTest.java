package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store whose schema is current skips the migration tool, but never its guarantees: a changed or failed
 * script still goes to Flyway, which refuses a changed one, and a missing one is still migrated.
 */
class SchemaCheckTest {
  @TempDir
  Path dataDir;

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve(
        JdbcStore.EMBEDDED_DATABASE_NAME) + ";AUTO_SERVER=TRUE", "sa", "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void aCurrentSchemaOpensAtItsVersionWithNothingMigrated() {
    String version;
    try (JdbcStore first = JdbcStore.embedded(dataDir)) {
      assertThat(first.migrationsExecuted()).isEqualTo(Integer.parseInt(first.schemaVersion()));
      version = first.schemaVersion();
    }
    try (JdbcStore again = JdbcStore.embedded(dataDir)) {
      assertThat(again.schemaVersion()).isEqualTo(version);
      assertThat(again.migrationsExecuted()).isZero();
    }
  }

  @Test
  void aChangedScriptStillMeetsFlywaysRefusal() throws Exception {
    JdbcStore.embedded(dataDir).close();
    sql("UPDATE \"" + JdbcStore.SCHEMA_HISTORY_TABLE + "\" SET \"checksum\" = 42 WHERE \"version\" = '3'");
    assertThatThrownBy(() -> JdbcStore.embedded(dataDir)).isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void aSchemaOneScriptBehindIsMigrated(@TempDir Path elsewhere) throws Exception {
    int newest;
    try (JdbcStore current = JdbcStore.embedded(elsewhere)) {
      newest = Integer.parseInt(current.schemaVersion());
    }
    // What a store of the previous release left: every script but the newest.
    Flyway.configure().dataSource("jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME), "sa", "")
        .locations("classpath:dev/orchestrator/store/jdbc/migration/h2").table(JdbcStore.SCHEMA_HISTORY_TABLE)
        .target(MigrationVersion.fromVersion(Integer.toString(newest - 1))).load().migrate();
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      assertThat(store.migrationsExecuted()).isEqualTo(1);
      assertThat(store.schemaVersion()).isEqualTo(Integer.toString(newest));
      store.saveBudget(dev.orchestrator.budget.Budget.of(dev.orchestrator.budget.BudgetScope.global(),
          dev.orchestrator.Money.usd("1")));
    }
  }
}
