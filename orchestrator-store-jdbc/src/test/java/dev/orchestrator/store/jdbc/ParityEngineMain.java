package dev.orchestrator.store.jdbc;

import dev.orchestrator.core.Orchestrator;
import java.io.IOException;

/**
 * One engine JVM of {@link FeatureParityIT}: the {@link ParityWorld} engine on the PostgreSQL schema named by the
 * first argument, named by the second, claiming runs until its standard input ends. The server comes from the
 * {@code ORCHESTRATOR_TEST_POSTGRES_*} environment, so the password is not on the command line.
 */
public final class ParityEngineMain {
  private ParityEngineMain() {}

  public static void main(String[] args) throws IOException {
    try (JdbcStore store = JdbcStore.postgres(PostgresTestServer.urlFor(args[0]), PostgresTestServer.USER,
            PostgresTestServer.PASSWORD);
        Orchestrator engine = ParityWorld.engine(store, args[1]).build()) {
      System.out.println("engine " + engine.engineName() + " started");
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
    }
  }
}
