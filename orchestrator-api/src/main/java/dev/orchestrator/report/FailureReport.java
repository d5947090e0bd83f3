package dev.orchestrator.report;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Failure patterns over a window: for each provider and task type, how many attempts were made, how many failed
 * and why, and plain suggestions drawn from them. Immutable.
 *
 * @param from the start of the window
 * @param to the end of the window
 * @param rows one row per provider and task type with at least one attempt, sorted by provider then task type
 * @param suggestions sentences for people, most useful first
 * @since 0.1
 */
public record FailureReport(Instant from, Instant to, List<Row> rows, List<String> suggestions) {
  public FailureReport {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    rows = List.copyOf(rows);
    suggestions = List.copyOf(suggestions);
  }

  /**
   * One provider's record on one task type.
   *
   * @param provider the provider instance
   * @param taskType the task type
   * @param attempts attempts ended in the window
   * @param failures attempts that failed
   * @param byKind failures per error kind
   */
  public record Row(String provider, String taskType, int attempts, int failures, Map<ErrorKind, Integer> byKind) {
    public Row {
      byKind = Map.copyOf(byKind);
    }

    /** Failures as a share of attempts, 0 to 1. */
    public double failureRate() {
      return attempts == 0 ? 0 : (double) failures / attempts;
    }

    /** The error kind seen most often, or null without failures. */
    public @Nullable ErrorKind mostCommonKind() {
      ErrorKind best = null;
      int n = 0;
      for (Map.Entry<ErrorKind, Integer> e : byKind.entrySet()) {
        if (e.getValue() > n || (e.getValue() == n && best != null && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          n = e.getValue();
        }
      }
      return best;
    }
  }

  /** The window's length. */
  public Duration window() {
    return Duration.between(from, to);
  }

  /** The report as the command line prints it. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Failures in the last ").append(human(window())).append('\n');
    if (rows.isEmpty()) {
      sb.append("  no attempts\n");
    } else {
      sb.append(String.format("  %-14s %-20s %8s %8s %6s  %s%n", "PROVIDER", "TASK TYPE", "ATTEMPTS", "FAILED",
          "RATE", "MOST COMMON"));
      for (Row r : rows) {
        ErrorKind k = r.mostCommonKind();
        sb.append(String.format("  %-14s %-20s %8d %8d %5.0f%%  %s%n", r.provider(), r.taskType(), r.attempts(),
            r.failures(), r.failureRate() * 100, k == null ? "-" : k.name()));
      }
    }
    if (!suggestions.isEmpty()) {
      sb.append("Suggestions\n");
      for (String s : suggestions) {
        sb.append("  - ").append(s).append('\n');
      }
    }
    return sb.toString();
  }

  /** {@code 24 h}, {@code 90 min}, {@code 3 d}. */
  public static String human(Duration d) {
    if (d.toDays() >= 2 && d.toHours() % 24 == 0) {
      return d.toDays() + " d";
    }
    if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) {
      return d.toHours() + " h";
    }
    return d.toMinutes() + " min";
  }
}
