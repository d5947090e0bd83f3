package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.schedule.Scheduling;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Unix cron read as classic cron reads it, against a brute-force reference written here from the rules alone; and
 * any cron-like text is either refused with an {@link IllegalArgumentException} or fires at strictly increasing
 * times.
 */
class CronRulesProperties {
  private static final ZoneOffset UTC = ZoneOffset.UTC;
  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant UNTIL = Instant.parse("2029-01-01T00:00:00Z");
  /**
   * How far the reference looks. Between 1901 and 2099 the calendar repeats every 28 years, so a window that holds
   * 28 whole years holds every (month, day, weekday) there is: an expression with no fire in it never fires (February
   * 29th on a given weekday comes once in 28 years).
   */
  private static final int HORIZON_YEARS = 29;
  private static final List<String> DAY_NAMES = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
  private static final List<String> MONTH_NAMES =
      List.of("", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

  /** A field as written, and the values it stands for. */
  record Field(String text, Set<Integer> values) {
    boolean startsWithStar() {
      return text.startsWith("*");
    }
  }

  /** A Unix expression and its fields. */
  record Unix(Field minute, Field hour, Field dayOfMonth, Field month, Field dayOfWeek) {
    String text() {
      return String.join(" ", minute.text, hour.text, dayOfMonth.text, month.text, dayOfWeek.text);
    }

    @Override
    public String toString() {
      return "'" + text() + "'";
    }
  }

  // ------------------------------------------------------------------ Unix fires equal the reference

  @Property(tries = 250)
  void unixFiresAreTheBruteForceReferences(@ForAll("unix") Unix cron, @ForAll("instants") Instant after) {
    List<Instant> fires = Scheduling.fireTimes(Trigger.cron(cron.text()), UTC, after, 5);
    Instant horizon = LocalDate.ofInstant(after, UTC).plusYears(HORIZON_YEARS).atStartOfDay(UTC).toInstant();
    List<Instant> reference = reference(cron, after, 5, horizon);
    Statistics.label("fires within the horizon").collect(reference.size());
    if (reference.isEmpty()) {
      assertThat(fires).as("%s never fires", cron).isEmpty();
      return;
    }
    assertThat(fires.stream().filter(f -> f.isBefore(horizon)).toList()).as("%s after %s", cron, after)
        .isEqualTo(reference);
  }

  /**
   * The first {@code count} times after {@code after} and before {@code horizon} that classic cron runs
   * {@code cron} at, by looking at every day and, on a day that matches, at every minute. A day matches when its
   * month does and: when day-of-month or day-of-week starts with '*', both day fields match it; otherwise either
   * does. Day-of-week 7 is Sunday, like 0.
   */
  private static List<Instant> reference(Unix cron, Instant after, int count, Instant horizon) {
    Set<Integer> weekdays = new HashSet<>();
    cron.dayOfWeek.values.forEach(d -> weekdays.add(d % 7));
    boolean both = cron.dayOfMonth.startsWithStar() || cron.dayOfWeek.startsWithStar();
    List<Instant> out = new ArrayList<>();
    LocalDate end = LocalDate.ofInstant(horizon, UTC);
    for (LocalDate day = LocalDate.ofInstant(after, UTC); day.isBefore(end) && out.size() < count;
        day = day.plusDays(1)) {
      boolean dom = cron.dayOfMonth.values.contains(day.getDayOfMonth());
      boolean dow = weekdays.contains(day.getDayOfWeek().getValue() % 7);
      if (!cron.month.values.contains(day.getMonthValue()) || !(both ? dom && dow : dom || dow)) {
        continue;
      }
      for (int h = 0; h < 24; h++) {
        for (int m = 0; m < 60; m++) {
          Instant t = day.atTime(h, m).toInstant(UTC);
          if (cron.hour.values.contains(h) && cron.minute.values.contains(m) && t.isAfter(after)
              && out.size() < count) {
            out.add(t);
          }
        }
      }
    }
    return out;
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(FROM.getEpochSecond(), UNTIL.getEpochSecond() - 1)
        .map(Instant::ofEpochSecond);
  }

  @Provide
  Arbitrary<Unix> unix() {
    Arbitrary<Field> minute = field(0, 59, List.of());
    Arbitrary<Field> hour = field(0, 23, List.of());
    Arbitrary<Field> dayOfWeek = field(0, 7, DAY_NAMES);
    Arbitrary<Unix> any = Combinators.combine(minute, hour, field(1, 31, List.of()), field(1, 12, MONTH_NAMES),
        dayOfWeek).as(Unix::new);
    // Late days in short months, mostly with a day-of-week starting with '*' (so both day fields must match):
    // expressions that fire rarely (February 29th on some weekdays) or never (April 31st).
    Arbitrary<Field> starredDayOfWeek = Arbitraries.frequencyOf(Tuple.of(1, star(0, 7)), Tuple.of(2, starStep(0, 7)),
        Tuple.of(1, dayOfWeek));
    Arbitrary<Unix> lateDaysInShortMonths = Combinators.combine(minute, hour, subsetOf(29, 30, 31),
        subsetOf(2, 4, 6, 9, 11), starredDayOfWeek).as(Unix::new);
    return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(1, lateDaysInShortMonths));
  }

  /** One or two of {@code values}, written as numbers. */
  private static Arbitrary<Field> subsetOf(Integer... values) {
    return Arbitraries.of(values).set().ofMinSize(1).ofMaxSize(2).map(s -> {
      TreeSet<Integer> sorted = new TreeSet<>(s);
      return new Field(sorted.stream().map(String::valueOf).collect(Collectors.joining(",")), sorted);
    });
  }

  private static Arbitrary<Field> star(int min, int max) {
    return Arbitraries.just(new Field("*", range(min, max, 1)));
  }

  private static Arbitrary<Field> starStep(int min, int max) {
    return Arbitraries.integers().between(1, max - min).map(step -> new Field("*/" + step, range(min, max, step)));
  }

  /**
   * A field over {@code min..max}: {@code *}, {@code *}/step, or a list of values, ranges and stepped ranges, with
   * {@code names} (indexed by value, in random letter case) written for some values.
   */
  private static Arbitrary<Field> field(int min, int max, List<String> names) {
    Arbitrary<Field> list = part(min, max, names).list().ofMinSize(1).ofMaxSize(4).map(parts -> {
      Set<Integer> values = new TreeSet<>();
      parts.forEach(p -> values.addAll(p.values));
      return new Field(parts.stream().map(Field::text).collect(Collectors.joining(",")), values);
    });
    return Arbitraries.frequencyOf(Tuple.of(2, star(min, max)), Tuple.of(2, starStep(min, max)), Tuple.of(5, list));
  }

  /** One element of a list: a value, a range {@code a-b} or {@code a-b/step}, with a <= b. */
  private static Arbitrary<Field> part(int min, int max, List<String> names) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    Arbitrary<Integer> step = Arbitraries.integers().between(1, max - min);
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> letterCase = Arbitraries.integers().between(0, 3);
    return Combinators.combine(kind, value, value, step, letterCase).as((k, x, y, s, c) -> {
      int a = Math.min(x, y);
      int b = Math.max(x, y);
      // A range is written with two names or two numbers.
      int rc = hasName(a, names) && hasName(b, names) ? c : 0;
      return switch (k) {
        case 0 -> new Field(write(x, names, c), Set.of(x));
        case 1 -> new Field(write(a, names, rc) + "-" + write(b, names, rc), range(a, b, 1));
        default -> new Field(write(a, names, rc) + "-" + write(b, names, rc) + "/" + s, range(a, b, s));
      };
    });
  }

  private static boolean hasName(int value, List<String> names) {
    return value < names.size() && !names.get(value).isEmpty();
  }

  /** A value as a number (letter case 0) or, when it has one, as its name in upper, lower or title case. */
  private static String write(int value, List<String> names, int letterCase) {
    if (letterCase == 0 || !hasName(value, names)) {
      return String.valueOf(value);
    }
    String name = names.get(value);
    return switch (letterCase) {
      case 1 -> name.toUpperCase(Locale.ROOT);
      case 2 -> name;
      default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
    };
  }

  private static Set<Integer> range(int from, int to, int step) {
    return IntStream.iterate(from, v -> v <= to, v -> v + step).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  // ------------------------------------------------------------------ any text: refused or increasing

  @Property(tries = 600)
  void anyCronLikeTextIsRefusedOrFiresAtIncreasingTimes(@ForAll("cronLike") String text,
      @ForAll("zones") String zoneName, @ForAll("instants") Instant after) {
    ZoneId zone = ZoneId.of(zoneName);
    List<Instant> fires = null;
    try {
      fires = Scheduling.fireTimes(Trigger.cron(text), zone, after, 5);
    } catch (IllegalArgumentException refused) {
      // Refused, from Trigger.cron or from fireTimes: allowed. Any other exception fails the property.
    }
    Statistics.label("outcome").collect(fires == null ? "refused" : "accepted");
    // Not a vacuous property: a good share of the texts is accepted.
    Statistics.label("outcome").coverage(c -> c.check("accepted").percentage(p -> p >= 10));
    if (fires == null) {
      return;
    }
    assertThat(fires).as("'%s'", text).hasSizeLessThanOrEqualTo(5);
    Instant previous = after;
    for (Instant fire : fires) {
      assertThat(fire).as("'%s' fires %s after %s", text, fires, after).isAfter(previous);
      previous = fire;
    }
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu");
  }

  /**
   * Cron-like texts: Unix and Quartz field lists whose fields are mostly valid for their position and syntax (some
   * pieces belong to the other syntax or are out of range), some with one field replaced by cron tokens run
   * together; texts of 4 to 8 fields made only of such runs; and macros, known or not.
   */
  @Provide
  Arbitrary<String> cronLike() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 70).map(String::valueOf),
        Arbitraries.of("*", "?", "L", "W", "#", "/", "-", ",", "LW", "L-3", "MON", "fri", "Sun", "JAN", "dec",
            "Jul", "2027", "2020", "2999", "99999999999", "@daily", "@reboot"));
    Arbitrary<String> jumbled = token.list().ofMinSize(1).ofMaxSize(4).map(t -> String.join("", t));

    Arbitrary<List<String>> unix = Combinators.combine(
        pieces(List.of("*", "0", "*/15", "0-30/10", "5,35", "59", "*/7"), List.of("50-10", "0/15", "60")),
        pieces(List.of("*", "9", "0", "8-17", "*/6", "0,12", "23", "2"), List.of("22-2", "22-2/3", "24")),
        pieces(List.of("*", "1", "13", "29", "30", "31", "1-7", "*/2", "1,15", "1-30/7"),
            List.of("?", "L", "15W", "LW", "0")),
        pieces(List.of("*", "1", "2", "4", "feb", "*/3", "jan,Jul", "12"), List.of("NOV-FEB", "13")),
        pieces(List.of("*", "1-5", "MON", "sun", "0", "7", "mon-FRI", "0,3,5", "*/2", "6-7"),
            List.of("?", "5L", "1#2", "FRI-MON", "8")))
        .as(List::of);

    Arbitrary<String> quartzDayOfMonth = Arbitraries.of("*", "1", "13", "29", "30", "31", "1-7", "*/2", "1,15",
        "L", "LW", "15W", "31W", "1W", "1,L", "L,15", "LW,15", "15W,20", "L-3");
    Arbitrary<String> quartzDayOfWeek = Arbitraries.of("*", "1-5", "MON", "2", "7", "MON-FRI", "5L", "1#2", "6#5",
        "1#6", "FRI-MON", "1,4", "0");
    Arbitrary<List<String>> days = Arbitraries.frequencyOf(
        Tuple.of(4, quartzDayOfWeek.map(dow -> List.of("?", dow))),
        Tuple.of(4, quartzDayOfMonth.map(dom -> List.of(dom, "?"))),
        Tuple.of(1, Combinators.combine(quartzDayOfMonth, quartzDayOfWeek).as(List::of)));
    Arbitrary<List<String>> quartz = Combinators.combine(
        Arbitraries.of("0", "15", "*/30", "0-59/20", "*"),
        Arbitraries.of("*", "0", "*/15", "0-30/10", "5,35", "59", "50-10", "0/15"),
        Arbitraries.of("*", "9", "0", "8-17", "*/6", "0,12", "23", "22-2", "22-2/3"),
        days,
        Arbitraries.of("*", "1", "2", "4", "FEB", "NOV-FEB", "*/3", "JAN,JUL", "12"),
        Arbitraries.of("", "*", "2027", "2026-2030", "2020", "2099", "2027/2"))
        .as((second, minute, hour, dayFields, month, year) -> {
          List<String> fields = new ArrayList<>(List.of(second, minute, hour, dayFields.get(0), month,
              dayFields.get(1)));
          if (!year.isEmpty()) {
            fields.add(year);
          }
          return fields;
        });

    Arbitrary<String> mostlyWellFormed = Combinators.combine(Arbitraries.oneOf(unix, quartz),
        Arbitraries.integers().between(0, 19), jumbled)
        .as((fields, replaced, junk) -> {
          List<String> out = new ArrayList<>(fields);
          if (replaced < out.size()) {
            out.set(replaced, junk);
          }
          return String.join(" ", out);
        });
    Arbitrary<String> onlyTokens = jumbled.list().ofMinSize(4).ofMaxSize(8).map(f -> String.join(" ", f));
    Arbitrary<String> macros = Arbitraries.of("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly",
        "@annually", "@reboot", "@every 5m", "@fortnightly", "@");
    return Arbitraries.frequencyOf(Tuple.of(6, mostlyWellFormed), Tuple.of(2, onlyTokens), Tuple.of(1, macros));
  }

  /** Mostly one of {@code valid}, sometimes one of {@code odd}. */
  private static Arbitrary<String> pieces(List<String> valid, List<String> odd) {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(valid)), Tuple.of(1, Arbitraries.of(odd)));
  }
}
