package dev.orchestrator.run;

import dev.orchestrator.CostBasis;
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
 * @param cost what it cost (for an estimated cost, the worst case); while in flight, what its call reserved, marked
 *     {@link CostBasis#ESTIMATED}, so a run taken over after a crash settles the call at its worst case
 * @param costBasis how the cost was found: measured from the vendor's usage, estimated at the reservation (a call
 *     that may have been billed without reporting its usage), or unpriced (recorded at zero)
 * @param prompt the prompt the provider was sent, as sent (placeholders filled, the outputs of the tasks it depends
 *     on included, prompt guards applied), or null for an attempt recorded without it
 *
 * @since 0.1
 */
public record Attempt(int number, String provider, Instant startedAt, @Nullable Instant finishedAt,
    @Nullable Outcome outcome, @Nullable ErrorKind errorKind, @Nullable String message, TokenUsage usage,
    Money cost, CostBasis costBasis, @Nullable String prompt) {
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
    if (costBasis == null) {
      costBasis = CostBasis.MEASURED; // attempts stored before the basis was recorded
    }
  }

  /** An attempt recorded without its prompt. */
  public Attempt(int number, String provider, Instant startedAt, @Nullable Instant finishedAt,
      @Nullable Outcome outcome, @Nullable ErrorKind errorKind, @Nullable String message, TokenUsage usage,
      Money cost, CostBasis costBasis) {
    this(number, provider, startedAt, finishedAt, outcome, errorKind, message, usage, cost, costBasis, null);
  }

  /** An attempt whose cost was measured, recorded without its prompt. */
  public Attempt(int number, String provider, Instant startedAt, @Nullable Instant finishedAt,
      @Nullable Outcome outcome, @Nullable ErrorKind errorKind, @Nullable String message, TokenUsage usage,
      Money cost) {
    this(number, provider, startedAt, finishedAt, outcome, errorKind, message, usage, cost, CostBasis.MEASURED);
  }

  /** A call just made. */
  public static Attempt started(int number, String provider, Instant at) {
    return started(number, provider, at, null);
  }

  /** A call just made with {@code prompt}. */
  public static Attempt started(int number, String provider, Instant at, @Nullable String prompt) {
    return new Attempt(number, provider, at, null, null, null, null, TokenUsage.NONE, Money.ZERO, CostBasis.MEASURED,
        prompt);
  }

  /** This attempt, ended. */
  public Attempt ended(Instant at, Outcome outcome, @Nullable ErrorKind kind, @Nullable String message,
      TokenUsage usage, Money cost) {
    return ended(at, outcome, kind, message, usage, cost, CostBasis.MEASURED);
  }

  /** This attempt, ended, with how its cost was found. */
  public Attempt ended(Instant at, Outcome outcome, @Nullable ErrorKind kind, @Nullable String message,
      TokenUsage usage, Money cost, CostBasis basis) {
    return new Attempt(number, provider, startedAt, at, outcome, kind, message, usage, cost, basis, prompt);
  }

  /** This attempt, holding the prompt its call was sent. */
  public Attempt withPrompt(@Nullable String sent) {
    return new Attempt(number, provider, startedAt, finishedAt, outcome, errorKind, message, usage, cost, costBasis,
        sent);
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
