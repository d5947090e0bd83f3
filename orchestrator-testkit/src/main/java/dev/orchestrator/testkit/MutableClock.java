package dev.orchestrator.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told. Thread-safe; clocks made by {@link #withZone} share the instant.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-03-29T00:30:00Z"), ZoneId.of("Europe/Paris"));
 * clock.advance(Duration.ofHours(2));
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code 2026-01-01T00:00:00Z}, in UTC. */
  public static MutableClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  }

  /** A clock at the given instant and zone. */
  public static MutableClock at(Instant instant, ZoneId zone) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(instant)), Objects.requireNonNull(zone));
  }

  /** Moves the clock forward. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward (was " + by + ")");
    }
    now.updateAndGet(i -> i.plus(by));
  }

  /** Sets the clock; it may not move back. */
  public void set(Instant instant) {
    now.updateAndGet(i -> {
      if (instant.isBefore(i)) {
        throw new IllegalArgumentException("a clock only moves forward (from " + i + " to " + instant + ")");
      }
      return instant;
    });
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, zone);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
