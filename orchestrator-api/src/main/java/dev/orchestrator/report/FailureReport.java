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
 * and why, and plain suggestions drawn from them. Create one with {@link #builder()}; the constructor is private, so
 * callers keep compiling when figures are added. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class FailureReport {
  private final Instant from;
  private final Instant to;
  private final List<Row> rows;
  private final List<String> suggestions;

  private FailureReport(Builder b) {
    if (b.from == null || b.to == null) {
      throw new IllegalStateException("a failure report needs its window: call from(start) and to(end)");
    }
    if (b.to.isBefore(b.from)) {
      throw new IllegalStateException("a failure report's window must not end before it starts (was from=" + b.from
          + ", to=" + b.to + "): swap them");
    }
    this.from = b.from;
    this.to = b.to;
    this.rows = b.rows;
    this.suggestions = b.suggestions;
  }

  /** Starts a report: the window's start and end are required; no rows, no suggestions. */
  public static Builder builder() {
    return new Builder();
  }

  /** The start of the window. */
  public Instant from() {
    return from;
  }

  /** The end of the window. */
  public Instant to() {
    return to;
  }

  /**
   * One row per provider and task type with at least one attempt, sorted by provider then task type; unmodifiable.
   */
  public List<Row> rows() {
    return rows;
  }

  /** Sentences for people, most useful first; unmodifiable. */
  public List<String> suggestions() {
    return suggestions;
  }

  /**
   * One provider's record on one task type. Create one with {@link #builder()}. Immutable and thread-safe.
   *
   * @since 0.1
   */
  public static final class Row {
    private final String provider;
    private final String taskType;
    private final int attempts;
    private final int failures;
    private final Map<ErrorKind, Integer> byKind;

    private Row(Builder b) {
      if (b.provider == null || b.taskType == null) {
        throw new IllegalStateException("a failure report row needs a provider and a task type: call provider(...) "
            + "and taskType(...)");
      }
      if (b.failures > b.attempts) {
        throw new IllegalStateException("failures must not exceed attempts (was failures=" + b.failures
            + ", attempts=" + b.attempts + ") for " + b.provider + " on " + b.taskType + ": count every failure as "
            + "an attempt too");
      }
      this.provider = b.provider;
      this.taskType = b.taskType;
      this.attempts = b.attempts;
      this.failures = b.failures;
      this.byKind = b.byKind;
    }

    /** Starts a row: provider and task type are required; no attempts, no failures. */
    public static Builder builder() {
      return new Builder();
    }

    /** The provider instance. */
    public String provider() {
      return provider;
    }

    /** The task type. */
    public String taskType() {
      return taskType;
    }

    /** Attempts ended in the window. */
    public int attempts() {
      return attempts;
    }

    /** Attempts that failed. */
    public int failures() {
      return failures;
    }

    /** Failures per error kind; unmodifiable. */
    public Map<ErrorKind, Integer> byKind() {
      return byKind;
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

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Row r && provider.equals(r.provider) && taskType.equals(r.taskType)
          && attempts == r.attempts && failures == r.failures && byKind.equals(r.byKind);
    }

    @Override
    public int hashCode() {
      return Objects.hash(provider, taskType, attempts, failures, byKind);
    }

    @Override
    public String toString() {
      return "Row[provider=" + provider + ", taskType=" + taskType + ", attempts=" + attempts + ", failures="
          + failures + ", byKind=" + byKind + "]";
    }

    /**
     * Builds a {@link Row}. Each setter checks its value at once. Mutable and not thread-safe; reusing a builder
     * never changes a row already built.
     */
    public static final class Builder {
      private @Nullable String provider;
      private @Nullable String taskType;
      private int attempts;
      private int failures;
      private Map<ErrorKind, Integer> byKind = Map.of();

      private Builder() {}

      /** The provider instance. Required. */
      public Builder provider(String provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        return this;
      }

      /** The task type. Required. */
      public Builder taskType(String taskType) {
        this.taskType = Objects.requireNonNull(taskType, "taskType");
        return this;
      }

      /**
       * Attempts ended in the window; 0 by default.
       *
       * @throws IllegalArgumentException when negative
       */
      public Builder attempts(int attempts) {
        this.attempts = checkCount(attempts, "attempts");
        return this;
      }

      /**
       * Attempts that failed; 0 by default, at most {@code attempts}.
       *
       * @throws IllegalArgumentException when negative
       */
      public Builder failures(int failures) {
        this.failures = checkCount(failures, "failures");
        return this;
      }

      /** Failures per error kind, replacing any given before; none by default. */
      public Builder byKind(Map<ErrorKind, Integer> byKind) {
        this.byKind = Map.copyOf(Objects.requireNonNull(byKind, "byKind"));
        return this;
      }

      /**
       * Builds the row.
       *
       * @throws IllegalStateException when the provider or task type is missing, or failures exceed attempts
       */
      public Row build() {
        return new Row(this);
      }
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

  private static int checkCount(int count, String name) {
    if (count < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 (was " + count + "): count the attempts ended in "
          + "the window");
    }
    return count;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FailureReport r && from.equals(r.from) && to.equals(r.to) && rows.equals(r.rows)
        && suggestions.equals(r.suggestions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, rows, suggestions);
  }

  @Override
  public String toString() {
    return "FailureReport[from=" + from + ", to=" + to + ", rows=" + rows + ", suggestions=" + suggestions + "]";
  }

  /**
   * Builds a {@link FailureReport}. Each setter checks its value at once; lists are copied when set, so reusing a
   * builder never changes a report already built. Mutable and not thread-safe.
   */
  public static final class Builder {
    private @Nullable Instant from;
    private @Nullable Instant to;
    private List<Row> rows = List.of();
    private List<String> suggestions = List.of();

    private Builder() {}

    /** The start of the window. Required. */
    public Builder from(Instant from) {
      this.from = Objects.requireNonNull(from, "from");
      return this;
    }

    /** The end of the window, not before its start. Required. */
    public Builder to(Instant to) {
      this.to = Objects.requireNonNull(to, "to");
      return this;
    }

    /** The rows, sorted by provider then task type, replacing any given before; none by default. */
    public Builder rows(List<Row> rows) {
      this.rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
      return this;
    }

    /** Sentences for people, most useful first, replacing any given before; none by default. */
    public Builder suggestions(List<String> suggestions) {
      this.suggestions = List.copyOf(Objects.requireNonNull(suggestions, "suggestions"));
      return this;
    }

    /**
     * Builds the report.
     *
     * @throws IllegalStateException when the window's start or end is missing, or it ends before it starts
     */
    public FailureReport build() {
      return new FailureReport(this);
    }
  }
}
