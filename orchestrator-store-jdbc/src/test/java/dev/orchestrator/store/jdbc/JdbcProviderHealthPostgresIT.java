package dev.orchestrator.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ProviderHealthContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store passes the provider health contract against a real server; its second process is a second
 * store (its own connection pool) on the same schema. Configured, skipped and failed in CI exactly as
 * {@link JdbcStorePostgresIT}.
 */
class JdbcProviderHealthPostgresIT extends ProviderHealthContract {
  private String url = "";

  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  @Override
  protected Store createStore() {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    url = PostgresTestServer.urlFor(PostgresTestServer.newSchema());
    return JdbcStore.postgres(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD);
  }

  @Override
  protected Store openAnother(Store first) {
    return JdbcStore.postgres(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD);
  }
}
