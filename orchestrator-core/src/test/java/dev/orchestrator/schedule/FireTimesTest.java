package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.schedule.Scheduling;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next fire times of both cron syntaxes across zones, and the daylight-saving rules, without any service. */
class FireTimesTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  private static List<Instant> times(String cron, ZoneId zone, String after, int count) {
    return Scheduling.fireTimes(Trigger.cron(cron), zone, Instant.parse(after), count);
  }

  private static List<Instant> instants(String... texts) {
    return java.util.Arrays.stream(texts).map(Instant::parse).toList();
  }

  @Test
  void unixAndQuartzSyntaxesGiveTheSameTimes() {
    List<Instant> unix = times("0 9 * * 1-5", PARIS, "2026-01-01T00:00:00Z", 5);
    List<Instant> quartz = times("0 0 9 ? * MON-FRI", PARIS, "2026-01-01T00:00:00Z", 5);
    // 2026-01-01 is a Thursday; Paris is UTC+1 in winter.
    assertThat(unix).isEqualTo(instants("2026-01-01T08:00:00Z", "2026-01-02T08:00:00Z", "2026-01-05T08:00:00Z",
        "2026-01-06T08:00:00Z", "2026-01-07T08:00:00Z"));
    assertThat(quartz).isEqualTo(unix);
  }

  @Test
  void quartzSecondsAndYearsWork() {
    assertThat(times("30 15 10 * * ? 2026", TOKYO, "2026-12-30T00:00:00Z", 5))
        .isEqualTo(instants("2026-12-30T01:15:30Z", "2026-12-31T01:15:30Z"));
  }

  @Test
  void theSameCronFiresAtEachZonesLocalTime() {
    String after = "2026-06-01T00:00:00Z";
    assertThat(times("0 9 * * *", PARIS, after, 1)).containsExactly(Instant.parse("2026-06-01T07:00:00Z"));
    assertThat(times("0 9 * * *", NEW_YORK, after, 1)).containsExactly(Instant.parse("2026-06-01T13:00:00Z"));
    assertThat(times("0 9 * * *", TOKYO, after, 1)).containsExactly(Instant.parse("2026-06-02T00:00:00Z"));
    assertThat(times("0 9 * * *", ZoneId.of("UTC"), after, 1)).containsExactly(Instant.parse("2026-06-01T09:00:00Z"));
  }

  @Test
  void firesAreStrictlyAfterTheGivenInstant() {
    assertThat(times("0 9 * * *", ZoneId.of("UTC"), "2026-06-01T09:00:00Z", 1))
        .containsExactly(Instant.parse("2026-06-02T09:00:00Z"));
  }

  @Test
  void parisSpringGapRunsAtTheShiftedInstantOnce() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and runs at 03:30 CEST (01:30Z).
    assertThat(times("30 2 * * *", PARIS, "2026-03-28T00:00:00Z", 3))
        .isEqualTo(instants("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"));
    // Hourly: 02:00 shifts onto 03:00, which fires once; the day has 23 fires.
    List<Instant> hourly = times("0 * * * *", PARIS, "2026-03-28T22:59:00Z", 30);
    assertThat(hourly.stream().filter(i -> i.isBefore(Instant.parse("2026-03-29T22:00:00Z")))).hasSize(23);
    assertThat(hourly).contains(Instant.parse("2026-03-29T01:00:00Z")).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void parisAutumnRepeatRunsOnce() {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30Z and 01:30Z and runs at the first.
    assertThat(times("30 2 * * *", PARIS, "2026-10-24T12:00:00Z", 2))
        .isEqualTo(instants("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"));
    List<Instant> hourly = times("0 * * * *", PARIS, "2026-10-24T21:59:00Z", 24);
    assertThat(hourly).hasSize(24).doesNotHaveDuplicates().isSorted()
        .contains(Instant.parse("2026-10-25T00:00:00Z")) // 02:00 CEST
        .doesNotContain(Instant.parse("2026-10-25T01:00:00Z")) // 02:00 CET, the repeat
        .last().isEqualTo(Instant.parse("2026-10-25T22:00:00Z")); // 23:00 CET
  }

  @Test
  void newYorkSpringGapRunsAtTheShiftedInstantOnce() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 runs at 03:30 EDT (07:30Z).
    assertThat(times("30 2 * * *", NEW_YORK, "2026-03-07T00:00:00Z", 3))
        .isEqualTo(instants("2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"));
    assertThat(Scheduling.fireTimes(Trigger.cron("0 0 2 ? * *"), NEW_YORK, Instant.parse("2026-03-08T05:00:00Z"), 1))
        .containsExactly(Instant.parse("2026-03-08T07:00:00Z"));
  }

  @Test
  void newYorkAutumnRepeatRunsOnce() {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and 06:30Z and runs at the first.
    assertThat(times("30 1 * * *", NEW_YORK, "2026-10-31T12:00:00Z", 2))
        .isEqualTo(instants("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"));
    // Asked from inside the repeated hour, after its first 01:30, the next is the next day's.
    assertThat(times("30 1 * * *", NEW_YORK, "2026-11-01T06:10:00Z", 1))
        .containsExactly(Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void aGapTimeIsFoundWhenAskedFromJustAfterTheJump() {
    // 03:10 CEST (01:10Z): the shifted 02:30 (03:30 CEST) is still ahead.
    assertThat(times("30 2 * * *", PARIS, "2026-03-29T01:10:00Z", 1))
        .containsExactly(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void oneTimeAndNonRepeatingTriggersFireOnce() {
    Instant at = Instant.parse("2026-05-01T07:00:00Z");
    assertThat(Scheduling.fireTimes(Trigger.at(at), PARIS, Instant.parse("2026-04-01T00:00:00Z"), 3))
        .containsExactly(at);
    assertThat(Scheduling.fireTimes(Trigger.cron("0 9 * * *", false), PARIS, Instant.parse("2026-06-01T00:00:00Z"),
        3)).containsExactly(Instant.parse("2026-06-01T07:00:00Z"));
    assertThat(Trigger.parse("0 9 * * *", true)).isEqualTo(Trigger.cron("0 9 * * *"));
    assertThat(Trigger.parse("2026-05-01T07:00:00Z", false)).isEqualTo(Trigger.at(at));
  }

  @Test
  void badExpressionsAreRejectedWithTheFix() {
    assertThatThrownBy(() -> Trigger.cron("0 9 * *"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0 9 * *' has 4 fields")
        .hasMessageContaining("write 5");
    assertThatThrownBy(() -> times("61 9 * * *", PARIS, "2026-01-01T00:00:00Z", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'61 9 * * *' is not valid UNIX cron")
        .hasMessageContaining("the minute field has 61, out of its range 0-59");
    assertThatThrownBy(() -> times("0 0 9 * * *", PARIS, "2026-01-01T00:00:00Z", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("with '?' in day-of-month");
    // Quartz reads an empty list item and then fails when it computes a time: refused when it is read.
    assertThatThrownBy(() -> times(", * * ? * *", PARIS, "2026-01-01T00:00:00Z", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 1 ',' has an empty list item");
    assertThatThrownBy(() -> times("0 0 12 1,,2 * ?", PARIS, "2026-01-01T00:00:00Z", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 4 '1,,2' has an empty list item");
    assertThatThrownBy(() -> Trigger.parse("2026-05-01T07:00:00Z", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot repeat");
    assertThatThrownBy(() -> MisfirePolicy.runAll(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window must be positive");
  }
}
