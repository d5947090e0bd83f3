package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ProviderHealthContract;

/**
 * The embedded (H2 file) store passes the provider health contract; its second process is a second store on the
 * same directory, served to it by the first through H2's automatic mixed mode.
 */
class JdbcProviderHealthH2Test extends ProviderHealthContract {
  private final EmbeddedStoreDirs dirs = new EmbeddedStoreDirs("orchestrator-health-");

  @Override
  protected Store createStore() {
    return dirs.create();
  }

  @Override
  protected Store openAnother(Store first) {
    return dirs.share(first);
  }

  @Override
  protected void discard(Store store) {
    dirs.discard(store);
  }
}
