package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleValuesTest {
  private static final Workflow W = Workflow.builder("w").task("a", t -> t.instructions("A")).build();

  private static Schedule.Builder daily() {
    return Schedule.builder().id("daily").project("blog").workflow(W).trigger(Trigger.cron("0 9 * * *"));
  }

  @Test
  void aScheduleKeepsItsParamsInOrderAndPausingKeepsTheRest() {
    Schedule s = daily().param("b", "2").param("a", "1").build();
    assertThat(s.params().keySet()).containsExactly("b", "a");
    assertThat(s.misfire()).isEqualTo(MisfirePolicy.runOnce());
    Schedule paused = s.withPaused(true);
    assertThat(paused.paused()).isTrue();
    assertThat(paused.withPaused(false)).isEqualTo(s);
    assertThat(Schedule.builder().project("blog").workflow(W).trigger(Trigger.cron("0 9 * * *")).build().id())
        .as("a random UUID").hasSize(36);
  }

  @Test
  void badValuesAreRefusedWhenSet() {
    assertThatThrownBy(() -> Schedule.builder().id("-x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schedule id must be 1 to 100 letters").hasMessageContaining("(was '-x')");
    assertThatThrownBy(() -> Schedule.builder().project("/etc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(was '/etc')");
    assertThatThrownBy(() -> Schedule.builder().param(" ", "v")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> Schedule.builder().params(java.util.Collections.singletonMap("topic", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter 'topic'");
    assertThatThrownBy(() -> Schedule.builder().project("blog").workflow(W).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a trigger");
  }

  @Test
  void aStartedFireNamesItsRun() {
    Instant t = Instant.parse("2026-01-01T09:00:00Z");
    ScheduleFire started = ScheduleFire.started("daily", t, "run-1", t);
    assertThat(started.detail()).isEmpty();
    assertThat(ScheduleFire.builder().scheduleId("daily").fireTime(t).outcome(ScheduleFire.Outcome.STARTED)
        .runId("run-1").recordedAt(t).build()).isEqualTo(started);
    assertThatThrownBy(() -> started.toBuilder().runId(null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a STARTED fire of schedule 'daily' at 2026-01-01T09:00:00Z needs the id of the run it started: "
            + "call runId(...)");
    assertThatThrownBy(() -> ScheduleFire.builder().scheduleId("daily").outcome(ScheduleFire.Outcome.SKIPPED)
        .recordedAt(t).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("fireTime=null");
  }

  @Test
  void aStatusNeedsItsScheduleAndAProblemSaysSomething() {
    Schedule s = daily().build();
    assertThat(ScheduleStatus.of(s, null, null).problem()).isNull();
    assertThatThrownBy(() -> ScheduleStatus.builder().problem(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("problem must not be blank");
    assertThatThrownBy(() -> ScheduleStatus.builder().nextFire(Instant.EPOCH).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("call schedule(...)");
    assertThat(ScheduleStatus.builder().schedule(s).problem("bad cron").build())
        .isNotEqualTo(ScheduleStatus.of(s, null, null));
  }
}
