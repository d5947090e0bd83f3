package dev.orchestrator.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shadow evaluation on PostgreSQL. Configured, skipped and failed in CI exactly as {@link JdbcStorePostgresIT}.
 */
class ShadowEvaluationPostgresIT extends ShadowEvaluationStoreTest {
  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  @Override
  JdbcStore store() {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    return JdbcStore.postgres(PostgresTestServer.urlFor(PostgresTestServer.newSchema()), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD);
  }
}
