package dev.orchestrator.schedule;

import java.util.Objects;

/**
 * The two cron dialects a {@link Trigger.Cron} accepts, told apart by their number of fields.
 */
public enum CronSyntax {
  /** Five fields: {@code minute hour day-of-month month day-of-week}, such as {@code 0 9 * * 1-5}. */
  UNIX,
  /**
   * Six or seven fields: {@code second minute hour day-of-month month day-of-week [year]}, such as
   * {@code 0 0 9 ? * MON-FRI}. As in Quartz, one of day-of-month and day-of-week must be {@code ?}.
   */
  QUARTZ;

  /**
   * The syntax of an expression, from its number of whitespace-separated fields.
   *
   * @throws IllegalArgumentException when it has neither 5 nor 6 or 7 fields
   */
  public static CronSyntax of(String expression) {
    Objects.requireNonNull(expression, "expression");
    String trimmed = expression.trim();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    switch (fields) {
      case 5:
        return UNIX;
      case 6:
      case 7:
        return QUARTZ;
      default:
        throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields + " field"
            + (fields == 1 ? "" : "s") + ": write 5 (Unix: minute hour day-of-month month day-of-week, such as "
            + "'0 9 * * *') or 6 to 7 (Quartz: second minute hour day-of-month month day-of-week [year], such as "
            + "'0 0 9 ? * MON-FRI')");
    }
  }
}
