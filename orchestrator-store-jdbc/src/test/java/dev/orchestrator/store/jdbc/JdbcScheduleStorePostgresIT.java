package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.event.ScheduleFiredEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.schedule.Schedule;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;
import dev.orchestrator.workflow.Workflow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store is a {@link ScheduleStore}, against a real server named by
 * {@code ORCHESTRATOR_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD}; skipped without them, failed under
 * {@code CI=true}, as {@link JdbcStorePostgresIT}. The class has a schema of its own, emptied before each test and
 * dropped at the end.
 */
class JdbcScheduleStorePostgresIT extends ScheduleStoreContract {
  private static String schema = "";

  @BeforeAll
  static void requireAServerInCi() {
    PostgresTestServer.requireInCi();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresTestServer.dropSchemas();
    schema = "";
  }

  private static JdbcStore openStore() {
    return JdbcStore.postgres(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD);
  }

  @Override
  protected ScheduleStore createStore() {
    assumeTrue(!PostgresTestServer.URL.isBlank(), PostgresTestServer.MISSING);
    if (schema.isEmpty()) {
      schema = PostgresTestServer.newSchema();
    }
    JdbcStore store = openStore(); // migrates the schema on first use
    try (Connection c = DriverManager.getConnection(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
        PostgresTestServer.PASSWORD); Statement s = c.createStatement()) {
      s.execute("TRUNCATE schedule_fires, schedules, commands, budget_accounts, budgets, task_dependencies, events, "
          + "tasks, runs, projects CASCADE");
    } catch (SQLException e) {
      store.close();
      throw new IllegalStateException("cannot empty schema " + schema + ": " + e.getMessage(), e);
    }
    return store;
  }

  /** Two processes' worth of engine and scheduling service, each on its own connection pool to one schema. */
  @Nested
  class TwoServicesSharingOneStore {
    private static final String PROJECT = "reports";
    private final Workflow report = Workflow.builder("daily-report")
        .task("write", t -> t.instructions("Write the report on {{topic}}"))
        .build();

    private Schedule.Builder schedule(String id, Trigger trigger) {
      return Schedule.builder().id(id).project(PROJECT).workflow(report).param("topic", "tides").trigger(trigger)
          .zone(ZoneOffset.UTC);
    }

    @Test
    void fireEachOccurrenceOnce() {
      MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
      ManualScheduler scheduler = new ManualScheduler(clock);
      RecordingListener events = new RecordingListener();
      JdbcStore storeA = (JdbcStore) store;
      try (JdbcStore storeB = openStore();
          Orchestrator engineA = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
              .provider(FakeProvider.echo("claude")).store(storeA).build();
          Orchestrator engineB = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
              .provider(FakeProvider.echo("claude")).store(storeB).build();
          Scheduling a = Scheduling.builder().orchestrator(engineA).store(storeA).clock(clock).scheduler(scheduler)
              .listener(events).build();
          Scheduling b = Scheduling.builder().orchestrator(engineB).store(storeB).clock(clock).scheduler(scheduler)
              .listener(events).build()) {
        a.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
        b.add(schedule("quarterly", Trigger.cron("0 */15 * * * ?")).build());
        // Each service learns of the other's schedule at its first refresh; from then on both try every fire.
        scheduler.advance(Duration.ofHours(6));

        assertThat(b.fires("hourly")).hasSize(6).allMatch(f -> f.outcome() == ScheduleFire.Outcome.STARTED);
        assertThat(a.fires("quarterly")).hasSize(24).allMatch(f -> f.outcome() == ScheduleFire.Outcome.STARTED);
        List<RunRecord> runs = storeA.runs(PROJECT);
        assertThat(runs).hasSize(30);
        assertThat(events.events(ScheduleFiredEvent.class)).hasSize(30);
        // Each fire started its own run, on time.
        List<ScheduleFire> fires = new ArrayList<>(storeB.fires("hourly"));
        fires.addAll(storeB.fires("quarterly"));
        Set<String> runIds = fires.stream().map(ScheduleFire::runId).collect(Collectors.toSet());
        assertThat(runIds).hasSize(30);
        assertThat(runs).extracting(RunRecord::id).containsExactlyInAnyOrderElementsOf(runIds);
        for (ScheduleFire f : fires) {
          RunRecord run = storeA.run(PROJECT, f.runId()).orElseThrow();
          assertThat(run.submittedAt()).isEqualTo(f.fireTime());
          assertThat(run.params()).isEqualTo(Map.of("topic", "tides"));
        }

        // A pause through one service holds the other too.
        b.pause("hourly");
        scheduler.advance(Duration.ofHours(2));
        assertThat(a.fires("hourly")).hasSize(6);
        assertThat(storeB.runs(PROJECT)).hasSize(38);
      }
    }
  }
}
