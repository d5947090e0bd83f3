package dev.orchestrator.policy;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When and how a failed task is tried again: exponential backoff with optional jitter, a maximum number of attempts,
 * the error kinds worth retrying, a per-attempt timeout, and failover to the next candidate provider. Immutable.
 *
 * <p>The defaults are the roadmap's: up to 5 attempts, waiting 1, 2, 4 and 8 minutes, retrying only transient
 * kinds ({@link ErrorKind#retryable()}), and moving to the next candidate provider after 2 failures on one. A
 * provider's {@code Retry-After} is honoured when it asks for longer. While it waits, a task is in
 * {@code RETRY_WAIT} and holds no thread and no concurrency slot.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.builder().maxAttempts(5).backoff(Duration.ofMinutes(1), Duration.ofMinutes(8))
 *     .jitter(0.1).failoverAfter(2).build();
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included; 1 means no retry
 * @param delay the wait before the first retry
 * @param maxDelay the longest wait
 * @param factor how much each wait grows
 * @param jitter the fraction (0 to 1) by which each wait is randomly shortened or lengthened
 * @param retryOn the error kinds that are retried
 * @param attemptTimeout the longest one attempt may take when the task sets no timeout, or null
 * @param failoverAfter failures on one provider after which the next attempt goes to the next candidate
 */
public record RetryPolicy(int maxAttempts, Duration delay, Duration maxDelay, double factor, double jitter,
    Set<ErrorKind> retryOn, @Nullable Duration attemptTimeout, int failoverAfter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 (was " + maxAttempts + ")");
    }
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (delay.isNegative() || maxDelay.compareTo(delay) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= delay <= maxDelay (was delay=" + delay + ", maxDelay=" + maxDelay + ")");
    }
    if (!(factor >= 1)) {
      throw new IllegalArgumentException("backoff factor must be >= 1 (was " + factor + ")");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be within 0..1 (was " + jitter + ")");
    }
    retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
    if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
      throw new IllegalArgumentException("attemptTimeout must be positive (was " + attemptTimeout + ")");
    }
    if (failoverAfter < 1) {
      throw new IllegalArgumentException("failoverAfter must be >= 1 (was " + failoverAfter + ")");
    }
  }

  /** The roadmap's defaults: 5 attempts, waits of 1, 2, 4, 8 minutes, failover after 2 failures, no jitter. */
  public static RetryPolicy ofDefaults() {
    return builder().build();
  }

  /** One attempt, never retried. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.delay = delay;
    b.maxDelay = maxDelay;
    b.factor = factor;
    b.jitter = jitter;
    b.retryOn = retryOn.isEmpty() ? EnumSet.noneOf(ErrorKind.class) : EnumSet.copyOf(retryOn);
    b.attemptTimeout = attemptTimeout;
    b.failoverAfter = failoverAfter;
    return b;
  }

  /** Whether a failure of this kind, ending attempt number {@code attempt}, is followed by another attempt. */
  public boolean retries(ErrorKind kind, int attempt) {
    return attempt < maxAttempts && retryOn.contains(kind);
  }

  /**
   * The wait before attempt {@code attempt + 1}, before jitter: {@code delay * factor^(attempt - 1)}, at most
   * {@code maxDelay}.
   */
  public Duration backoff(int attempt) {
    double nanos = delay.toNanos() * Math.pow(factor, Math.max(0, attempt - 1));
    long capped = (long) Math.min(nanos, (double) maxDelay.toNanos());
    return Duration.ofNanos(capped);
  }

  /** Builds a {@link RetryPolicy}. Mutable, not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration delay = Duration.ofMinutes(1);
    private Duration maxDelay = Duration.ofMinutes(8);
    private double factor = 2;
    private double jitter;
    private Set<ErrorKind> retryOn = defaultKinds();
    private @Nullable Duration attemptTimeout;
    private int failoverAfter = 2;

    Builder() {}

    private static Set<ErrorKind> defaultKinds() {
      Set<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
      for (ErrorKind k : ErrorKind.values()) {
        if (k.retryable()) {
          kinds.add(k);
        }
      }
      return kinds;
    }

    /** Attempts in all, the first included. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Exponential backoff doubling from {@code delay} up to {@code maxDelay}. */
    public Builder backoff(Duration delay, Duration maxDelay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    /** How much each wait grows; 2 by default. */
    public Builder factor(double factor) {
      this.factor = factor;
      return this;
    }

    /** A fixed wait between attempts. */
    public Builder fixedDelay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      this.maxDelay = delay;
      this.factor = 1;
      return this;
    }

    /** Randomly shortens or lengthens each wait by up to this fraction, so retries of many tasks spread out. */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** The error kinds that are retried (replaces the default: every transient kind). */
    public Builder retryOn(ErrorKind first, ErrorKind... rest) {
      this.retryOn = EnumSet.of(first, rest);
      return this;
    }

    /** The longest one attempt may take when the task sets no timeout. */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Failures on one provider after which the next attempt goes to the next candidate; 2 by default. */
    public Builder failoverAfter(int failures) {
      this.failoverAfter = failures;
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, delay, maxDelay, factor, jitter, retryOn, attemptTimeout, failoverAfter);
    }
  }
}
