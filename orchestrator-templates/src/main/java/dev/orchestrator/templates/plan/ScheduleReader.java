package dev.orchestrator.templates.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a schedule suggestion ("every Monday at 9", "daily at 18:30", "every weekday") out of a request and turns
 * it into a cron expression: 09:00 (18:00 for "evening") when no time is given, weeks starting on Monday.
 */
final class ScheduleReader {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String DAY = "(?:mon|tues|wednes|thurs|fri|satur|sun)days?";
  private static final Pattern DAYS = Pattern.compile(DAY, F);
  private static final Pattern SCHEDULE = Pattern.compile("\\b(?:(?:run\\s+(?:it\\s+)?)?(?:every|each|on)\\s+"
      + "(day|weekday|morning|evening|week|month|hour|" + DAY + "(?:(?:\\s*,\\s*|\\s+and\\s+)" + DAY + ")*)"
      + "|(daily|weekly|monthly|hourly|weekdays)(?=\\s+(?:at|@)\\s|\\s*$|\\s*[,.;]))(?:\\s+(?:at|@)\\s+(\\d{1,2})(?:[:.h](\\d{2}))?\\s*"
      + "(am|pm|a\\.m\\.|p\\.m\\.)?)?", F);
  /** Cron's day numbers: the index of a day's first letters. */
  private static final String[] DAY_NAMES = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  /**
   * What was read.
   *
   * @param cron the cron expression, or null when the request gives no schedule (or one with no valid time)
   * @param phrase the words of the request that gave the schedule, or null when it gives none
   * @param rest the request without that phrase
   */
  record Schedule(@Nullable String cron, @Nullable String phrase, String rest) {}

  private ScheduleReader() {}

  /** Reads the schedule from {@code text}; what it assumed or could not read goes to {@code notes}. */
  static Schedule read(String text, PlanNotes notes) {
    Matcher sm = SCHEDULE.matcher(text);
    if (!sm.find()) {
      return new Schedule(null, null, text);
    }
    String phrase = sm.group().strip();
    String cron = cron(sm, notes);
    return new Schedule(cron, phrase, ClauseSplitter.without(text, sm));
  }

  private static @Nullable String cron(Matcher m, PlanNotes notes) {
    String every = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
    int hour = 9;
    int minute = 0;
    boolean timeGiven = m.group(3) != null;
    if (timeGiven) {
      hour = Integer.parseInt(m.group(3));
      minute = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
      String ampm = m.group(5) == null ? "" : m.group(5).toLowerCase(Locale.ROOT).replace(".", "");
      if (ampm.equals("pm") && hour < 12) {
        hour += 12;
      } else if (ampm.equals("am") && hour == 12) {
        hour = 0;
      }
      if (hour > 23 || minute > 59) {
        notes.notUnderstood("'" + m.group().strip() + "': " + hour + ":" + minute + " is not a time of day; no"
            + " schedule was suggested");
        return null;
      }
    }
    if (every.equals("hour") || every.equals("hourly")) {
      return "0 * * * *";
    }
    if (!timeGiven) {
      hour = every.equals("evening") ? 18 : 9;
      notes.assumption("'" + m.group().strip() + "' gives no time: "
          + String.format(Locale.ROOT, "%02d:00", hour) + " is assumed");
    }
    String at = minute + " " + hour + " ";
    switch (every) {
      case "day", "daily", "morning", "evening":
        return at + "* * *";
      case "weekday", "weekdays":
        return at + "* * 1-5";
      case "week", "weekly":
        notes.assumption("'" + m.group().strip() + "': a week starts on Monday");
        return at + "* * 1";
      case "month", "monthly":
        return at + "1 * *";
      default:
        return at + "* * " + days(every);
    }
  }

  /** The cron day numbers of the days named in {@code every}, such as "1,3" for "mondays and wednesdays". */
  private static String days(String every) {
    List<String> days = new ArrayList<>();
    Matcher d = DAYS.matcher(every);
    while (d.find()) {
      for (int i = 0; i < DAY_NAMES.length; i++) {
        if (d.group().startsWith(DAY_NAMES[i])) {
          days.add(String.valueOf(i));
        }
      }
    }
    return String.join(",", days);
  }
}
