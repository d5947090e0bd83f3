package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.InMemoryScheduleStore;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of both cron syntaxes, pinned on the calendar of 2027 in Paris: Quartz expressions read as Quartz's
 * {@code CronExpression} reads them (W, L and their lists, wrap-around ranges), Unix expressions as classic cron
 * reads them (the day-of-month / day-of-week rule, 0 and 7 for Sunday, names, macros), what each syntax refuses and
 * the fix its message gives, and expressions that can never fire.
 *
 * <p>Expected times are local date-times in Paris, worked out from the 2027 calendar (January 1st is a Friday;
 * summer time starts on March 28th and ends on October 31st) and turned into instants with
 * {@link LocalDateTime#atZone}: a local time in the spring gap moves later by the gap, a repeated autumn local time
 * takes its first occurrence, which is how fires are placed across daylight-saving transitions.
 */
class CronRulesTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  /** One second before 2027 starts in Paris, so that a fire at 2027-01-01T00:00 is the first one. */
  private static final String START = "2026-12-31T23:59:59";

  private static Instant paris(String local) {
    return LocalDateTime.parse(local).atZone(PARIS).toInstant();
  }

  private static List<Instant> paris(List<String> locals) {
    return locals.stream().map(CronRulesTest::paris).toList();
  }

  private static List<String> local(List<Instant> instants) {
    return instants.stream().map(i -> LocalDateTime.ofInstant(i, PARIS).toString()).toList();
  }

  /** The local date-times of {@code dates} at {@code time}. */
  private static List<String> days(String time, String... dates) {
    return Arrays.stream(dates).map(d -> d + "T" + time).toList();
  }

  private static List<Instant> fires(String cron, String afterLocal, int count) {
    return Scheduling.fireTimes(Trigger.cron(cron), PARIS, paris(afterLocal), count);
  }

  // ------------------------------------------------------------------ every fire of 2027

  static Stream<Arguments> wholeYear() {
    return Stream.of(
        // Quartz. The 31sts of 2027: Jan Sun, Mar Wed, May Mon, Jul Sat, Aug Tue, Oct Sun, Dec Fri. W stays in the
        // month: a Sunday 31st moves back to Friday the 29th, a Saturday 31st to Friday the 30th.
        arguments("0 0 12 31W * ?", "the weekday nearest the 31st, in the months that have one",
            days("12:00", "2027-01-29", "2027-03-31", "2027-05-31", "2027-07-30", "2027-08-31", "2027-10-29",
                "2027-12-31"),
            "2028-01-31T12:00"), // 2028-01-31 is a Monday
        arguments("0 0 0 1 NOV-FEB ?", "a month range that wraps around the year",
            days("00:00", "2027-01-01", "2027-02-01", "2027-11-01", "2027-12-01"),
            "2028-01-01T00:00"),
        arguments("0 0 0 1,L * ?", "the first and the last day of each month",
            days("00:00", "2027-01-01", "2027-01-31", "2027-02-01", "2027-02-28", "2027-03-01", "2027-03-31",
                "2027-04-01", "2027-04-30", "2027-05-01", "2027-05-31", "2027-06-01", "2027-06-30", "2027-07-01",
                "2027-07-31", "2027-08-01", "2027-08-31", "2027-09-01", "2027-09-30", "2027-10-01", "2027-10-31",
                "2027-11-01", "2027-11-30", "2027-12-01", "2027-12-31"),
            "2028-01-01T00:00"),
        arguments("0 0 0 L,15 * ?", "the 15th and the last day of each month",
            days("00:00", "2027-01-15", "2027-01-31", "2027-02-15", "2027-02-28", "2027-03-15", "2027-03-31",
                "2027-04-15", "2027-04-30", "2027-05-15", "2027-05-31", "2027-06-15", "2027-06-30", "2027-07-15",
                "2027-07-31", "2027-08-15", "2027-08-31", "2027-09-15", "2027-09-30", "2027-10-15", "2027-10-31",
                "2027-11-15", "2027-11-30", "2027-12-15", "2027-12-31"),
            "2028-01-15T00:00"),
        // Last days on a weekend in 2027: Jan 31 Sun -> 29, Feb 28 Sun -> 26, Jul 31 Sat -> 30, Oct 31 Sun -> 29.
        arguments("0 0 0 LW,15 * ?", "the 15th and the last weekday of each month",
            days("00:00", "2027-01-15", "2027-01-29", "2027-02-15", "2027-02-26", "2027-03-15", "2027-03-31",
                "2027-04-15", "2027-04-30", "2027-05-15", "2027-05-31", "2027-06-15", "2027-06-30", "2027-07-15",
                "2027-07-30", "2027-08-15", "2027-08-31", "2027-09-15", "2027-09-30", "2027-10-15", "2027-10-29",
                "2027-11-15", "2027-11-30", "2027-12-15", "2027-12-31"),
            "2028-01-15T00:00"),
        // 15ths on a weekend in 2027: May 15 Sat -> Fri 14, Aug 15 Sun -> Mon 16; 2028-01-15 is a Saturday.
        arguments("0 0 0 15W,20 * ?", "the weekday nearest the 15th, and the 20th",
            days("00:00", "2027-01-15", "2027-01-20", "2027-02-15", "2027-02-20", "2027-03-15", "2027-03-20",
                "2027-04-15", "2027-04-20", "2027-05-14", "2027-05-20", "2027-06-15", "2027-06-20", "2027-07-15",
                "2027-07-20", "2027-08-16", "2027-08-20", "2027-09-15", "2027-09-20", "2027-10-15", "2027-10-20",
                "2027-11-15", "2027-11-20", "2027-12-15", "2027-12-20"),
            "2028-01-14T00:00"),

        // Unix. Day-of-month starts with '*': a day must match both fields, so odd days that are Mondays.
        arguments("0 0 */2 * 1", "odd days of the month that are Mondays",
            days("00:00", "2027-01-11", "2027-01-25", "2027-02-01", "2027-02-15", "2027-03-01", "2027-03-15",
                "2027-03-29", "2027-04-05", "2027-04-19", "2027-05-03", "2027-05-17", "2027-05-31", "2027-06-07",
                "2027-06-21", "2027-07-05", "2027-07-19", "2027-08-09", "2027-08-23", "2027-09-13", "2027-09-27",
                "2027-10-11", "2027-10-25", "2027-11-01", "2027-11-15", "2027-11-29", "2027-12-13", "2027-12-27"),
            "2028-01-03T00:00"),
        // Both day fields restricted: a day matching either fires.
        arguments("0 0 1,15 * 1", "the 1st, the 15th and every Monday",
            days("00:00",
                "2027-01-01", "2027-01-04", "2027-01-11", "2027-01-15", "2027-01-18", "2027-01-25",
                "2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22",
                "2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29",
                "2027-04-01", "2027-04-05", "2027-04-12", "2027-04-15", "2027-04-19", "2027-04-26",
                "2027-05-01", "2027-05-03", "2027-05-10", "2027-05-15", "2027-05-17", "2027-05-24", "2027-05-31",
                "2027-06-01", "2027-06-07", "2027-06-14", "2027-06-15", "2027-06-21", "2027-06-28",
                "2027-07-01", "2027-07-05", "2027-07-12", "2027-07-15", "2027-07-19", "2027-07-26",
                "2027-08-01", "2027-08-02", "2027-08-09", "2027-08-15", "2027-08-16", "2027-08-23", "2027-08-30",
                "2027-09-01", "2027-09-06", "2027-09-13", "2027-09-15", "2027-09-20", "2027-09-27",
                "2027-10-01", "2027-10-04", "2027-10-11", "2027-10-15", "2027-10-18", "2027-10-25",
                "2027-11-01", "2027-11-08", "2027-11-15", "2027-11-22", "2027-11-29",
                "2027-12-01", "2027-12-06", "2027-12-13", "2027-12-15", "2027-12-20", "2027-12-27"),
            "2028-01-01T00:00"),
        arguments("0 0 * * 1", "every Monday",
            days("00:00",
                "2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25",
                "2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22",
                "2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29",
                "2027-04-05", "2027-04-12", "2027-04-19", "2027-04-26",
                "2027-05-03", "2027-05-10", "2027-05-17", "2027-05-24", "2027-05-31",
                "2027-06-07", "2027-06-14", "2027-06-21", "2027-06-28",
                "2027-07-05", "2027-07-12", "2027-07-19", "2027-07-26",
                "2027-08-02", "2027-08-09", "2027-08-16", "2027-08-23", "2027-08-30",
                "2027-09-06", "2027-09-13", "2027-09-20", "2027-09-27",
                "2027-10-04", "2027-10-11", "2027-10-18", "2027-10-25",
                "2027-11-01", "2027-11-08", "2027-11-15", "2027-11-22", "2027-11-29",
                "2027-12-06", "2027-12-13", "2027-12-20", "2027-12-27"),
            "2028-01-03T00:00"),
        // 2027-08-13 is a Friday the 13th: it fires once.
        arguments("0 0 13 * 5", "every 13th and every Friday",
            days("00:00",
                "2027-01-01", "2027-01-08", "2027-01-13", "2027-01-15", "2027-01-22", "2027-01-29",
                "2027-02-05", "2027-02-12", "2027-02-13", "2027-02-19", "2027-02-26",
                "2027-03-05", "2027-03-12", "2027-03-13", "2027-03-19", "2027-03-26",
                "2027-04-02", "2027-04-09", "2027-04-13", "2027-04-16", "2027-04-23", "2027-04-30",
                "2027-05-07", "2027-05-13", "2027-05-14", "2027-05-21", "2027-05-28",
                "2027-06-04", "2027-06-11", "2027-06-13", "2027-06-18", "2027-06-25",
                "2027-07-02", "2027-07-09", "2027-07-13", "2027-07-16", "2027-07-23", "2027-07-30",
                "2027-08-06", "2027-08-13", "2027-08-20", "2027-08-27",
                "2027-09-03", "2027-09-10", "2027-09-13", "2027-09-17", "2027-09-24",
                "2027-10-01", "2027-10-08", "2027-10-13", "2027-10-15", "2027-10-22", "2027-10-29",
                "2027-11-05", "2027-11-12", "2027-11-13", "2027-11-19", "2027-11-26",
                "2027-12-03", "2027-12-10", "2027-12-13", "2027-12-17", "2027-12-24", "2027-12-31"),
            "2028-01-07T00:00"),
        arguments("0 12 1 jan,Jul *", "month names in any case",
            days("12:00", "2027-01-01", "2027-07-01"),
            "2028-01-01T12:00"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("wholeYear")
  void firesExactlyAtTheseLocalTimesIn2027AndThenAtTheFirstOf2028(String cron, String rule, List<String> in2027,
      String firstOf2028) {
    List<String> expected = new ArrayList<>(in2027);
    expected.add(firstOf2028);
    List<Instant> actual = fires(cron, START, expected.size());
    assertThat(actual).as("%s (%s) fired at %s", cron, rule, local(actual)).isEqualTo(paris(expected));
  }

  // ------------------------------------------------------------------ the first fires of dense expressions

  static Stream<Arguments> firstFires() {
    return Stream.of(
        arguments("0 0 22-2 * * ?", "an hour range that wraps around midnight: 22, 23, 0, 1, 2", START,
            List.of("2027-01-01T00:00", "2027-01-01T01:00", "2027-01-01T02:00", "2027-01-01T22:00",
                "2027-01-01T23:00",
                "2027-01-02T00:00", "2027-01-02T01:00", "2027-01-02T02:00", "2027-01-02T22:00",
                "2027-01-02T23:00",
                "2027-01-03T00:00", "2027-01-03T01:00", "2027-01-03T02:00", "2027-01-03T22:00",
                "2027-01-03T23:00",
                "2027-01-04T00:00", "2027-01-04T01:00", "2027-01-04T02:00", "2027-01-04T22:00",
                "2027-01-04T23:00",
                "2027-01-05T00:00", "2027-01-05T01:00", "2027-01-05T02:00", "2027-01-05T22:00",
                "2027-01-05T23:00")),
        // The night summer time starts: 02:00 does not exist and runs at 03:00 CEST (01:00Z), once.
        arguments("0 0 22-2 * * ?", "the wrapped range across the spring gap", "2027-03-27T21:59",
            List.of("2027-03-27T22:00", "2027-03-27T23:00", "2027-03-28T00:00", "2027-03-28T01:00",
                "2027-03-28T02:00", "2027-03-28T22:00", "2027-03-28T23:00", "2027-03-29T00:00")),
        // The night summer time ends: 02:00 happens twice and runs at its first occurrence (CEST, 00:00Z) only.
        arguments("0 0 22-2 * * ?", "the wrapped range across the autumn repeat", "2027-10-30T21:59",
            List.of("2027-10-30T22:00", "2027-10-30T23:00", "2027-10-31T00:00", "2027-10-31T01:00",
                "2027-10-31T02:00", "2027-10-31T22:00", "2027-10-31T23:00", "2027-11-01T00:00")),
        arguments("0 50-10 * * * ?", "a minute range that wraps around the hour: 50..59 and 0..10", START,
            List.of("2027-01-01T00:00", "2027-01-01T00:01", "2027-01-01T00:02", "2027-01-01T00:03",
                "2027-01-01T00:04", "2027-01-01T00:05", "2027-01-01T00:06", "2027-01-01T00:07",
                "2027-01-01T00:08", "2027-01-01T00:09", "2027-01-01T00:10",
                "2027-01-01T00:50", "2027-01-01T00:51", "2027-01-01T00:52", "2027-01-01T00:53",
                "2027-01-01T00:54", "2027-01-01T00:55", "2027-01-01T00:56", "2027-01-01T00:57",
                "2027-01-01T00:58", "2027-01-01T00:59",
                "2027-01-01T01:00", "2027-01-01T01:01", "2027-01-01T01:02", "2027-01-01T01:03")),
        arguments("0 50-10 * * * ?", "the wrapped minute range from mid-hour", "2027-06-15T12:30",
            List.of("2027-06-15T12:50", "2027-06-15T12:51", "2027-06-15T12:52", "2027-06-15T12:53",
                "2027-06-15T12:54", "2027-06-15T12:55", "2027-06-15T12:56", "2027-06-15T12:57",
                "2027-06-15T12:58", "2027-06-15T12:59",
                "2027-06-15T13:00", "2027-06-15T13:01", "2027-06-15T13:02", "2027-06-15T13:03",
                "2027-06-15T13:04", "2027-06-15T13:05", "2027-06-15T13:06", "2027-06-15T13:07",
                "2027-06-15T13:08", "2027-06-15T13:09", "2027-06-15T13:10",
                "2027-06-15T13:50")),
        // 22, then 22+3 = 25 -> 1; the next, 4, is past the end of the range (2).
        arguments("0 0 22-2/3 * * ?", "a stepped wrapped range: 22 and 1", START,
            List.of("2027-01-01T01:00", "2027-01-01T22:00", "2027-01-02T01:00", "2027-01-02T22:00",
                "2027-01-03T01:00", "2027-01-03T22:00")),
        arguments("*/15 9 * * *", "a stepped star", START,
            List.of("2027-01-01T09:00", "2027-01-01T09:15", "2027-01-01T09:30", "2027-01-01T09:45",
                "2027-01-02T09:00", "2027-01-02T09:15", "2027-01-02T09:30", "2027-01-02T09:45")),
        // 1, 8, 15, 22, 29; February 2027 has no 29th.
        arguments("0 8 1-30/7 * *", "a stepped day range", START,
            List.of("2027-01-01T08:00", "2027-01-08T08:00", "2027-01-15T08:00", "2027-01-22T08:00",
                "2027-01-29T08:00", "2027-02-01T08:00", "2027-02-08T08:00", "2027-02-15T08:00",
                "2027-02-22T08:00", "2027-03-01T08:00")),
        arguments("30 9 * * 7", "7 is Sunday", START,
            List.of("2027-01-03T09:30", "2027-01-10T09:30", "2027-01-17T09:30", "2027-01-24T09:30",
                "2027-01-31T09:30")),
        arguments("0 9 * * mon-FRI", "day names in any case, in a range", START,
            List.of("2027-01-01T09:00", "2027-01-04T09:00", "2027-01-05T09:00", "2027-01-06T09:00",
                "2027-01-07T09:00", "2027-01-08T09:00", "2027-01-11T09:00")),
        arguments("0 6 * * 0,3,5", "a list of days", START,
            List.of("2027-01-01T06:00", "2027-01-03T06:00", "2027-01-06T06:00", "2027-01-08T06:00",
                "2027-01-10T06:00", "2027-01-13T06:00")));
  }

  @ParameterizedTest(name = "{0}: {1}, after {2}")
  @MethodSource("firstFires")
  void firstFiresAreExactlyTheseLocalTimes(String cron, String rule, String afterLocal, List<String> expected) {
    List<Instant> actual = fires(cron, afterLocal, expected.size());
    assertThat(actual).as("%s (%s) fired at %s", cron, rule, local(actual)).isEqualTo(paris(expected));
  }

  @Test
  void theWrappedRangesFireAtNoOtherHourOrMinute() {
    // Days of each: every fire is in the wrapped range, and (by their number) every day has all of it.
    assertThat(local(fires("0 0 22-2 * * ?", "2027-06-30T23:59:59", 50)))
        .allSatisfy(t -> assertThat(t).matches("2027-07-(0[1-9]|10)T(22|23|00|01|02):00"))
        .doesNotHaveDuplicates();
    assertThat(local(fires("0 50-10 * * * ?", "2027-06-30T23:59:59", 21 * 24 * 3)))
        .allSatisfy(t -> assertThat(t).matches("2027-07-0[1-3]T\\d\\d:(0\\d|10|5\\d)"))
        .doesNotHaveDuplicates()
        .last().isEqualTo("2027-07-03T23:59");
    assertThat(local(fires("0 0 22-2/3 * * ?", "2027-06-30T23:59:59", 20)))
        .allSatisfy(t -> assertThat(t).matches("2027-07-(0[1-9]|10)T(01|22):00"))
        .doesNotHaveDuplicates();
  }

  @Test
  void sundayIsZeroSevenOrItsNameInAnyCase() {
    List<Instant> zero = fires("30 9 * * 0", START, 10);
    assertThat(zero).hasSize(10);
    assertThat(fires("30 9 * * 7", START, 10)).isEqualTo(zero);
    assertThat(fires("30 9 * * SUN", START, 10)).isEqualTo(zero);
    assertThat(fires("30 9 * * sun", START, 10)).isEqualTo(zero);
    assertThat(fires("30 9 * * 6-7", START, 4)).isEqualTo(paris(List.of("2027-01-02T09:30", "2027-01-03T09:30",
        "2027-01-09T09:30", "2027-01-10T09:30")));
  }

  // ------------------------------------------------------------------ macros

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "@hourly,   0 * * * *",
      "@daily,    0 0 * * *",
      "@midnight, 0 0 * * *",
      "@weekly,   0 0 * * 0",
      "@monthly,  0 0 1 * *",
      "@yearly,   0 0 1 1 *",
      "@annually, 0 0 1 1 *",
  })
  void aMacroIsItsExpression(String macro, String expression) {
    assertThat(Trigger.cron(macro)).isEqualTo(Trigger.cron(expression));
    assertThat(Trigger.cron(macro).expression()).isEqualTo(expression);
    assertThat(Trigger.cron(macro, false)).isEqualTo(Trigger.cron(expression, false));
    assertThat(Trigger.parse(macro, true)).isEqualTo(Trigger.cron(expression));
    assertThat(fires(macro, START, 5)).hasSize(5).isEqualTo(fires(expression, START, 5));
  }

  @Test
  void macrosFireAtTheirTimes() {
    assertThat(fires("@hourly", START, 2)).isEqualTo(paris(List.of("2027-01-01T00:00", "2027-01-01T01:00")));
    assertThat(fires("@daily", START, 2)).isEqualTo(paris(List.of("2027-01-01T00:00", "2027-01-02T00:00")));
    assertThat(fires("@weekly", START, 2)).isEqualTo(paris(List.of("2027-01-03T00:00", "2027-01-10T00:00")));
    assertThat(fires("@monthly", START, 2)).isEqualTo(paris(List.of("2027-01-01T00:00", "2027-02-01T00:00")));
    assertThat(fires("@yearly", START, 2)).isEqualTo(paris(List.of("2027-01-01T00:00", "2028-01-01T00:00")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@reboot", "@fortnightly", "@every", "@", "@daily 9"})
  void unknownMacrosAndRebootAreRefused(String macro) {
    assertThatThrownBy(() -> Scheduling.fireTimes(Trigger.cron(macro), PARIS, paris(START), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ refusals

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(delimiter = '|', value = {
      // Wrap-around ranges are Quartz's; in Unix syntax they are refused with the two ranges to write instead.
      "0 22-2 * * *      | hour         | 22-23,0-2",
      "50-10 * * * *     | minute       |",
      "0 9 * NOV-FEB *   | month        |",
      "0 9 * * FRI-MON   | day-of-week  |",
      // Quartz-only characters.
      "0 9 ? * *         | day-of-month |",
      "0 9 * * ?         | day-of-week  |",
      "0 9 L * *         | day-of-month |",
      "0 9 LW * *        | day-of-month |",
      "0 9 15W * *       | day-of-month |",
      "0 9 * * 5L        | day-of-week  |",
      "0 9 * * 1#2       | day-of-week  |",
      // Out of range.
      "61 9 * * *        | minute       |",
      "0 24 * * *        | hour         |",
      "0 9 0 * *         | day-of-month |",
      "0 9 32 * *        | day-of-month |",
      "0 9 * 0 *         | month        |",
      "0 9 * 13 *        | month        |",
      "0 9 * * 8         | day-of-week  |",
      // Step 0.
      "*/0 9 * * *       | minute       |",
      "0 9 1-31/0 * *    | day-of-month |",
      // n/step without a range: classic cron has no such form; the fix is the range it means.
      "0 5/2 * * *       | hour         | 5-23/2",
  })
  void unixRefusesWhatClassicCronDoesNotReadNamingTheFieldAndTheFix(String cron, String field, String fix) {
    assertThatThrownBy(() -> Scheduling.fireTimes(Trigger.cron(cron), PARIS, paris(START), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field)
        .satisfies(e -> {
          if (fix != null) {
            assertThat(e.getMessage()).contains(fix);
          }
        });
  }

  @Test
  void aStartWithAStepButNoRangeIsRefusedWithTheRangeToWrite() {
    assertThatThrownBy(() -> Scheduling.fireTimes(Trigger.cron("0/15 * * * *"), PARIS, paris(START), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minute")
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("*/15", "0-59/15"));
  }

  @Test
  void quartzRefusesASixthWeekdayOfTheMonth() {
    assertThatThrownBy(() -> Scheduling.fireTimes(Trigger.cron("0 0 0 ? * 1#6"), PARIS, paris(START), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#");
  }

  // ------------------------------------------------------------------ expressions that fire rarely or never

  @Test
  void aDayThatComesOnceInYearsIsFoundAndNotTakenForNever() {
    // Day-of-week starts with '*', so both day fields must match: February 29th on a Sunday (0) or Saturday (6).
    assertThat(fires("0 0 29 2 */6", START, 3))
        .isEqualTo(paris(List.of("2032-02-29T00:00", "2048-02-29T00:00", "2060-02-29T00:00")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4 *", "0 0 0 30 2 ?", "0 0 0 1 1 ? 2020", "0 0 12 31W 2 ?"})
  void anExpressionThatNeverFiresHasNoFireTimesAndCannotBeAdded(String cron) {
    assertThat(Scheduling.fireTimes(Trigger.cron(cron), PARIS, paris(START), 3)).isEmpty();
    assertThat(Scheduling.fireTimes(Trigger.cron(cron, false), PARIS, paris(START), 3)).isEmpty();

    MutableClock clock = MutableClock.at(paris(START), PARIS);
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemoryScheduleStore store = InMemoryScheduleStore.create();
    Workflow job = Workflow.builder("job").task("t", t -> t.instructions("go")).build();
    try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
        .executor(Runnable::run).provider(FakeProvider.echo("claude")).build();
        Scheduling scheduling = Scheduling.builder().orchestrator(orchestrator).store(store).clock(clock)
            .scheduler(scheduler).build()) {
      for (boolean repeat : new boolean[] {true, false}) {
        assertThatThrownBy(() -> scheduling.add(Schedule.builder().id("never").project("p").workflow(job)
            .trigger(Trigger.cron(cron, repeat)).zone(PARIS).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("never fires");
      }
      assertThat(store.list()).isEmpty();
      assertThat(scheduling.list()).isEmpty();
    }
  }
}
