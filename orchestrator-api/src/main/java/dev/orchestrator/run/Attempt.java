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
 * One provider call made for a task, and how it ended. A call just made is {@link #started}, and {@link #ended}
 * when it returns; a store reading its rows back uses {@link #builder()}. The constructor is private, so stores keep
 * compiling when fields are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * Attempt failed = Attempt.builder()
 *     .number(1).provider("openai").startedAt(t0).finishedAt(t1)
 *     .outcome(Attempt.Outcome.FAILED).errorKind(ErrorKind.RATE_LIMITED).message("429 slow down")
 *     .build();
 * }</pre>
 *
 * <p>Two attempts are equal when every value is equal (amounts compare by value).
 *
 * @since 0.1
 */
public final class Attempt {
  /** How an attempt ended. */
  public enum Outcome {
    SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, ASKED_FOR_INPUT,
    /** A review call whose verdict approved the output; the message holds the score and feedback. */
    APPROVED,
    /** A review call whose verdict rejected the output; the message holds the score and feedback. */
    REJECTED
  }

  private final int number;
  private final String provider;
  private final Instant startedAt;
  private final @Nullable Instant finishedAt;
  private final @Nullable Outcome outcome;
  private final @Nullable ErrorKind errorKind;
  private final @Nullable String message;
  private final TokenUsage usage;
  private final Money cost;
  private final CostBasis costBasis;
  private final @Nullable String prompt;

  private Attempt(Builder b) {
    if (b.number == 0) {
      throw new IllegalStateException("number is required: call number(n), 1 for the first attempt");
    }
    this.number = b.number;
    this.provider = required(b.provider, "provider");
    this.startedAt = required(b.startedAt, "startedAt");
    this.finishedAt = b.finishedAt;
    this.outcome = b.outcome;
    this.errorKind = b.errorKind;
    this.message = b.message;
    this.usage = b.usage;
    this.cost = b.cost;
    this.costBasis = b.costBasis;
    this.prompt = b.prompt;
  }

  /** A call just made. */
  public static Attempt started(int number, String provider, Instant at) {
    return started(number, provider, at, null);
  }

  /** A call just made with {@code prompt}. */
  public static Attempt started(int number, String provider, Instant at, @Nullable String prompt) {
    return builder().number(number).provider(provider).startedAt(at).prompt(prompt).build();
  }

  /**
   * Starts an attempt: in flight (no end, outcome or failure), no tokens, free, measured, without its prompt.
   * Number, provider and {@code startedAt} are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this attempt's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** 1 for the first attempt. */
  public int number() {
    return number;
  }

  /** The provider instance called. */
  public String provider() {
    return provider;
  }

  /** When the call was made. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When it ended, or null while in flight. */
  public @Nullable Instant finishedAt() {
    return finishedAt;
  }

  /** How it ended, or null while in flight. */
  public @Nullable Outcome outcome() {
    return outcome;
  }

  /** The classified failure, or null. */
  public @Nullable ErrorKind errorKind() {
    return errorKind;
  }

  /** The failure's message (for a review, the score and feedback), or null. */
  public @Nullable String message() {
    return message;
  }

  /** The tokens it consumed. */
  public TokenUsage usage() {
    return usage;
  }

  /**
   * What it cost (for an estimated cost, the worst case); while in flight, what its call reserved, marked
   * {@link CostBasis#ESTIMATED}, so a run taken over after a crash settles the call at its worst case.
   */
  public Money cost() {
    return cost;
  }

  /**
   * How the cost was found: measured from the vendor's usage, estimated at the reservation (a call that may have
   * been billed without reporting its usage), or unpriced (recorded at zero).
   */
  public CostBasis costBasis() {
    return costBasis;
  }

  /**
   * The prompt the provider was sent, as sent (placeholders filled, the outputs of the tasks it depends on included,
   * prompt guards applied), or null for an attempt recorded without it.
   */
  public @Nullable String prompt() {
    return prompt;
  }

  /** This attempt, ended. */
  public Attempt ended(Instant at, Outcome outcome, @Nullable ErrorKind kind, @Nullable String message,
      TokenUsage usage, Money cost) {
    return ended(at, outcome, kind, message, usage, cost, CostBasis.MEASURED);
  }

  /** This attempt, ended, with how its cost was found. */
  public Attempt ended(Instant at, Outcome outcome, @Nullable ErrorKind kind, @Nullable String message,
      TokenUsage usage, Money cost, CostBasis basis) {
    return toBuilder().finishedAt(at).outcome(outcome).errorKind(kind).message(message).usage(usage).cost(cost)
        .costBasis(basis).build();
  }

  /** This attempt, holding the prompt its call was sent. */
  public Attempt withPrompt(@Nullable String sent) {
    return toBuilder().prompt(sent).build();
  }

  /** How long it took, or null while in flight. */
  public @Nullable Duration duration() {
    return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Attempt a && number == a.number && provider.equals(a.provider)
        && startedAt.equals(a.startedAt) && Objects.equals(finishedAt, a.finishedAt) && outcome == a.outcome
        && errorKind == a.errorKind && Objects.equals(message, a.message) && usage.equals(a.usage)
        && cost.equals(a.cost) && costBasis == a.costBasis && Objects.equals(prompt, a.prompt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, provider, startedAt, finishedAt, outcome, errorKind, message, usage, cost, costBasis,
        prompt);
  }

  /**
   * For people, as {@link TaskRecord#history()} lists attempts: {@code "chatgpt TIMEOUT"},
   * {@code "claude succeeded"}.
   */
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

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds an {@link Attempt}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes
   * an attempt already built.
   */
  public static final class Builder {
    private int number;
    private @Nullable String provider;
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Outcome outcome;
    private @Nullable ErrorKind errorKind;
    private @Nullable String message;
    private TokenUsage usage = TokenUsage.NONE;
    private Money cost = Money.ZERO;
    private CostBasis costBasis = CostBasis.MEASURED;
    private @Nullable String prompt;

    private Builder() {}

    private Builder(Attempt from) {
      this.number = from.number;
      this.provider = from.provider;
      this.startedAt = from.startedAt;
      this.finishedAt = from.finishedAt;
      this.outcome = from.outcome;
      this.errorKind = from.errorKind;
      this.message = from.message;
      this.usage = from.usage;
      this.cost = from.cost;
      this.costBasis = from.costBasis;
      this.prompt = from.prompt;
    }

    /**
     * The attempt's number, 1 for the first; required.
     *
     * @throws IllegalArgumentException when {@code number} is below 1
     */
    public Builder number(int number) {
      if (number < 1) {
        throw new IllegalArgumentException("number must be >= 1 (was " + number
            + "): attempts count from 1, the first call made for the task");
      }
      this.number = number;
      return this;
    }

    /** The provider instance called; required. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** When the call was made; required. */
    public Builder startedAt(Instant startedAt) {
      this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
      return this;
    }

    /** When it ended; none by default (in flight), and null clears it. */
    public Builder finishedAt(@Nullable Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    /** How it ended; none by default (in flight), and null clears it. */
    public Builder outcome(@Nullable Outcome outcome) {
      this.outcome = outcome;
      return this;
    }

    /** The classified failure; none by default, and null clears it. */
    public Builder errorKind(@Nullable ErrorKind errorKind) {
      this.errorKind = errorKind;
      return this;
    }

    /** The failure's message; none by default, and null clears it. */
    public Builder message(@Nullable String message) {
      this.message = message;
      return this;
    }

    /** The tokens it consumed; none by default. */
    public Builder usage(TokenUsage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** What it cost, or while in flight what its call reserved; zero by default. */
    public Builder cost(Money cost) {
      this.cost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    /** How the cost was found; {@link CostBasis#MEASURED} by default. */
    public Builder costBasis(CostBasis costBasis) {
      this.costBasis = Objects.requireNonNull(costBasis, "costBasis");
      return this;
    }

    /** The prompt the provider was sent; none by default, and null clears it. */
    public Builder prompt(@Nullable String prompt) {
      this.prompt = prompt;
      return this;
    }

    /**
     * Builds the attempt.
     *
     * @throws IllegalStateException when number, provider or {@code startedAt} was not given
     */
    public Attempt build() {
      return new Attempt(this);
    }
  }
}
