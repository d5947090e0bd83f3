package dev.orchestrator.schedule;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The two cron dialects a {@link Trigger.Cron} accepts, told apart by their number of fields. The macros of classic
 * cron stand for Unix expressions: {@code @hourly} {@code 0 * * * *}, {@code @daily} and {@code @midnight}
 * {@code 0 0 * * *}, {@code @weekly} {@code 0 0 * * 0}, {@code @monthly} {@code 0 0 1 * *}, {@code @yearly} and
 * {@code @annually} {@code 0 0 1 1 *}.
 *
 * @since 0.1
 */
public enum CronSyntax {
  /** Five fields: {@code minute hour day-of-month month day-of-week}, such as {@code 0 9 * * 1-5}. */
  UNIX,
  /**
   * Six or seven fields: {@code second minute hour day-of-month month day-of-week [year]}, such as
   * {@code 0 0 9 ? * MON-FRI}. As in Quartz, one of day-of-month and day-of-week must be {@code ?}.
   */
  QUARTZ;

  private static final Map<String, String> MACROS = new TreeMap<>(Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *"));

  /**
   * The expression a macro such as {@code @daily} stands for; any other expression unchanged (trimmed).
   *
   * @throws IllegalArgumentException for {@code @reboot} (a schedule has no boot) and unknown macros
   */
  public static String expand(String expression) {
    Objects.requireNonNull(expression, "expression");
    String trimmed = expression.trim();
    if (!trimmed.startsWith("@")) {
      return trimmed;
    }
    String macro = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
    if (macro != null) {
      return macro;
    }
    if (trimmed.equalsIgnoreCase("@reboot")) {
      throw new IllegalArgumentException("cron macro '@reboot' has no meaning for a schedule, which fires at times "
          + "of day: use one of " + MACROS.keySet() + " or a cron expression");
    }
    throw new IllegalArgumentException("cron macro '" + trimmed + "' is not known: use one of " + MACROS.keySet()
        + " or a cron expression such as '0 9 * * *'");
  }

  /**
   * The syntax of an expression, from its number of whitespace-separated fields; a macro is {@link #UNIX}.
   *
   * @throws IllegalArgumentException when it has neither 5 nor 6 or 7 fields, or is an unknown macro
   */
  public static CronSyntax of(String expression) {
    String trimmed = expand(expression);
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
