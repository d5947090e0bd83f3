package dev.orchestrator.core.schedule.internal;

import dev.orchestrator.schedule.CronSyntax;
import dev.orchestrator.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The fire times of a trigger in a zone. Immutable and thread-safe.
 *
 * <p>Cron expressions are matched against local wall-clock date-times ({@link UnixCron} for the 5-field syntax,
 * Quartz's own {@code CronExpression} through {@link QuartzCron} for the 6- and 7-field one), and each matching local date-time is turned into an instant the way
 * {@link ZonedDateTime#ofLocal(LocalDateTime, ZoneId, ZoneOffset)} does with no preferred offset: a local time in a
 * spring-forward gap moves later by the length of the gap; a local time in an autumn overlap takes the earlier
 * offset, so it fires once, in its first occurrence. The fire times are the set of those instants, so two local
 * times that land on one instant (02:00 shifted to 03:00, and 03:00) fire once.
 */
public final class FireTimes {
  /** Bounds the search through local times in a daylight-saving gap. */
  private static final int MAX_CANDIDATES = 10_000;

  private final @Nullable LocalCron execution;
  private final @Nullable Instant only;
  private final boolean repeat;
  private final ZoneId zone;
  private final Instant createdAt;

  private FireTimes(@Nullable LocalCron execution, @Nullable Instant only, boolean repeat, ZoneId zone,
      Instant createdAt) {
    this.execution = execution;
    this.only = only;
    this.repeat = repeat;
    this.zone = zone;
    this.createdAt = createdAt;
  }

  /**
   * The fire times of a trigger read in {@code zone}, for a schedule added at {@code createdAt}.
   *
   * @throws IllegalArgumentException when the cron expression is not valid in its syntax
   */
  public static FireTimes of(Trigger trigger, ZoneId zone, Instant createdAt) {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(createdAt, "createdAt");
    if (trigger instanceof Trigger.Once once) {
      return new FireTimes(null, once.at(), false, zone, createdAt);
    }
    Trigger.Cron cron = (Trigger.Cron) trigger;
    FireTimes ft = new FireTimes(parse(cron.expression(), cron.syntax()), null, cron.repeat(), zone, createdAt);
    if (!cron.repeat()) {
      Instant first = ft.nextCron(createdAt);
      return new FireTimes(null, first, false, zone, createdAt);
    }
    return ft;
  }

  /**
   * Parses and validates a cron expression.
   *
   * @throws IllegalArgumentException naming the expression, the field, what is wrong and the fix
   */
  static LocalCron parse(String expression, CronSyntax syntax) {
    return syntax == CronSyntax.UNIX ? UnixCron.parse(expression) : QuartzCron.parse(expression);
  }

  /** The first fire time strictly after {@code after}, or empty when there is none. */
  public Optional<Instant> next(Instant after) {
    Objects.requireNonNull(after, "after");
    if (!repeat) {
      return only != null && only.isAfter(after) ? Optional.of(only) : Optional.empty();
    }
    return Optional.ofNullable(nextCron(after));
  }

  /** Up to {@code count} fire times strictly after {@code after}, earliest first; fewer when the trigger ends. */
  public List<Instant> next(Instant after, int count) {
    List<Instant> out = new ArrayList<>();
    Instant cursor = after;
    while (out.size() < count) {
      Optional<Instant> next = next(cursor);
      if (next.isEmpty()) {
        break;
      }
      cursor = next.get();
      out.add(cursor);
    }
    return out;
  }

  /** The zone the times are read in. */
  public ZoneId zone() {
    return zone;
  }

  /** When the schedule was added. */
  public Instant createdAt() {
    return createdAt;
  }

  private @Nullable Instant nextCron(Instant after) {
    LocalCron exec = Objects.requireNonNull(execution);
    ZoneRules rules = zone.getRules();
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    LocalDateTime start = local;
    // A local time inside a recent gap maps to (its local time + the gap), which may be after `after` even though
    // the local time itself is before `local`: look back by the gap.
    ZoneOffsetTransition previous = rules.previousTransition(after.plusNanos(1));
    if (previous != null && previous.isGap()) {
      Duration gap = previous.getDuration();
      LocalDateTime back = local.minus(gap);
      if (back.isBefore(previous.getDateTimeAfter())) {
        start = back;
      }
    }
    Instant best = null;
    LocalDateTime candidate = start;
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      LocalDateTime next = exec.next(candidate);
      if (next == null) {
        break;
      }
      candidate = next;
      boolean inGap = rules.getValidOffsets(candidate).isEmpty();
      Instant fire = ZonedDateTime.ofLocal(candidate, zone, null).toInstant();
      if (fire.isAfter(after)) {
        if (best == null || fire.isBefore(best)) {
          best = fire;
        }
        // Outside gaps the mapping from local time to instant is increasing, so nothing later can be earlier.
        if (!inGap) {
          break;
        }
      }
    }
    return best;
  }
}
