package dev.orchestrator.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A conversation's events on PostgreSQL, as a cluster's workers share them. Configured, skipped and failed in CI
 * exactly as {@link JdbcStorePostgresIT}.
 */
class ConversationEventsPostgresIT extends ConversationEventsStoreTest {
  private String schema = "";

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
    schema = PostgresTestServer.newSchema();
    return reopen();
  }

  @Override
  JdbcStore reopen() {
    return JdbcStore.postgres(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD);
  }
}
