package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.InMemoryScheduleStore;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.event.ScheduleFiredEvent;
import dev.orchestrator.event.ScheduleMisfiredEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The scheduling service on virtual time: nothing waits for real. */
class SchedulingTest {
  private static final String PROJECT = "reports";
  private static final Workflow REPORT = Workflow.builder("daily-report")
      .task("write", t -> t.instructions("Write the report on {{topic}}"))
      .build();

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Store engineStore = InMemoryStore.create();
  private final InMemoryScheduleStore scheduleStore = InMemoryScheduleStore.create();
  private final RecordingListener events = new RecordingListener();
  private final FakeProvider provider = FakeProvider.echo("claude");
  private final Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
      .executor(Runnable::run).provider(provider).store(engineStore).build();
  private final List<Scheduling> services = new ArrayList<>();

  @AfterEach
  void closeAll() {
    services.forEach(Scheduling::close);
    orchestrator.close();
  }

  private Scheduling service() {
    Scheduling s = Scheduling.builder().orchestrator(orchestrator).store(scheduleStore).clock(clock)
        .scheduler(scheduler).listener(events).build();
    services.add(s);
    return s;
  }

  private static Schedule.Builder schedule(String id, Trigger trigger) {
    return Schedule.builder().id(id).project(PROJECT).workflow(REPORT).param("topic", "tides").trigger(trigger)
        .zone(ZoneOffset.UTC);
  }

  private List<RunRecord> runs() {
    return orchestrator.runs(PROJECT);
  }

  @Test
  void aFortyEightHourWindowFiresTheExpectedCount() {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    scheduling.add(schedule("daily", Trigger.cron("0 0 9 ? * *")).build());
    scheduler.advance(Duration.ofHours(48));
    assertThat(scheduling.fires("hourly")).hasSize(48)
        .allMatch(f -> f.outcome() == ScheduleFire.Outcome.STARTED);
    assertThat(scheduling.fires("daily")).extracting(ScheduleFire::fireTime)
        .containsExactly(Instant.parse("2026-01-05T09:00:00Z"), Instant.parse("2026-01-06T09:00:00Z"));
    assertThat(runs()).hasSize(50);
    assertThat(events.events(ScheduleFiredEvent.class)).hasSize(50);
    assertThat(events.events(ScheduleMisfiredEvent.class)).isEmpty();
  }

  @Test
  void firesOnTimeAndRecordsWhichScheduleAndFireTimeStartedEachRun() {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    scheduler.advance(Duration.ofHours(3));
    List<ScheduleFire> fires = scheduling.fires("hourly");
    assertThat(fires).hasSize(3);
    for (ScheduleFire f : fires) {
      RunRecord run = engineStore.run(PROJECT, f.runId()).orElseThrow();
      assertThat(run.submittedAt()).isEqualTo(f.fireTime()); // on time, to the nanosecond of virtual time
      assertThat(f.recordedAt()).isEqualTo(f.fireTime());
      // The run's parameters are the schedule's only: nothing is smuggled in.
      assertThat(run.params()).isEqualTo(Map.of("topic", "tides"));
    }
    ScheduleFiredEvent first = events.events(ScheduleFiredEvent.class).get(0);
    assertThat(first.scheduleId()).isEqualTo("hourly");
    assertThat(first.fireTime()).isEqualTo(Instant.parse("2026-01-05T01:00:00Z"));
    assertThat(first.at()).isEqualTo(first.fireTime());
    assertThat(first.runId()).isEqualTo(fires.get(0).runId());
    assertThat(first.workflow()).isEqualTo("daily-report");
    // The engine saw the prompt rendered with the schedule's parameter.
    assertThat(provider.requests().get(0).prompt()).contains("Write the report on tides");
  }

  @Test
  void listsSchedulesWithTheirNextFire() {
    Scheduling scheduling = service();
    orchestrator.createProject(PROJECT, ZoneId.of("Europe/Paris"), Map.of());
    Schedule added = scheduling.add(Schedule.builder().id("daily").project(PROJECT).workflow(REPORT)
        .param("topic", "tides").trigger(Trigger.cron("0 9 * * *")).build());
    assertThat(added.zone()).isEqualTo(ZoneId.of("Europe/Paris")); // the project's zone by default
    assertThat(added.createdAt()).isEqualTo(clock.instant());
    ScheduleStatus status = scheduling.list().get(0);
    assertThat(status.schedule()).usingRecursiveComparison().ignoringFields("workflow").isEqualTo(added);
    assertThat(status.schedule().workflow().tasks()).isEqualTo(REPORT.tasks());
    assertThat(status.nextFire()).isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
    assertThat(status.lastFire()).isNull();
    assertThat(scheduling.nextFires("daily", 2))
        .containsExactly(Instant.parse("2026-01-05T08:00:00Z"), Instant.parse("2026-01-06T08:00:00Z"));
    scheduler.advance(Duration.ofHours(9));
    status = scheduling.find("daily").orElseThrow();
    assertThat(status.lastFire().fireTime()).isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
    assertThat(status.nextFire()).isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(scheduling.list("other")).isEmpty();
  }

  @Test
  void oneTimeAndNonRepeatingSchedulesFireOnce() {
    Scheduling scheduling = service();
    scheduling.add(schedule("once", Trigger.at(Instant.parse("2026-01-05T10:15:00Z"))).build());
    scheduling.add(schedule("next-nine", Trigger.parse("0 9 * * *", false)).build());
    scheduler.advance(Duration.ofDays(3));
    assertThat(scheduling.fires("once")).extracting(ScheduleFire::fireTime)
        .containsExactly(Instant.parse("2026-01-05T10:15:00Z"));
    assertThat(scheduling.fires("next-nine")).extracting(ScheduleFire::fireTime)
        .containsExactly(Instant.parse("2026-01-05T09:00:00Z"));
    assertThat(scheduling.find("once").orElseThrow().nextFire()).isNull();
    assertThat(runs()).hasSize(2);
  }

  @Test
  void pauseStopsFiresAndResumeAppliesTheMisfirePolicy() {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).misfire(MisfirePolicy.skip()).build());
    scheduler.advance(Duration.ofMinutes(90)); // fires 01:00
    scheduling.pause("hourly");
    scheduling.pause("hourly"); // idempotent
    assertThat(scheduling.find("hourly").orElseThrow().nextFire()).isNull();
    scheduler.advance(Duration.ofHours(3)); // 02:00, 03:00, 04:00 pass while paused
    assertThat(runs()).hasSize(1);
    scheduling.resume("hourly"); // at 04:30
    assertThat(events.events(ScheduleMisfiredEvent.class)).extracting(ScheduleMisfiredEvent::fireTime)
        .containsExactly(Instant.parse("2026-01-05T02:00:00Z"), Instant.parse("2026-01-05T03:00:00Z"),
            Instant.parse("2026-01-05T04:00:00Z"));
    scheduler.advance(Duration.ofMinutes(30)); // 05:00 fires again
    assertThat(runs()).hasSize(2);
    assertThat(scheduling.fires("hourly")).extracting(ScheduleFire::outcome).containsExactly(
        ScheduleFire.Outcome.STARTED, ScheduleFire.Outcome.SKIPPED, ScheduleFire.Outcome.SKIPPED,
        ScheduleFire.Outcome.SKIPPED, ScheduleFire.Outcome.STARTED);
  }

  @Test
  void aScheduleAddedPausedDoesNotFireAndRemoveForgetsIt() {
    Scheduling scheduling = service();
    scheduling.add(schedule("paused", Trigger.cron("0 * * * *")).paused(true).build());
    scheduling.add(schedule("gone", Trigger.cron("0 * * * *")).build());
    assertThat(scheduling.remove("gone")).isTrue();
    assertThat(scheduling.remove("gone")).isFalse();
    scheduler.advance(Duration.ofHours(5));
    assertThat(runs()).isEmpty();
    assertThat(scheduling.list()).extracting(s -> s.schedule().id()).containsExactly("paused");
  }

  @Test
  void schedulesSurviveARestartOfTheService() {
    Scheduling first = service();
    first.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    scheduler.advance(Duration.ofHours(2));
    first.close();
    first.close(); // idempotent
    assertThatThrownBy(() -> first.add(schedule("late", Trigger.cron("0 * * * *")).build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    Scheduling second = service(); // at 02:00, right after the 02:00 fire: nothing is missed
    assertThat(second.list()).hasSize(1);
    scheduler.advance(Duration.ofHours(2));
    assertThat(second.fires("hourly")).extracting(ScheduleFire::fireTime).containsExactly(
        Instant.parse("2026-01-05T01:00:00Z"), Instant.parse("2026-01-05T02:00:00Z"),
        Instant.parse("2026-01-05T03:00:00Z"), Instant.parse("2026-01-05T04:00:00Z"));
    assertThat(events.events(ScheduleMisfiredEvent.class)).isEmpty();
    assertThat(runs()).hasSize(4);
  }

  @Test
  void twoServicesOnOneStoreFireEachOccurrenceOnce() {
    Scheduling a = service();
    Scheduling b = service();
    a.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    b.add(schedule("quarterly", Trigger.cron("0 */15 * * * ?")).build());
    scheduler.advance(Duration.ofHours(6)); // b learns of "hourly" and a of "quarterly" at their first refresh
    assertThat(a.fires("hourly")).hasSize(6);
    assertThat(a.fires("quarterly")).hasSize(24);
    assertThat(runs()).hasSize(30);
    assertThat(events.events(ScheduleFiredEvent.class)).hasSize(30);
    // A pause through one service holds the other too.
    b.pause("hourly");
    scheduler.advance(Duration.ofHours(2));
    assertThat(a.fires("hourly")).hasSize(6);
  }

  @Test
  void aClaimSucceedsExactlyOnceUnderContention() throws Exception {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    Instant fire = Instant.parse("2026-01-05T01:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        claims.add(pool.submit(() -> {
          go.await();
          return scheduleStore.claimFire("hourly", fire, fire);
        }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> c : claims) {
        won += c.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    // The service finds the fire claimed and does not run it again.
    scheduler.advance(Duration.ofHours(1));
    assertThat(runs()).isEmpty();
    assertThat(scheduleStore.claimFire("nope", fire, fire)).isFalse();
  }

  @Test
  void aFireClaimedByAProcessThatStoppedIsReportedLostOnce() {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    Instant first = Instant.parse("2026-01-05T01:00:00Z");
    // Another process claimed the 01:00 fire and stopped before it submitted the run.
    assertThat(scheduleStore.claimFire("hourly", first, first)).isTrue();
    scheduler.advance(Duration.ofHours(1));
    assertThat(runs()).isEmpty();
    assertThat(events.events(ScheduleMisfiredEvent.class)).isEmpty(); // a fresh claim may still be starting its run

    scheduler.advance(Duration.ofHours(1));
    List<ScheduleFire> fires = scheduling.fires("hourly");
    assertThat(fires).extracting(ScheduleFire::outcome)
        .containsExactly(ScheduleFire.Outcome.FAILED, ScheduleFire.Outcome.STARTED);
    assertThat(fires.get(0).detail()).contains("lost", "stopped before it started the run");
    assertThat(runs()).hasSize(1); // the lost fire is reported, not run late behind its claimer's back
    ScheduleMisfiredEvent lost = events.events(ScheduleMisfiredEvent.class).get(0);
    assertThat(lost.fireTime()).isEqualTo(first);
    assertThat(lost.reason()).contains("lost");

    scheduler.advance(Duration.ofHours(1));
    assertThat(events.events(ScheduleMisfiredEvent.class)).hasSize(1);
  }

  @Test
  void rejectsBadSchedulesWithTheFix() {
    Scheduling scheduling = service();
    scheduling.add(schedule("daily", Trigger.cron("0 9 * * *")).build());
    assertThatThrownBy(() -> scheduling.add(schedule("daily", Trigger.cron("0 9 * * *")).build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'daily' exists already");
    assertThatThrownBy(() -> scheduling.add(Schedule.builder().id("bare").project(PROJECT).workflow(REPORT)
        .trigger(Trigger.cron("0 9 * * *")).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[topic]");
    assertThatThrownBy(() -> scheduling.add(schedule("past", Trigger.at(clock.instant())).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pick a later instant");
    assertThatThrownBy(() -> scheduling.add(schedule("bad", Trigger.cron("0 25 * * *")).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0 25 * * *'");
    assertThatThrownBy(() -> scheduling.pause("nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no schedule 'nope'");
    assertThatThrownBy(() -> Schedule.builder().id("bad id!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad id!'");
    assertThatThrownBy(() -> Schedule.builder().project(PROJECT).workflow(REPORT).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("trigger(");
  }

  @Test
  void aFireWhoseRunCannotBeSubmittedIsRecordedAsFailed() {
    Scheduling scheduling = service();
    Workflow elsewhere = Workflow.builder("elsewhere").task("t", t -> t.instructions("x").providers("gemini"))
        .build();
    scheduling.add(Schedule.builder().id("broken").project(PROJECT).workflow(elsewhere)
        .trigger(Trigger.cron("0 * * * *")).zone(ZoneOffset.UTC).build());
    scheduler.advance(Duration.ofHours(1));
    assertThat(scheduling.fires("broken")).singleElement().satisfies(f -> {
      assertThat(f.outcome()).isEqualTo(ScheduleFire.Outcome.FAILED);
      assertThat(f.detail()).contains("gemini");
    });
    assertThat(events.events(ScheduleMisfiredEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("could not be submitted"));
    scheduler.advance(Duration.ofHours(1)); // it keeps its schedule
    assertThat(scheduling.fires("broken")).hasSize(2);
  }

  @Nested
  class MisfiresOfAnEveryMinuteSchedule {
    @Test
    void runOnceStartsOneRunAfterAnOutageEvenWhenTheLatestFireIsOnTime() {
      Scheduling first = service();
      first.add(schedule("minutely", Trigger.cron("* * * * *")).build());
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(runs()).hasSize(5);
      first.close();
      // Down from 00:05 to 00:15:30: 00:06 to 00:14 are missed, 00:15 is 30 s old (within the minute's threshold).
      scheduler.advance(Duration.ofSeconds(10 * 60 + 30));
      events.clear();
      Scheduling second = service();
      assertThat(runs()).as("one run for the whole outage, as Quartz's fire-once-now").hasSize(6);
      assertThat(events.events(ScheduleFiredEvent.class)).singleElement()
          .extracting(ScheduleFiredEvent::fireTime).isEqualTo(Instant.parse("2026-01-05T00:15:00Z"));
      assertThat(second.fires("minutely").stream().filter(f -> f.outcome() == ScheduleFire.Outcome.SKIPPED))
          .hasSize(9).allSatisfy(f -> assertThat(f.detail()).contains("only the latest fire due, at "
              + "2026-01-05T00:15:00Z"));
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(runs()).hasSize(7); // 00:16 on time
    }
  }

  @Test
  void aStoredScheduleThatCannotComputeItsTimesNeverStopsTheOthers() {
    Scheduling scheduling = service();
    scheduling.add(schedule("hourly", Trigger.cron("0 * * * *")).build());
    // As an older version could have saved it: classic cron has no wrap-around ranges.
    var hourly = scheduleStore.find("hourly").orElseThrow();
    scheduleStore.save(hourly.toBuilder().id("broken").project(PROJECT).trigger(Trigger.cron("0 22-2 * * *"))
        .zone(ZoneOffset.UTC).paused(false).build());
    scheduling.refresh();
    scheduler.advance(Duration.ofHours(3));
    assertThat(scheduling.fires("hourly")).hasSize(3);
    assertThat(scheduling.fires("broken")).isEmpty();
    assertThat(scheduling.list()).extracting(x -> x.schedule().id()).containsExactly("broken", "hourly");
    ScheduleStatus broken = scheduling.find("broken").orElseThrow();
    assertThat(broken.nextFire()).isNull();
    assertThat(broken.problem()).contains("'0 22-2 * * *' is not valid UNIX cron", "22-23,0-2",
        "remove the schedule and add it again");
    assertThat(scheduling.find("hourly").orElseThrow().problem()).isNull();
    // Tried once, not again and again: nothing of it is left waiting on the scheduler beyond the hourly fire.
    assertThat(scheduler.pending()).isLessThanOrEqualTo(2); // the hourly fire and the refresh
  }

  @Nested
  class MisfiresAfterAThreeHourOutage {
    /** Adds an hourly schedule at 00:00, runs to 10:30, closes the service, and starts another at 13:30. */
    private Scheduling outage(MisfirePolicy policy) {
      Scheduling first = service();
      first.add(schedule("hourly", Trigger.cron("0 * * * *")).misfire(policy).build());
      scheduler.advance(Duration.ofMinutes(10 * 60 + 30));
      assertThat(runs()).hasSize(10);
      first.close();
      scheduler.advance(Duration.ofHours(3)); // 11:00, 12:00 and 13:00 are missed
      events.clear();
      return service();
    }

    private List<Instant> firesOf(ScheduleFire.Outcome outcome, Scheduling s) {
      return s.fires("hourly").stream().filter(f -> f.outcome() == outcome).map(ScheduleFire::fireTime).toList();
    }

    @Test
    void skipRunsNoneAndReportsEach() {
      Scheduling second = outage(MisfirePolicy.skip());
      assertThat(runs()).hasSize(10);
      assertThat(events.events(ScheduleMisfiredEvent.class)).hasSize(3).allSatisfy(e -> {
        assertThat(e.policy()).isEqualTo(MisfirePolicy.Kind.SKIP);
        assertThat(e.at()).isEqualTo(Instant.parse("2026-01-05T13:30:00Z"));
        assertThat(e.project()).isEqualTo(PROJECT);
        assertThat(e.runId()).isEmpty();
      }).extracting(ScheduleMisfiredEvent::fireTime).containsExactly(Instant.parse("2026-01-05T11:00:00Z"),
          Instant.parse("2026-01-05T12:00:00Z"), Instant.parse("2026-01-05T13:00:00Z"));
      scheduler.advance(Duration.ofMinutes(30));
      assertThat(runs()).hasSize(11); // 14:00 runs on time
    }

    @Test
    void runOnceRunsTheLatestOnce() {
      Scheduling second = outage(MisfirePolicy.runOnce());
      assertThat(runs()).hasSize(11);
      assertThat(firesOf(ScheduleFire.Outcome.STARTED, second)).contains(Instant.parse("2026-01-05T13:00:00Z"))
          .doesNotContain(Instant.parse("2026-01-05T11:00:00Z"), Instant.parse("2026-01-05T12:00:00Z"));
      assertThat(firesOf(ScheduleFire.Outcome.SKIPPED, second))
          .containsExactly(Instant.parse("2026-01-05T11:00:00Z"), Instant.parse("2026-01-05T12:00:00Z"));
      ScheduleFiredEvent fired = events.events(ScheduleFiredEvent.class).get(0);
      assertThat(fired.fireTime()).isEqualTo(Instant.parse("2026-01-05T13:00:00Z"));
      assertThat(fired.at()).isEqualTo(Instant.parse("2026-01-05T13:30:00Z"));
      assertThat(events.events(ScheduleMisfiredEvent.class)).hasSize(2);
    }

    @Test
    void runAllRunsEachWithinTheWindow() {
      Scheduling second = outage(MisfirePolicy.runAll(Duration.ofHours(2)));
      assertThat(runs()).hasSize(12); // 12:00 (90 min ago) and 13:00; 11:00 is 150 min old
      assertThat(firesOf(ScheduleFire.Outcome.SKIPPED, second)).containsExactly(Instant.parse("2026-01-05T11:00:00Z"));
      assertThat(events.events(ScheduleFiredEvent.class)).extracting(ScheduleFiredEvent::fireTime)
          .containsExactly(Instant.parse("2026-01-05T12:00:00Z"), Instant.parse("2026-01-05T13:00:00Z"));
    }

    @Test
    void runAllWithAWideWindowRunsEveryMissedFire() {
      outage(MisfirePolicy.runAll(Duration.ofHours(6)));
      assertThat(runs()).hasSize(13);
      assertThat(events.events(ScheduleMisfiredEvent.class)).isEmpty();
    }
  }
}
