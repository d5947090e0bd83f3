package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.StoreContract;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store passes the store contract against a real server: {@code ORCHESTRATOR_TEST_POSTGRES_URL},
 * {@code _USER} and {@code _PASSWORD} name it ({@code eval "$(bash .ci/postgres.sh start)"} starts a throwaway one).
 * Without the URL the tests are skipped, except under {@code CI=true}, where they fail. Each store gets a schema of
 * its own, dropped at the end, so reruns start clean.
 */
class JdbcStorePostgresIT extends StoreContract {
  private static final String URL = env("ORCHESTRATOR_TEST_POSTGRES_URL");
  private static final String USER = env("ORCHESTRATOR_TEST_POSTGRES_USER");
  private static final String PASSWORD = env("ORCHESTRATOR_TEST_POSTGRES_PASSWORD");
  private static final Queue<String> SCHEMAS = new ConcurrentLinkedQueue<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private String schema = "";

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  private static final String MISSING = "ORCHESTRATOR_TEST_POSTGRES_URL is not set, so there is no PostgreSQL to test "
      + "against: run eval \"$(bash .ci/postgres.sh start)\" first, or point ORCHESTRATOR_TEST_POSTGRES_URL, _USER and "
      + "_PASSWORD at any server where the user may create schemas";

  /** In CI the PostgreSQL tests must run: a missing server fails the class instead of skipping it. */
  @BeforeAll
  static void requireAServerInCi() {
    if (URL.isBlank() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(MISSING + " (CI=true: the PostgreSQL tests must run in CI, so this fails instead of skipping)");
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (URL.isBlank() || SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
      for (String name : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
    SCHEMAS.clear();
  }

  /** A new, empty schema; its name is random, so reruns and parallel runs never meet. */
  static String newSchema() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    String name = "orch_it_" + HexFormat.of().formatHex(bytes);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + name + " on " + URL + ": " + e.getMessage(), e);
    }
    SCHEMAS.add(name);
    return name;
  }

  static String urlFor(String schema) {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  protected Store createStore() {
    assumeTrue(!URL.isBlank(), MISSING);
    schema = newSchema();
    return JdbcStore.postgres(urlFor(schema), USER, PASSWORD);
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.postgres(urlFor(schema), USER, PASSWORD);
  }

  /** What the PostgreSQL store promises beyond the contract. */
  @Nested
  class Postgres {
    @Test
    void theSchemaVersionIsRecordedAndASecondStartMigratesNothing() throws Exception {
      JdbcStore first = (JdbcStore) store;
      assertThat(first.schemaVersion()).isEqualTo("5");
      assertThat(first.migrationsExecuted()).isEqualTo(5);
      first.createRun(new RunRecord("p", "r", "wf", RunStatus.RUNNING, Map.of(), Instant.EPOCH, null, null), "{}",
          List.of());
      store = reopen(store);
      JdbcStore second = (JdbcStore) store;
      assertThat(second.migrationsExecuted()).isZero();
      assertThat(second.schemaVersion()).isEqualTo("5");
      assertThat(second.run("p", "r")).isPresent();
      try (Connection c = DriverManager.getConnection(urlFor(schema), USER, PASSWORD);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version, success FROM " + JdbcStore.SCHEMA_HISTORY_TABLE
              + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
        }
        assertThat(rows).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true");
      }
    }

    @Test
    void thePasswordIsNeverShown() {
      assertThat(store.toString()).contains("postgresql").doesNotContain(PASSWORD);
      String wrong = "wrong-" + Long.toHexString(RANDOM.nextLong());
      Throwable t = catchThrowable(() -> JdbcStore.postgres(URL, USER, wrong).close());
      assertThat(t).isNotNull();
      for (Throwable cause = t; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(cause.toString()).doesNotContain(wrong);
      }
      assertThat(t.getMessage()).contains("check the URL, the user and the password");
    }

    @Test
    void aPasswordInTheUrlIsNeverShown() {
      String withPassword = URL + (URL.contains("?") ? "&" : "?") + "password=" + PASSWORD;
      try (JdbcStore s = JdbcStore.postgres(withPassword + "&currentSchema=" + schema, USER, PASSWORD)) {
        assertThat(s.toString()).doesNotContain(PASSWORD).doesNotContain("password=");
      }
    }
  }
}
