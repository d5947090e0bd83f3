package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.OrchestratorException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What differs between the supported databases: the migration scripts and the one upsert. */
public enum Dialect {
  /** H2 2.x, embedded or in automatic mixed mode. */
  H2("h2", "MERGE INTO budgets (scope_kind, scope_name, limit_amount, currency, thresholds) "
      + "KEY (scope_kind, scope_name) VALUES (?, ?, ?, ?, ?)"),
  /** PostgreSQL 12 or later. */
  POSTGRESQL("postgresql", "INSERT INTO budgets (scope_kind, scope_name, limit_amount, currency, thresholds) "
      + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope_kind, scope_name) DO UPDATE SET "
      + "limit_amount = EXCLUDED.limit_amount, currency = EXCLUDED.currency, thresholds = EXCLUDED.thresholds");

  private final String id;
  private final String upsertBudget;

  Dialect(String id, String upsertBudget) {
    this.id = id;
    this.upsertBudget = upsertBudget;
  }

  /** Short lower-case name: {@code h2}, {@code postgresql}. */
  public String id() {
    return id;
  }

  /** Where the Flyway migrations of this database are. */
  public String migrations() {
    return "classpath:dev/orchestrator/store/jdbc/migration/" + id;
  }

  /** Inserts or replaces a budget: scope kind, scope name, amount, currency, thresholds JSON. */
  public String upsertBudget() {
    return upsertBudget;
  }

  /**
   * The dialect of the database behind a connection.
   *
   * @throws OrchestratorException when it is neither H2 nor PostgreSQL
   */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("h2")) {
      return H2;
    }
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    throw new OrchestratorException("JdbcStore supports H2 and PostgreSQL (was '" + product
        + "'): use JdbcStore.embedded(dir) or a PostgreSQL data source");
  }
}
