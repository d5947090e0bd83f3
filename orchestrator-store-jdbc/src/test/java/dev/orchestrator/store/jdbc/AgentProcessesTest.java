package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.spi.store.AgentProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store keeps the agent processes of runs, by run, until each is forgotten; a reopen still has them. Embedded,
 * and on PostgreSQL when a server is named ({@code ORCHESTRATOR_TEST_POSTGRES_URL}).
 */
class AgentProcessesTest {
  @TempDir
  Path dataDir;

  @AfterAll
  static void dropSchemas() throws java.sql.SQLException {
    PostgresTestServer.dropSchemas();
  }

  @Test
  void agentProcessesAreKeptByRunUntilForgottenAndSurviveAReopen() {
    keptUntilForgotten(() -> JdbcStore.embedded(dataDir));
  }

  @Test
  void onPostgresToo() {
    PostgresTestServer.requireInCi();
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    String url = PostgresTestServer.urlFor(PostgresTestServer.newSchema());
    keptUntilForgotten(() -> JdbcStore.postgres(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD));
  }

  private static void keptUntilForgotten(Supplier<JdbcStore> open) {
    Instant start = Instant.parse("2026-12-05T00:39:12.345678Z");
    AgentProcess first = AgentProcess.builder().project("p").runId("run-1").taskId("draft").attempt(1)
        .host("build-7").pid(4242).processStart(start).owner("run@build-7:1:aaaaaa").build();
    AgentProcess second = first.toBuilder().taskId("edit").attempt(2).host("build-8").pid(4243).build();
    AgentProcess other = first.toBuilder().runId("run-2").pid(4244).owner("worker@build-7:2:bbbbbb").build();
    try (JdbcStore store = open.get()) {
      store.saveAgentProcess(first);
      store.saveAgentProcess(second);
      store.saveAgentProcess(other);
      store.saveAgentProcess(first); // recorded again: one row
      assertThat(store.agentProcesses("p", "run-1")).containsExactlyInAnyOrder(first, second);
    }
    try (JdbcStore store = open.get()) {
      assertThat(store.agentProcesses("p", "run-1")).containsExactlyInAnyOrder(first, second);
      store.deleteAgentProcess(first);
      assertThat(store.agentProcesses("p", "run-1")).containsExactly(second);
      assertThat(store.agentProcesses("p", "run-2")).containsExactly(other);
      assertThat(store.agentProcesses("q", "run-1")).isEmpty();
    }
  }
}
