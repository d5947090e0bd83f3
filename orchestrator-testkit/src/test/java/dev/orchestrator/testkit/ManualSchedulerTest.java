package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void runsWorkInDueOrderWithTheClockAtEachDueTime() {
    Instant start = clock.instant();
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("b@" + Duration.between(start, clock.instant()).toMinutes()), Duration.ofMinutes(2));
    scheduler.schedule(() -> ran.add("a@" + Duration.between(start, clock.instant()).toMinutes()), Duration.ofMinutes(1));
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(ran).containsExactly("a@1");
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(ran).containsExactly("a@1", "b@2");
    assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(6)));
  }

  @Test
  void workScheduledByWorkRunsWhenDue() {
    List<Integer> ran = new ArrayList<>();
    scheduler.schedule(() -> {
      ran.add(1);
      scheduler.schedule(() -> ran.add(2), Duration.ofSeconds(10));
    }, Duration.ofSeconds(10));
    scheduler.advance(Duration.ofSeconds(15));
    assertThat(ran).containsExactly(1);
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly(1, 2);
  }

  @Test
  void cancelledWorkNeverRuns() {
    List<Integer> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add(1), Duration.ofSeconds(1)).cancel();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void runUntilIdleStopsAtTheLimit() {
    List<Integer> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add(1), Duration.ofHours(1));
    scheduler.schedule(() -> ran.add(2), Duration.ofHours(3));
    assertThat(scheduler.runUntilIdle(Duration.ofHours(2))).isEqualTo(Duration.ofHours(1));
    assertThat(ran).containsExactly(1);
  }
}
