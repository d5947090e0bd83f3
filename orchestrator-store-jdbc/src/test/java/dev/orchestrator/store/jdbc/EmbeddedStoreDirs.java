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
 * Embedded stores of the contract tests, each on a temporary directory of its own that is deleted with it. The
 * directories are made here rather than by JUnit, because the contracts' properties run on the jqwik engine too.
 */
final class EmbeddedStoreDirs {
  private final String prefix;
  private final Map<Store, Path> dirs = new ConcurrentHashMap<>();

  EmbeddedStoreDirs(String prefix) {
    this.prefix = prefix;
  }

  /** A new store on a new directory. */
  JdbcStore create() {
    try {
      Path dir = Files.createTempDirectory(prefix);
      JdbcStore store = JdbcStore.embedded(dir);
      dirs.put(store, dir);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Another store on the directory of {@code first}, as a second process opens it. */
  JdbcStore share(Store first) {
    return JdbcStore.embedded(dirs.get(first));
  }

  /** Closes the store and deletes its directory. */
  void discard(Store store) {
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
