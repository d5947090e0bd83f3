package dev.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.schedule.Scheduling;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For random crons and zones, near daylight-saving transitions: fires strictly increase, and each is the next
 * valid local time, found here by brute force over every local minute.
 */
class FireTimesProperties {
  private static final List<String> ZONES = List.of("Europe/Paris", "America/New_York", "Australia/Lord_Howe",
      "America/St_Johns", "Asia/Tehran", "Pacific/Chatham", "Australia/Sydney", "America/Santiago", "UTC");

  @Provide
  Arbitrary<Set<Integer>> minutes() {
    return Arbitraries.integers().between(0, 59).set().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Set<Integer>> hours() {
    return Arbitraries.integers().between(0, 23).set().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  @Property(tries = 150)
  void firesIncreaseAndEachIsTheNextValidLocalTime(@ForAll("minutes") Set<Integer> minutes,
      @ForAll("hours") Set<Integer> hours, @ForAll("zones") String zoneName, @ForAll boolean quartz,
      @ForAll boolean anyHour, @ForAll @IntRange(min = -30, max = 30) int hoursFromTransition) {
    ZoneId zone = ZoneId.of(zoneName);
    String m = join(minutes);
    String h = anyHour ? "*" : join(hours);
    Trigger trigger = Trigger.cron(quartz ? "0 " + m + " " + h + " ? * *" : m + " " + h + " * * *");
    // Start near a 2026 transition of the zone (or anywhere in 2026 for UTC).
    ZoneOffsetTransition t = zone.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
    Instant base = t == null ? Instant.parse("2026-06-01T00:00:00Z") : t.getInstant();
    Instant after = base.plus(Duration.ofHours(hoursFromTransition)).plusSeconds(17);

    List<Instant> fires = Scheduling.fireTimes(trigger, zone, after, 4);
    assertThat(fires).hasSize(4);
    Instant previous = after;
    for (Instant f : fires) {
      assertThat(f).isAfter(previous);
      assertThat(f).isEqualTo(bruteForceNext(minutes, anyHour ? null : hours, zone, previous));
      previous = f;
    }
  }

  /** The smallest instant after {@code after} that some matching local minute resolves to. */
  private static Instant bruteForceNext(Set<Integer> minutes, Set<Integer> hours, ZoneId zone, Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone).withSecond(0).withNano(0).minusHours(4);
    TreeSet<Instant> found = new TreeSet<>();
    for (int i = 0; i < 3 * 24 * 60; i++, local = local.plusMinutes(1)) {
      if (minutes.contains(local.getMinute()) && (hours == null || hours.contains(local.getHour()))) {
        Instant r = ZonedDateTime.ofLocal(local, zone, null).toInstant();
        if (r.isAfter(after)) {
          found.add(r);
        }
      }
      if (!found.isEmpty() && local.isAfter(LocalDateTime.ofInstant(found.first(), zone).plusHours(4))) {
        break;
      }
    }
    return found.first();
  }

  private static String join(Set<Integer> values) {
    return new TreeSet<>(values).stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
