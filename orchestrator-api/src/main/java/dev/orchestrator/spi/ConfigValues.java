package dev.orchestrator.spi;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one grammar for durations and amounts of money written in configuration: plugin properties, the CLI's
 * configuration file, options and environment variables, notification settings and templates all read them here,
 * so a value that works in one place works in every other.
 *
 * <p><b>Durations</b> are either a sequence of {@code <whole number><unit>} parts with the units {@code ms},
 * {@code s}, {@code m}, {@code h} and {@code d} (a day is 24 hours), from the largest unit to the smallest, each
 * unit at most once, spaces allowed between parts and before a unit, such as {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 1h30m}, {@code 2d}, {@code 1d 12h}; or ISO-8601 as {@link Duration#parse} reads it, such as {@code PT30S},
 * {@code PT1H30M} or {@code P2D}. Letters may be in either case. Negative, empty and unknown-unit values are refused,
 * and so is a value too long for a {@link Duration}. Zero ({@code 0s}) is a duration: a caller that needs a positive
 * one checks that itself.
 *
 * <p><b>Money</b> is an amount of US dollars written as a decimal number with an optional {@code $} before it or
 * {@code USD} after it, such as {@code 0.50}, {@code $0.50}, {@code 12} or {@code 12.50 USD}, read exactly as a
 * {@link BigDecimal} (never through a {@code double}). At most 12 digits before the point and 18 after it. Negative
 * amounts, other currencies, exponents ({@code 1e3}), thousands separators and a bare point ({@code .50}) are
 * refused.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message names the field, the value and the fix:
 * {@code timeout must be a duration such as 500ms, 30s, 10m, 1h30m or 2d (units ms, s, m, h, d) or ISO-8601 such as
 * PT30S (was '5x')}. Stateless and thread-safe.
 *
 * <pre>{@code
 * Duration timeout = ConfigValues.parseDuration("timeout", "1h30m");   // PT1H30M
 * Money cap = ConfigValues.parseMoney("maxCost", "$0.50");             // $0.50
 * String shown = ConfigValues.formatDuration(Duration.ofMinutes(90)); // "1h30m"
 * }</pre>
 *
 * <p>{@link PluginConfig} reads its properties through this grammar with {@link PluginConfig#duration} and
 * {@link PluginConfig#money}.
 *
 * @since 0.1
 */
public final class ConfigValues {
  /** What to write instead of a value that is not a duration. */
  static final String DURATION_FIX =
      "a duration such as 500ms, 30s, 10m, 1h30m or 2d (units ms, s, m, h, d) or ISO-8601 such as PT30S";
  /** What to write instead of a value that is not an amount of money. */
  static final String MONEY_FIX = "an amount of US dollars such as 0.50, $0.50 or 12";

  /** One {@code <number><unit>} part, anchored where the previous one ended. */
  private static final Pattern PART = Pattern.compile("\\G\\s*(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  /** Units from the smallest to the largest; a part's unit must rank below the one before it. */
  private static final String[] UNITS = {"ms", "s", "m", "h", "d"};
  private static final Pattern AMOUNT =
      Pattern.compile("\\$?\\s*(\\d{1,12}(?:\\.\\d{1,18})?)(?:\\s*usd)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern NEGATIVE_AMOUNT = Pattern.compile("(-\\s*\\$?|\\$\\s*-)\\s*[\\d.].*");
  private static final Pattern LARGE_AMOUNT =
      Pattern.compile("\\$?\\s*\\d{13,}(?:\\.\\d+)?(?:\\s*usd)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern OTHER_CURRENCY = Pattern.compile("\\$?\\s*[\\d.,]+\\s*([a-z]{3})",
      Pattern.CASE_INSENSITIVE);

  private ConfigValues() {}

  /**
   * Reads a duration written in the configuration grammar (see the class comment).
   *
   * @param field what the value configures, for the message, such as {@code timeout} or
   *     {@code notifications.digest_window}
   * @param text the text as written; surrounding spaces are ignored
   * @return a duration, never negative
   * @throws IllegalArgumentException naming the field, the text and the forms to write when the text is not a
   *     duration, is negative, or is too long
   */
  public static Duration parseDuration(String field, @Nullable String text) {
    return parseDuration(field, text, text);
  }

  /**
   * As {@link #parseDuration(String, String)}, showing {@code shown} in a message instead of the text (so a secret's
   * value stays out of it).
   */
  static Duration parseDuration(String field, @Nullable String text, @Nullable String shown) {
    Objects.requireNonNull(field, "field");
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw notADuration(field, shown);
    }
    if (t.charAt(0) == '-') {
      // Read what follows the sign first, so "-5x" is called junk and only "-5m" or "-PT5M" is called negative.
      parseDuration(field, t.substring(1), shown);
      throw negative(field, shown);
    }
    char first = Character.toUpperCase(t.charAt(0));
    Duration d = first == 'P' || first == '+' ? iso(field, t, shown) : shortForm(field, t, shown);
    if (d.isNegative()) {
      throw negative(field, shown);
    }
    return d;
  }

  private static Duration iso(String field, String t, @Nullable String shown) {
    try {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      // Duration.parse reports a number past a long, or a total past a Duration, through the cause.
      if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
        throw tooLong(field, shown);
      }
      throw notADuration(field, shown);
    }
  }

  private static Duration shortForm(String field, String t, @Nullable String shown) {
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int previous = UNITS.length;
    int end = 0;
    while (m.find()) {
      int rank = rank(m.group(2));
      if (rank >= previous) {
        throw new IllegalArgumentException(field + " must give its units from the largest to the smallest, each once,"
            + " such as 1d12h or 1h30m (was '" + show(shown) + "')");
      }
      previous = rank;
      end = m.end();
      try {
        total = total.plus(part(Long.parseLong(m.group(1)), rank));
      } catch (NumberFormatException | ArithmeticException e) {
        throw tooLong(field, shown);
      }
    }
    if (end == 0 || end != t.length()) {
      throw notADuration(field, shown);
    }
    return total;
  }

  private static int rank(String unit) {
    String u = unit.toLowerCase(Locale.ROOT);
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(u)) {
        return i;
      }
    }
    throw new IllegalStateException("the pattern admits only known units (was " + unit + ")");
  }

  private static Duration part(long n, int rank) {
    return switch (rank) {
      case 0 -> Duration.ofMillis(n);
      case 1 -> Duration.ofSeconds(n);
      case 2 -> Duration.ofMinutes(n);
      case 3 -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static IllegalArgumentException notADuration(String field, @Nullable String shown) {
    return new IllegalArgumentException(field + " must be " + DURATION_FIX + " (was '" + show(shown) + "')");
  }

  private static IllegalArgumentException negative(String field, @Nullable String shown) {
    return new IllegalArgumentException(field + " must not be negative: write a duration such as 30s or 1h30m (was '"
        + show(shown) + "')");
  }

  private static IllegalArgumentException tooLong(String field, @Nullable String shown) {
    return new IllegalArgumentException(field + " is too long to be a duration: write a shorter one, such as 365d"
        + " (was '" + show(shown) + "')");
  }

  /**
   * Writes a duration in the short form, which {@link #parseDuration} reads back to the same duration: {@code 0s},
   * {@code 500ms}, {@code 1h30m}, {@code 2d}, {@code 1d2h3m4s5ms}. A duration with a fraction of a millisecond is
   * written in ISO-8601 ({@code PT0.0000015S}), which also reads back.
   *
   * @throws IllegalArgumentException when the duration is negative, as the grammar has no negative durations
   */
  public static String formatDuration(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative to be written in the configuration grammar"
          + " (was " + duration + ")");
    }
    if (duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    append(b, duration.toDays(), "d");
    append(b, duration.toHoursPart(), "h");
    append(b, duration.toMinutesPart(), "m");
    append(b, duration.toSecondsPart(), "s");
    append(b, duration.toMillisPart(), "ms");
    return b.toString();
  }

  private static void append(StringBuilder b, long n, String unit) {
    if (n != 0) {
      b.append(n).append(unit);
    }
  }

  /**
   * Reads an amount of US dollars written in the configuration grammar (see the class comment).
   *
   * @param field what the value configures, for the message, such as {@code max_cost} or {@code --limit}
   * @param text the text as written; surrounding spaces are ignored
   * @return the exact amount, never negative
   * @throws IllegalArgumentException naming the field, the text and the forms to write when the text is not an
   *     amount of US dollars, is negative or is in another currency
   */
  public static Money parseMoney(String field, @Nullable String text) {
    return parseMoney(field, text, text);
  }

  /** As {@link #parseMoney(String, String)}, showing {@code shown} in a message instead of the text. */
  static Money parseMoney(String field, @Nullable String text, @Nullable String shown) {
    Objects.requireNonNull(field, "field");
    String t = text == null ? "" : text.strip();
    Matcher m = AMOUNT.matcher(t);
    if (m.matches()) {
      return Money.usd(new BigDecimal(m.group(1)));
    }
    if (NEGATIVE_AMOUNT.matcher(t).matches()) {
      throw new IllegalArgumentException(field + " must not be negative: write " + MONEY_FIX + " (was '"
          + show(shown) + "')");
    }
    if (LARGE_AMOUNT.matcher(t).matches()) {
      throw new IllegalArgumentException(field + " must be at most 12 digits of dollars before the point, such as"
          + " 100000 (was '" + show(shown) + "')");
    }
    Matcher other = OTHER_CURRENCY.matcher(t);
    if (other.matches() && !other.group(1).equalsIgnoreCase("usd")) {
      throw new IllegalArgumentException(field + " must be in US dollars, the only currency this release accounts in:"
          + " give the amount in USD, such as 0.50, $0.50 or 12 (was '" + show(shown) + "')");
    }
    throw new IllegalArgumentException(field + " must be " + MONEY_FIX + " (was '" + show(shown) + "')");
  }

  private static String show(@Nullable String shown) {
    return shown == null ? "" : shown;
  }
}
