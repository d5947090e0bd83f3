package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spring.boot.OrchestratorProperties;
import dev.orchestrator.store.jdbc.JdbcStore;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store {@code orchestrator.store.type} chooses: the application's {@link DataSource} (a
 * {@link JdbcStore} that migrates its own tables and leaves the data source open), an embedded H2 file, or memory.
 */
public final class StoreChoice {
  private StoreChoice() {}

  /**
   * Opens the store.
   *
   * @param dataSource the application's one data source, or null when it has none (or several)
   * @throws IllegalStateException naming {@code orchestrator.store.*} and the fix when the store cannot be opened
   */
  public static Store open(OrchestratorProperties.StoreSettings settings, @Nullable DataSource dataSource) {
    try {
      return switch (settings.getType()) {
        case AUTO -> dataSource != null ? JdbcStore.of(dataSource) : InMemoryStore.create();
        case MEMORY -> InMemoryStore.create();
        case DATASOURCE -> {
          if (dataSource == null) {
            throw new IllegalStateException("orchestrator.store.type is datasource, but the application has no "
                + "single DataSource bean: add spring-boot-starter-jdbc and spring.datasource.url (H2 or PostgreSQL),"
                + " or set orchestrator.store.type to memory or embedded");
          }
          yield JdbcStore.of(dataSource);
        }
        case EMBEDDED -> JdbcStore.embedded(path(settings.getPath()));
      };
    } catch (OrchestratorException | IllegalArgumentException e) {
      throw new IllegalStateException("orchestrator.store (type " + settings.getType().name().toLowerCase(
          java.util.Locale.ROOT) + "): " + e.getMessage(), e);
    }
  }

  /** The directory, with a leading {@code ~} as the user's home. */
  static Path path(@Nullable String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("orchestrator.store.path is missing: give the embedded store's directory");
    }
    String p = path.strip();
    if (p.equals("~") || p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    return Path.of(p);
  }
}
