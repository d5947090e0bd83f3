package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spring.boot.OrchestratorProperties;
import dev.orchestrator.store.jdbc.JdbcStore;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store {@code orchestrator.store.type} chooses: the application's {@link DataSource} (a
 * {@link JdbcStore} that migrates its own tables and leaves the data source open), an embedded H2 file, or memory.
 */
public final class StoreChoice {
  private static final Logger log = LoggerFactory.getLogger(StoreChoice.class);

  private StoreChoice() {}

  /**
   * Opens the store.
   *
   * @param dataSource the application's one data source (its primary one), or null when it has none or several
   * @param dataSources how many data sources the application has
   * @throws IllegalStateException naming {@code orchestrator.store.*} and the fix when the store cannot be opened
   */
  public static Store open(OrchestratorProperties.StoreSettings settings, @Nullable DataSource dataSource,
      long dataSources) {
    if (dataSource == null && dataSources > 1 && (settings.getType() == OrchestratorProperties.StoreType.AUTO
        || settings.getType() == OrchestratorProperties.StoreType.DATASOURCE)) {
      throw new IllegalStateException("orchestrator.store.type is " + settings.getType().name().toLowerCase(
          java.util.Locale.ROOT) + ", and the application has " + dataSources + " DataSource beans and none is"
          + " @Primary: mark the one for the orchestrator @Primary, declare a Store bean "
          + "(JdbcStore.of(yourDataSource)), or set orchestrator.store.type to memory or embedded");
    }
    try {
      return switch (settings.getType()) {
        case AUTO -> {
          if (dataSource != null) {
            yield JdbcStore.of(dataSource);
          }
          log.info("Orchestrator store is in memory: the application has no DataSource, and runs are lost when it"
              + " stops (add spring-boot-starter-jdbc and spring.datasource.url to keep them, or set"
              + " orchestrator.store.type)");
          yield InMemoryStore.create();
        }
        case MEMORY -> InMemoryStore.create();
        case DATASOURCE -> {
          if (dataSource == null) {
            throw new IllegalStateException("orchestrator.store.type is datasource, but the application has no "
                + "DataSource bean: add spring-boot-starter-jdbc and spring.datasource.url (H2 or PostgreSQL),"
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
