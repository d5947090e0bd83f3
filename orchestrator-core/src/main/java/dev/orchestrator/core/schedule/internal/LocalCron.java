package dev.orchestrator.core.schedule.internal;

import java.time.LocalDateTime;
import org.jspecify.annotations.Nullable;

/**
 * A parsed cron expression matched against local wall-clock date-times, with no time zone: {@link FireTimes} turns
 * its times into instants. Immutable and thread-safe.
 */
interface LocalCron {
  /** The first matching local date-time strictly after {@code after}, or null when none is left. */
  @Nullable LocalDateTime next(LocalDateTime after);
}
