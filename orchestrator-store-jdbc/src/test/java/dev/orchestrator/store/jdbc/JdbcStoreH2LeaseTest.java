package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded (H2 file) store passes the lease contract ({@link JdbcLeaseStoreContract}): leases from H2's clock,
 * and several store instances on one database file (each with its own connection pool and claim lock, as separate
 * processes have). The directories are made here rather than by JUnit, because the contract's property runs on the
 * jqwik engine too.
 */
class JdbcStoreH2LeaseTest extends JdbcLeaseStoreContract {
  private final Map<Store, Path> dirs = new ConcurrentHashMap<>();

  @Override
  protected Store createStore() {
    try {
      Path dir = Files.createTempDirectory("orchestrator-leases-");
      JdbcStore store = JdbcStore.embedded(dir);
      dirs.put(store, dir);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Store share(Store store) {
    return JdbcStore.embedded(dirs.get(store));
  }

  @Override
  protected void discard(Store store) {
    store.close();
    Path dir = dirs.remove(store);
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + dir, e);
      }
    }
  }
}
