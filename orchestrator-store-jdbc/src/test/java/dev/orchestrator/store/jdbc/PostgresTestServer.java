package dev.orchestrator.store.jdbc;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The PostgreSQL server of every PostgreSQL test, named by {@code ORCHESTRATOR_TEST_POSTGRES_URL}, {@code _USER}
 * and {@code _PASSWORD}; each store gets a new schema with a random name, dropped by {@link #dropSchemas()}.
 */
final class PostgresTestServer {
  static final String URL = env("ORCHESTRATOR_TEST_POSTGRES_URL");
  static final String USER = env("ORCHESTRATOR_TEST_POSTGRES_USER");
  static final String PASSWORD = env("ORCHESTRATOR_TEST_POSTGRES_PASSWORD");
  static final String MISSING = "ORCHESTRATOR_TEST_POSTGRES_URL is not set, so there is no PostgreSQL to test "
      + "against: run eval \"$(bash .ci/postgres.sh start)\" first, or point ORCHESTRATOR_TEST_POSTGRES_URL, _USER and "
      + "_PASSWORD at any server where the user may create schemas";
  private static final Queue<String> SCHEMAS = new ConcurrentLinkedQueue<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PostgresTestServer() {}

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  static String newSchema() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    String name = "orch_test_" + HexFormat.of().formatHex(bytes);
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

  /** In CI the PostgreSQL tests must run: a missing server fails the class instead of skipping it. */
  static void requireInCi() {
    if (URL.isBlank() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(MISSING + " (CI=true: the PostgreSQL tests must run in CI, so this fails instead of "
          + "skipping)");
    }
  }

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
}
