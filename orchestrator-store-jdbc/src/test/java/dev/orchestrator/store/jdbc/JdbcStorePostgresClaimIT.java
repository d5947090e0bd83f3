package dev.orchestrator.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.testkit.ClaimStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store passes the claim contract against a real server (claims through FOR UPDATE SKIP LOCKED,
 * leases from now()). Configured, skipped and failed in CI exactly as {@link JdbcStorePostgresIT}.
 */
class JdbcStorePostgresClaimIT extends ClaimStoreContract {
  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  @Override
  protected ClaimStore createStore() {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    return JdbcStore.postgres(PostgresTestServer.urlFor(PostgresTestServer.newSchema()), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD);
  }
}
