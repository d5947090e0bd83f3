package dev.orchestrator.store.jdbc;

import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ProviderHealthContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded (H2 file) store passes the provider health contract; its second process is a second store on the
 * same directory, served to it by the first through H2's automatic mixed mode. The directories are made here rather
 * than by JUnit, because the contract's property runs on the jqwik engine too.
 */
class JdbcProviderHealthH2Test extends ProviderHealthContract {
  private final Map<Store, Path> dirs = new ConcurrentHashMap<>();

  @Override
  protected Store createStore() {
    try {
      Path dir = Files.createTempDirectory("orchestrator-health-");
      JdbcStore store = JdbcStore.embedded(dir);
      dirs.put(store, dir);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Store openAnother(Store first) {
    return JdbcStore.embedded(dirs.get(first));
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
