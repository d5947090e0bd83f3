package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;

/**
 * The embedded (H2 file) store passes the lease contract ({@link JdbcLeaseStoreContract}): leases from H2's clock,
 * and several store instances on one database file (each with its own connection pool and claim lock, as separate
 * processes have).
 */
class JdbcStoreH2LeaseTest extends JdbcLeaseStoreContract {
  private final EmbeddedStoreDirs dirs = new EmbeddedStoreDirs("orchestrator-leases-");

  @Override
  protected Store createStore() {
    return dirs.create();
  }

  @Override
  protected Store share(Store store) {
    return dirs.share(store);
  }

  @Override
  protected void discard(Store store) {
    dirs.discard(store);
  }
}
