package dev.orchestrator.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.spi.store.Store;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store passes the lease contract ({@link JdbcLeaseStoreContract}) against a real server (claims through FOR UPDATE SKIP LOCKED,
 * leases from now(), writes fenced on the run's row), with several store instances, each with its own connection
 * pool, on one schema. Configured, skipped and failed in CI exactly as {@link JdbcStorePostgresIT}.
 */
class JdbcStorePostgresLeaseIT extends JdbcLeaseStoreContract {
  private final Map<Store, String> schemas = new ConcurrentHashMap<>();

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
    String schema = PostgresTestServer.newSchema();
    JdbcStore store = open(schema);
    schemas.put(store, schema);
    return store;
  }

  @Override
  protected Store share(Store store) {
    return open(schemas.get(store));
  }

  @Override
  protected void discard(Store store) {
    schemas.remove(store);
    store.close();
  }

  private static JdbcStore open(String schema) {
    return JdbcStore.postgres(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD);
  }
}
