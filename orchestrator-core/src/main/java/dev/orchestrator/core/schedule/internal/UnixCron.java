package dev.orchestrator.core.schedule.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A classic 5-field Unix expression ({@code minute hour day-of-month month day-of-week}) with the semantics of Vixie
 * cron and cronie: numbers, names ({@code JAN}-{@code DEC}, {@code SUN}-{@code SAT}), {@code *}, ranges, steps and
 * lists; day-of-week 0-7, where 0 and 7 are Sunday.
 *
 * <p>The day rule is classic cron's: when the day-of-month or the day-of-week field starts with {@code *}, a day
 * must match both fields (so {@code 0 0 *}{@code /2 * 1} is odd days that are Mondays); when both are restricted, a
 * day matching either fires ({@code 0 0 1,15 * 1} is the 1st, the 15th and every Monday).
 *
 * <p>What classic cron refuses is refused here, with the field and the fix: ranges that run backwards (Quartz wraps
 * {@code 22-2}, cron does not), Quartz's {@code ? L W #}, {@code n/step} without a range, a step of 0. Each field is
 * a set of allowed values, so a time is found by skipping whole months, days and hours that cannot match.
 */
final class UnixCron implements LocalCron {
  /** How far ahead a time is looked for: past every leap-year and weekday cycle (28 years). */
  private static final int HORIZON_YEARS = 30;
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** The five fields: name, smallest and largest value, the names standing for values from the smallest. */
  private enum Field {
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH("month", 1, 12, MONTHS),
    DAY_OF_WEEK("day-of-week", 0, 7, DAYS);

    final String label;
    final int min;
    final int max;
    final List<String> names;

    Field(String label, int min, int max, List<String> names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
    }

    /** The largest value a range may end at when written to wrap (Sunday is 0 at the start of the week). */
    int wrapMax() {
      return this == DAY_OF_WEEK ? 6 : max;
    }
  }

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  /** 0 (Sunday) to 6; 7 is folded into 0. */
  private final BitSet weekdays;
  private final boolean bothDaysMustMatch;

  private UnixCron(BitSet[] fields, boolean bothDaysMustMatch) {
    this.minutes = fields[0];
    this.hours = fields[1];
    this.days = fields[2];
    this.months = fields[3];
    this.weekdays = fields[4];
    this.bothDaysMustMatch = bothDaysMustMatch;
  }

  /**
   * Parses an expression of 5 space-separated fields.
   *
   * @throws IllegalArgumentException naming the expression, the field, what is wrong and the fix
   */
  static UnixCron parse(String expression) {
    String[] text = expression.trim().split("\\s+");
    if (text.length != 5) {
      throw invalid(expression, "it has " + text.length + " fields, not 5",
          "write minute hour day-of-month month day-of-week, such as '0 9 * * 1-5'");
    }
    Field[] order = Field.values();
    BitSet[] sets = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      sets[i] = field(expression, order[i], text[i]);
    }
    if (sets[4].get(7)) {
      sets[4].clear(7);
      sets[4].set(0);
    }
    boolean star = text[2].startsWith("*") || text[4].startsWith("*");
    return new UnixCron(sets, star);
  }

  private static BitSet field(String expression, Field f, String text) {
    BitSet out = new BitSet(f.max + 1);
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw invalid(expression, "the " + f.label + " field '" + text + "' has an empty list item",
            "separate values with single commas, such as '1,15'");
      }
      item(expression, f, item, out);
    }
    return out;
  }

  /** One list item: {@code *}, {@code *}/step, a value, or a range with an optional step. */
  private static void item(String expression, Field f, String item, BitSet out) {
    String range = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      step = step(expression, f, item, item.substring(slash + 1));
    }
    int from;
    int to;
    if (range.equals("*")) {
      from = f.min;
      to = f.max == 7 ? 6 : f.max;
    } else {
      int dash = range.indexOf('-', 1);
      from = value(expression, f, dash < 0 ? range : range.substring(0, dash));
      to = dash < 0 ? from : value(expression, f, range.substring(dash + 1));
      if (dash < 0 && slash >= 0) {
        throw invalid(expression, "the " + f.label + " field '" + item + "' steps from a single value",
            "classic cron steps through a range: write '" + (from == f.min ? "*" : from + "-" + f.max)
                + item.substring(slash) + "'" + (from == f.min ? " or '" + from + "-" + f.max + item.substring(slash)
                + "'" : ""));
      }
      if (from > to) {
        throw invalid(expression, "the " + f.label + " range '" + range + "' runs backwards (" + from + " to " + to
            + ")", "classic cron has no wrap-around ranges: write '" + from + "-" + f.wrapMax() + "," + f.min + "-" + to
                + "'");
      }
    }
    for (int v = from; v <= to; v += step) {
      out.set(v);
    }
  }

  private static int step(String expression, Field f, String item, String text) {
    int step;
    try {
      step = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid(expression, "the " + f.label + " field '" + item + "' has step '" + text + "', not a number",
          "write a whole number after '/', such as '*/15'");
    }
    if (step < 1) {
      throw invalid(expression, "the " + f.label + " field '" + item + "' has step " + step,
          "a step must be 1 or more, such as '*/15'");
    }
    return step;
  }

  private static int value(String expression, Field f, String text) {
    int v;
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      try {
        v = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        v = Integer.MAX_VALUE;
      }
    } else {
      int named = f.names.indexOf(text.toUpperCase(Locale.ROOT));
      if (named < 0) {
        throw invalid(expression, "the " + f.label + " field has '" + text + "'", unknown(f, text));
      }
      v = named + f.min;
    }
    if (v < f.min || v > f.max) {
      throw invalid(expression, "the " + f.label + " field has " + text + ", out of its range " + f.min + "-" + f.max,
          "write a value from " + f.min + " to " + f.max + (f == Field.DAY_OF_WEEK ? " (0 and 7 are Sunday)" : ""));
    }
    return v;
  }

  private static String unknown(Field f, String text) {
    if (text.matches(".*[?LW#].*")) {
      return "'?', 'L', 'W' and '#' are Quartz syntax, which 5-field Unix cron does not have: write '*' for any "
          + "value, or use the 6-field Quartz form, seconds first, such as '0 0 12 LW * ?' or '0 0 9 ? * MON#1'";
    }
    if (f.names.isEmpty()) {
      return "write a number from " + f.min + " to " + f.max + ", a range such as '" + f.min + "-" + (f.min + 5)
          + "', '*' or '*/step'";
    }
    return "write a number from " + f.min + " to " + f.max + " or one of " + f.names;
  }

  private static IllegalArgumentException invalid(String expression, String what, String fix) {
    return new IllegalArgumentException("cron expression '" + expression + "' is not valid UNIX cron: " + what + ": "
        + fix);
  }

  @Override
  public @Nullable LocalDateTime next(LocalDateTime after) {
    LocalDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate horizon = t.toLocalDate().plusYears(HORIZON_YEARS);
    while (!t.toLocalDate().isAfter(horizon)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int hour = hours.nextSetBit(t.getHour());
      if (hour < 0) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (hour != t.getHour()) {
        t = t.withHour(hour).withMinute(0);
      }
      int minute = minutes.nextSetBit(t.getMinute());
      if (minute < 0) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      return t.withMinute(minute);
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    boolean day = days.get(date.getDayOfMonth());
    boolean weekday = weekdays.get(date.getDayOfWeek().getValue() % 7);
    return bothDaysMustMatch ? day && weekday : day || weekday;
  }
}
