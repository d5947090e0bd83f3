package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.schedule.Schedule;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded (H2 file) store is a {@link ScheduleStore}: the contract, and a scheduling service on top of it. */
class JdbcScheduleStoreH2Test extends ScheduleStoreContract {
  @TempDir
  Path dataDir;

  @Override
  protected ScheduleStore createStore() {
    return JdbcStore.embedded(dataDir);
  }

  @Test
  void schedulesAndFiresSurviveReopening() {
    store.save(hourly("hourly"));
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
    store.completeFire(ScheduleFire.started("hourly", F1, "run-1", F1));
    store.close();
    store = JdbcStore.embedded(dataDir);
    assertThat(store.find("hourly")).contains(hourly("hourly"));
    assertThat(store.fires("hourly")).containsExactly(ScheduleFire.started("hourly", F1, "run-1", F1));
    assertThat(store.claimFire("hourly", F1, F2)).isFalse();
  }

  /** A scheduling service whose runs and schedules both live in the embedded store, on virtual time. */
  @Nested
  class OnTheEmbeddedStore {
    @Test
    void firesOnTime() {
      MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
      ManualScheduler scheduler = new ManualScheduler(clock);
      JdbcStore jdbc = (JdbcStore) store;
      Workflow report = Workflow.builder("daily-report")
          .task("write", t -> t.instructions("Write the report on {{topic}}"))
          .build();
      try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
              .executor(Runnable::run).provider(FakeProvider.echo("claude")).store(jdbc).build();
          Scheduling scheduling = Scheduling.builder().orchestrator(orchestrator).store(jdbc).clock(clock)
              .scheduler(scheduler).refreshInterval(Duration.ZERO).build()) {
        scheduling.add(Schedule.builder().id("hourly").project("reports").workflow(report).param("topic", "tides")
            .trigger(Trigger.cron("0 * * * *")).zone(ZoneOffset.UTC).build());
        scheduler.advance(Duration.ofHours(3));

        List<ScheduleFire> fires = jdbc.fires("hourly");
        assertThat(fires).extracting(ScheduleFire::fireTime).containsExactly(Instant.parse("2026-01-05T01:00:00Z"),
            Instant.parse("2026-01-05T02:00:00Z"), Instant.parse("2026-01-05T03:00:00Z"));
        for (ScheduleFire f : fires) {
          assertThat(f.outcome()).isEqualTo(ScheduleFire.Outcome.STARTED);
          RunRecord run = jdbc.run("reports", f.runId()).orElseThrow();
          assertThat(run.submittedAt()).isEqualTo(f.fireTime()); // on time, in virtual time
          assertThat(f.recordedAt()).isEqualTo(f.fireTime());
          assertThat(run.params()).isEqualTo(Map.of("topic", "tides"));
        }
        assertThat(jdbc.runs("reports")).hasSize(3);
        assertThat(jdbc.find("hourly")).isPresent();
      }
    }
  }
}
