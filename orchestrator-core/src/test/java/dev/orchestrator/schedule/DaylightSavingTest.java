package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.InMemoryScheduleStore;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both daylight-saving transitions in two zones, through the running service on virtual time: a local time in the
 * spring-forward gap runs once at the shifted instant; a local time in the repeated autumn hour runs once.
 */
class DaylightSavingTest {
  private static final Workflow JOB = Workflow.builder("job").task("t", t -> t.instructions("go")).build();

  /** Runs a daily cron in a zone over three days from {@code start}; returns when its runs were submitted. */
  private static List<Instant> runsOver3Days(String zone, String cron, String start) {
    MutableClock clock = MutableClock.at(Instant.parse(start), ZoneId.of(zone));
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
        .executor(Runnable::run).provider(FakeProvider.echo("claude")).build();
        Scheduling scheduling = Scheduling.builder().orchestrator(orchestrator)
            .store(InMemoryScheduleStore.create()).clock(clock).scheduler(scheduler).refreshInterval(Duration.ZERO)
            .build()) {
      scheduling.add(Schedule.builder().id("dst").project("p").workflow(JOB).trigger(Trigger.cron(cron))
          .zone(ZoneId.of(zone)).build());
      scheduler.advance(Duration.ofDays(3));
      List<Instant> submitted = orchestrator.runs("p").stream().map(RunRecord::submittedAt).toList();
      assertThat(scheduling.fires("dst")).extracting(ScheduleFire::fireTime).isEqualTo(submitted);
      return submitted;
    }
  }

  @ParameterizedTest(name = "{0} {1} from {2}")
  @CsvSource({
      // Spring forward: 02:30 does not exist that night and runs at 03:30 local, once.
      "Europe/Paris,      30 2 * * *,     2026-03-28T00:00:00Z, 2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z, 2026-03-30T00:30:00Z",
      "America/New_York,  0 30 2 ? * *,   2026-03-07T00:00:00Z, 2026-03-07T07:30:00Z, 2026-03-08T07:30:00Z, 2026-03-09T06:30:00Z",
      // Fall back: 02:30 (Paris) and 01:30 (New York) happen twice that night and run at the first, once.
      "Europe/Paris,      30 2 * * *,     2026-10-24T00:00:00Z, 2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z",
      "America/New_York,  30 1 * * *,     2026-10-31T00:00:00Z, 2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z",
  })
  void aDailyTimeRunsOnceEachDayAcrossTheTransition(String zone, String cron, String start, String first,
      String second, String third) {
    assertThat(runsOver3Days(zone.trim(), cron.trim(), start.trim()))
        .containsExactly(Instant.parse(first.trim()), Instant.parse(second.trim()), Instant.parse(third.trim()));
  }

  @ParameterizedTest(name = "{0} hourly from {1}")
  @CsvSource({
      // 72 hours of elapsed time. Spring: the missing 02:00 shifts onto 03:00, which fires once, so 72 fires.
      // Autumn: the repeated hour fires in its first pass only, so 71 fires.
      "Europe/Paris,     2026-03-28T00:00:00Z, 72",
      "America/New_York, 2026-03-07T06:00:00Z, 72",
      "Europe/Paris,     2026-10-24T00:00:00Z, 71",
      "America/New_York, 2026-10-31T05:00:00Z, 71",
  })
  void anHourlyCronFiresOncePerLocalHour(String zone, String start, int expected) {
    List<Instant> runs = runsOver3Days(zone.trim(), "0 * * * *", start.trim());
    assertThat(runs).doesNotHaveDuplicates().isSorted();
    assertThat(runs).hasSize(expected);
  }
}
