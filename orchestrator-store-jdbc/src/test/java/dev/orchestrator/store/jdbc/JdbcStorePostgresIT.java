package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.StoreContract;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store passes the store contract against a real server: {@code ORCHESTRATOR_TEST_POSTGRES_URL},
 * {@code _USER} and {@code _PASSWORD} name it ({@code eval "$(bash .ci/postgres.sh start)"} starts a throwaway one).
 * Without the URL the tests are skipped, except under {@code CI=true}, where they fail. Each store gets a schema of
 * its own, dropped at the end, so reruns start clean.
 */
class JdbcStorePostgresIT extends StoreContract {
  private static final String URL = PostgresTestServer.URL;
  private static final String USER = PostgresTestServer.USER;
  private static final String PASSWORD = PostgresTestServer.PASSWORD;

  private String schema = "";

  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
  }

  @Override
  protected Store createStore() {
    assumeTrue(!URL.isBlank(), PostgresTestServer.MISSING);
    schema = PostgresTestServer.newSchema();
    return JdbcStore.postgres(PostgresTestServer.urlFor(schema), USER, PASSWORD);
  }

  @Override
  protected Store reopen(Store store) {
    store.close();
    return JdbcStore.postgres(PostgresTestServer.urlFor(schema), USER, PASSWORD);
  }

  @Override
  protected void appendEventOfUnknownType(Store store, String project, String runId) throws Exception {
    try (Connection c = DriverManager.getConnection(PostgresTestServer.urlFor(schema), USER, PASSWORD)) {
      JdbcStoreH2Test.insertEventOfUnknownType(c, project, runId);
    }
  }

  /** What the PostgreSQL store promises beyond the contract. */
  @Nested
  class Postgres {
    @Test
    void theSchemaVersionIsRecordedAndASecondStartMigratesNothing() throws Exception {
      JdbcStore first = (JdbcStore) store;
      assertThat(first.schemaVersion()).isEqualTo("13");
      assertThat(first.migrationsExecuted()).isEqualTo(13);
      first.createRun(RunRecord.submitted("p", "r", "wf", Map.of(), Instant.EPOCH), "{}",
          List.of());
      store = reopen(store);
      JdbcStore second = (JdbcStore) store;
      assertThat(second.migrationsExecuted()).isZero();
      assertThat(second.schemaVersion()).isEqualTo("13");
      assertThat(second.run("p", "r")).isPresent();
      try (Connection c = DriverManager.getConnection(PostgresTestServer.urlFor(schema), USER, PASSWORD);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT version, success FROM " + JdbcStore.SCHEMA_HISTORY_TABLE
              + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
        }
        assertThat(rows).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true", "6:true", "7:true", "8:true",
            "9:true", "10:true", "11:true", "12:true", "13:true");
      }
    }

    @Test
    void aReaderMissesNoEventAppendedThroughOtherConnectionPools() throws Exception {
      int perWriter = 150;
      List<String> names = List.of("a1", "a2", "a3", "b1", "b2", "b3");
      java.util.concurrent.ExecutorService threads = StreamFollowing.threads(names.size() + 1);
      // Three stores on one schema, each with its own pool, as three processes would be.
      try (JdbcStore a = JdbcStore.postgres(PostgresTestServer.urlFor(schema), USER, PASSWORD);
          JdbcStore b = JdbcStore.postgres(PostgresTestServer.urlFor(schema), USER, PASSWORD)) {
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        var seen = StreamFollowing.follow(threads, store, () -> done.get() == names.size());
        var writers = names.stream().map(w -> threads.submit(() -> {
          StreamFollowing.append(w.startsWith("a") ? a : b, w, perWriter);
          done.incrementAndGet();
          return null;
        })).toList();
        for (var w : writers) {
          StreamFollowing.await(w);
        }
        StreamFollowing.check(StreamFollowing.await(seen), store, names, perWriter);
      } finally {
        threads.shutdownNow();
      }
    }

    @Test
    void aReaderNeverPassesAnAppendStillInFlightAndGivesUpWaitingForItAfterTheLockTimeout() throws Exception {
      store.append(StreamFollowing.event("w", 0));
      long first = store.lastEventSequence();
      try (Connection stuck = DriverManager.getConnection(PostgresTestServer.urlFor(schema), USER, PASSWORD)) {
        // An append that has drawn its number and not committed, as in a process frozen at that moment.
        stuck.setAutoCommit(false);
        dev.orchestrator.event.Event frozen = StreamFollowing.event("frozen", 0);
        dev.orchestrator.store.jdbc.internal.EventLog.Entry entry = new dev.orchestrator.store.jdbc.internal.EventLog
            .Entry(frozen.project(), frozen.runId(), null,
                dev.orchestrator.store.jdbc.internal.Json.eventType(frozen),
                java.time.OffsetDateTime.ofInstant(frozen.at(), java.time.ZoneOffset.UTC),
                dev.orchestrator.store.jdbc.internal.Json.write(frozen));
        dev.orchestrator.store.jdbc.internal.EventLog.of(dev.orchestrator.store.jdbc.internal.Dialect.POSTGRESQL, stuck)
            .insertAll(stuck, new dev.orchestrator.store.jdbc.internal.JoinedTransaction(false), List.of(entry));
        // Other appends go on, and commit after it.
        store.append(StreamFollowing.event("w", 1));

        Throwable t = catchThrowable(() -> store.eventsAfter(first, 10));
        assertThat(t).as("a reader that cannot know whether the frozen append commits fails; it hands out nothing")
            .isInstanceOf(dev.orchestrator.OrchestratorException.class).hasMessageContaining("lock timeout");

        stuck.commit();
      }
      assertThat(store.eventsAfter(0, 10)).extracting(e -> e.event())
          .containsExactly(StreamFollowing.event("w", 0), StreamFollowing.event("frozen", 0),
              StreamFollowing.event("w", 1));
    }

    @Test
    void thePasswordIsNeverShown() {
      assertThat(store.toString()).contains("postgresql").doesNotContain(PASSWORD);
      String wrong = "wrong-" + Long.toHexString(new java.security.SecureRandom().nextLong());
      Throwable t = catchThrowable(() -> JdbcStore.postgres(URL, USER, wrong).close());
      assertThat(t).isNotNull();
      for (Throwable cause = t; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(cause.toString()).doesNotContain(wrong);
      }
      assertThat(t.getMessage()).contains("check the URL, the user and the password");
    }

    @Test
    void aPasswordInTheUrlIsNeverShown() {
      String withPassword = URL + (URL.contains("?") ? "&" : "?") + "password=" + PASSWORD;
      try (JdbcStore s = JdbcStore.postgres(withPassword + "&currentSchema=" + schema, USER, PASSWORD)) {
        assertThat(s.toString()).doesNotContain(PASSWORD).doesNotContain("password=");
      }
    }
  }
}
