package dev.orchestrator.schedule;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * When a {@link Schedule} fires: at the times of a cron expression (every time, or only the first time), or once
 * at an instant. Immutable and thread-safe.
 *
 * <pre>{@code
 * Trigger daily = Trigger.cron("0 9 * * *");                 // every day at 9:00 in the schedule's zone
 * Trigger quartz = Trigger.cron("0 0 9 ? * MON-FRI");        // Quartz syntax, weekdays at 9:00
 * Trigger next9 = Trigger.cron("0 9 * * *", false);          // only the next 9:00
 * Trigger once = Trigger.at(Instant.parse("2026-05-01T07:00:00Z"));
 * Trigger fromJson = Trigger.parse("0 9 * * *", true);       // the roadmap's "schedule" and "repeat"
 * }</pre>
 *
 * <p>The expression is checked for its number of fields here; its fields are checked by the scheduling service
 * when the schedule is added, with a message naming the wrong field and the fix, and an expression that can never
 * fire (February 30th, a year gone by) is refused then. docs/scheduling.md has the rules of both syntaxes.
 *
 * @since 0.1
 */
public sealed interface Trigger permits Trigger.Cron, Trigger.Once {
  /** Fires at every time of a cron expression (Unix 5-field or Quartz 6/7-field syntax, or a macro: @daily). */
  static Cron cron(String expression) {
    return cron(expression, true);
  }

  /**
   * Fires at the times of a cron expression: every time when {@code repeat}, otherwise only at the first time after
   * the schedule was added.
   *
   * @throws IllegalArgumentException when the expression has neither 5 nor 6 or 7 fields
   */
  static Cron cron(String expression, boolean repeat) {
    Objects.requireNonNull(expression, "expression");
    return new Cron(expression, CronSyntax.of(expression), repeat);
  }

  /** Fires once, at {@code instant}. */
  static Once at(Instant instant) {
    return new Once(instant);
  }

  /**
   * The trigger of the roadmap's task JSON, {@code "schedule": "0 9 * * *", "repeat": true}: an ISO-8601 instant
   * (such as {@code 2026-05-01T07:00:00Z}) fires once; anything else is a cron expression.
   *
   * @throws IllegalArgumentException when {@code schedule} is blank, has the wrong number of cron fields, or is an
   *     instant with {@code repeat} true
   */
  static Trigger parse(String schedule, boolean repeat) {
    Objects.requireNonNull(schedule, "schedule");
    String text = schedule.trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("schedule must not be blank: write a cron expression such as '0 9 * * *' "
          + "or an instant such as '2026-05-01T07:00:00Z'");
    }
    if (!text.contains(" ") && Character.isDigit(text.charAt(0)) && text.contains("T")) {
      Instant instant;
      try {
        instant = Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("schedule '" + schedule + "' is neither a cron expression nor an "
            + "ISO-8601 instant: write '0 9 * * *' or '2026-05-01T07:00:00Z'", e);
      }
      if (repeat) {
        throw new IllegalArgumentException("schedule '" + schedule + "' is one instant and cannot repeat: "
            + "set repeat to false or write a cron expression");
      }
      return at(instant);
    }
    return cron(text, repeat);
  }

  /**
   * Cron times, made by {@link Trigger#cron}.
   *
   * <p>A record: its shape is final (an expression, its dialect, and whether it repeats).
   *
   * @param expression the expression, fields separated by single spaces; a macro such as {@code @daily} becomes the
   *     expression it stands for
   * @param syntax its dialect, which must match its number of fields
   * @param repeat whether it fires at every time, or only at the first one after the schedule was added
   */
  record Cron(String expression, CronSyntax syntax, boolean repeat) implements Trigger {
    public Cron {
      Objects.requireNonNull(expression, "expression");
      Objects.requireNonNull(syntax, "syntax");
      expression = String.join(" ", CronSyntax.expand(expression).split("\\s+"));
      CronSyntax found = CronSyntax.of(expression);
      if (found != syntax) {
        throw new IllegalArgumentException("cron expression '" + expression + "' is in " + found
            + " syntax, not " + syntax + ": fix the syntax or the number of fields");
      }
    }
  }

  /**
   * One instant, made by {@link Trigger#at}.
   *
   * <p>A record: its shape is final.
   *
   * @param at when it fires
   */
  record Once(Instant at) implements Trigger {
    public Once {
      Objects.requireNonNull(at, "at");
    }
  }
}
