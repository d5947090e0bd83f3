package dev.orchestrator.cli.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.store.jdbc.StoreUnavailableException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The one seam between the command line and a durable store: the embedded H2 file store in the data directory, or
 * PostgreSQL (for {@code worker}). Both are {@code orchestrator-store-jdbc}'s {@link JdbcStore}.
 */
public final class Stores {
  /** Opens stores; tests give their own. */
  @FunctionalInterface
  public interface Opener {
    /**
     * Opens the store at {@code location}: a directory for the embedded store, or a PostgreSQL URL.
     */
    Store open(String location, @Nullable String user, @Nullable String password);
  }

  private Stores() {}

  /** The real opener. */
  public static Store open(String location, @Nullable String user, @Nullable String password) {
    try {
      if (isPostgres(location)) {
        if (user == null || password == null) {
          throw CliException.of(ExitCodes.CONFIG, "store.credentials", describe(location));
        }
        return JdbcStore.postgres(jdbcUrl(location), user, password);
      }
      return JdbcStore.embedded(Path.of(location));
    } catch (StoreUnavailableException e) {
      throw refusal(e);
    } catch (OrchestratorException | IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "store.unavailable", describe(location), e.getMessage());
    }
  }

  /**
   * The store's own plain words (what is wrong with which path, and the fix) as the command's failure: a store that
   * stayed busy beyond its bound is refused for now (exit 5, try again), anything else about the data directory is
   * configuration (exit 4).
   */
  public static CliException refusal(StoreUnavailableException e) {
    if (e.reason() == StoreUnavailableException.Reason.BUSY) {
      return CliException.wrap(e, ExitCodes.REFUSED, "store.busy", e.getMessage());
    }
    return CliException.wrap(e, ExitCodes.CONFIG, "dataDir.unusable", e.getMessage());
  }

  /** Whether the location is a PostgreSQL URL. */
  public static boolean isPostgres(String location) {
    return location.startsWith("jdbc:postgresql:") || location.startsWith("postgresql:")
        || location.startsWith("postgres:");
  }

  /** {@code postgres://h/db} and {@code postgresql://h/db} as the JDBC URL {@code jdbc:postgresql://h/db}. */
  static String jdbcUrl(String location) {
    if (location.startsWith("jdbc:")) {
      return location;
    }
    return "jdbc:postgresql:" + location.substring(location.indexOf(':') + 1);
  }

  /** A location for messages: a URL without its user info or query (where a password may hide). */
  public static String describe(String location) {
    String s = location.replaceAll("//[^/@]*@", "//");
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
