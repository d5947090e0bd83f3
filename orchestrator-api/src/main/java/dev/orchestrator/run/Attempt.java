package dev.orchestrator.run;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One provider call made for a task, and how it ended.
 *
 * @param number 1 for the first attempt
 * @param provider the provider instance called
 * @param startedAt when the call was made
 * @param finishedAt when it ended, or null while in flight
 * @param outcome how it ended, or null while in flight
 * @param errorKind the classified failure, or null
 * @param message the failure's message, or null
 * @param usage the tokens it consumed
 * @param cost what it cost
 */
public record Attempt(int number, String provider, Instant startedAt, @Nullable Instant finishedAt,
    @Nullable Outcome outcome, @Nullable ErrorKind errorKind, @Nullable String message, TokenUsage usage,
    Money cost) {
  /** How an attempt ended. */
  public enum Outcome {
    SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, ASKED_FOR_INPUT,
    /** A review call whose verdict approved the output; the message holds the score and feedback. */
    APPROVED,
    /** A review call whose verdict rejected the output; the message holds the score and feedback. */
    REJECTED
  }

  public Attempt {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(cost, "cost");
  }

  /** A call just made. */
  public static Attempt started(int number, String provider, Instant at) {
    return new Attempt(number, provider, at, null, null, null, null, TokenUsage.NONE, Money.ZERO);
  }

  /** This attempt, ended. */
  public Attempt ended(Instant at, Outcome outcome, @Nullable ErrorKind kind, @Nullable String message,
      TokenUsage usage, Money cost) {
    return new Attempt(number, provider, startedAt, at, outcome, kind, message, usage, cost);
  }

  /** How long it took, or null while in flight. */
  public @Nullable Duration duration() {
    return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }

  /** For people: {@code "chatgpt TIMEOUT"}, {@code "claude succeeded"}. */
  @Override
  public String toString() {
    if (outcome == null) {
      return provider + " running";
    }
    return switch (outcome) {
      case SUCCEEDED -> provider + " succeeded";
      case FAILED -> provider + " " + (errorKind != null ? errorKind : "failed");
      case TIMED_OUT -> provider + " TIMEOUT";
      case CANCELLED -> provider + " cancelled";
      case ASKED_FOR_INPUT -> provider + " asked for input";
      case APPROVED -> provider + " approved" + (message == null ? "" : " (" + message + ")");
      case REJECTED -> provider + " rejected" + (message == null ? "" : " (" + message + ")");
    };
  }
}
