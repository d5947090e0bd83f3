package dev.orchestrator.core.schedule.internal;

import java.text.ParseException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;
import org.jspecify.annotations.Nullable;
import org.quartz.CronExpression;

/**
 * A Quartz-syntax expression ({@code second minute hour day-of-month month day-of-week [year]}), parsed and computed
 * by Quartz's own {@link CronExpression}, so {@code L}, {@code W}, {@code LW}, {@code L-3}, {@code 6L}, {@code #},
 * wrapping ranges ({@code 22-2}, {@code NOV-FEB}) and lists that mix them behave exactly as Quartz documents.
 *
 * <p>Quartz computes in UTC here, which has no transitions: the times are local wall-clock times.
 * {@link CronExpression} is only read after parsing (its sets are never changed again and its zone is set once, before
 * it is shared), so one instance serves concurrent callers.
 */
final class QuartzCron implements LocalCron {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final CronExpression cron;

  private QuartzCron(CronExpression cron) {
    this.cron = cron;
  }

  /**
   * Parses an expression of 6 or 7 fields.
   *
   * @throws IllegalArgumentException with Quartz's reason and the shape to write
   */
  static QuartzCron parse(String expression) {
    String[] fields = expression.trim().split("\\s+");
    for (int i = 0; i < fields.length; i++) {
      // Quartz reads "1,,2" or ",5" without a word and then fails when it computes a time: refuse it here.
      if (fields[i].startsWith(",") || fields[i].endsWith(",") || fields[i].contains(",,")) {
        throw invalid(expression, "field " + (i + 1) + " '" + fields[i] + "' has an empty list item; separate "
            + "values with single commas, such as '1,15'", null);
      }
    }
    CronExpression cron;
    try {
      cron = new CronExpression(expression);
    } catch (ParseException e) {
      throw invalid(expression, e.getMessage(), e);
    } catch (RuntimeException e) {
      // Some malformed tokens ("1#", "L-") end Quartz's parser with an index or number error instead of its own.
      throw invalid(expression, "a field could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
    cron.setTimeZone(UTC);
    QuartzCron parsed = new QuartzCron(cron);
    parsed.next(LocalDateTime.of(2000, 1, 1, 0, 0)); // a field Quartz accepted but cannot compute fails here
    return parsed;
  }

  private static IllegalArgumentException invalid(String expression, @Nullable String reason,
      @Nullable Exception cause) {
    return new IllegalArgumentException("cron expression '" + expression + "' is not valid QUARTZ cron ("
        + reason + "): write second minute hour day-of-month month day-of-week [year], with '?' in day-of-month or "
        + "day-of-week, such as '0 0 9 ? * MON-FRI'", cause);
  }

  @Override
  public @Nullable LocalDateTime next(LocalDateTime after) {
    Date next;
    try {
      next = cron.getNextValidTimeAfter(Date.from(after.toInstant(ZoneOffset.UTC)));
    } catch (RuntimeException e) {
      throw invalid(cron.getCronExpression(), "its times cannot be computed (" + e.getClass().getSimpleName() + ")",
          e);
    }
    return next == null ? null : LocalDateTime.ofInstant(next.toInstant(), ZoneOffset.UTC);
  }
}
