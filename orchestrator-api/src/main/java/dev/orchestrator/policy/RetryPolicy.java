package dev.orchestrator.policy;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When and how a failed task is tried again: exponential backoff with optional jitter, a maximum number of attempts,
 * the error kinds worth retrying, a per-attempt timeout, and failover to the next candidate provider. Immutable and
 * thread-safe.
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
 * @since 0.1
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofMinutes(1), Duration.ofMinutes(8), 2, 0,
      transientKinds(), null, 2);
  private static final RetryPolicy NONE = DEFAULTS.toBuilder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration delay;
  private final Duration maxDelay;
  private final double factor;
  private final double jitter;
  private final Set<ErrorKind> retryOn;
  private final @Nullable Duration attemptTimeout;
  private final int failoverAfter;

  private RetryPolicy(int maxAttempts, Duration delay, Duration maxDelay, double factor, double jitter,
      Collection<ErrorKind> retryOn, @Nullable Duration attemptTimeout, int failoverAfter) {
    this.maxAttempts = checkMaxAttempts(maxAttempts);
    checkBackoff(delay, maxDelay);
    this.delay = delay;
    this.maxDelay = maxDelay;
    this.factor = checkFactor(factor);
    this.jitter = checkJitter(jitter);
    this.retryOn = checkRetryOn(retryOn);
    this.attemptTimeout = attemptTimeout == null ? null : checkAttemptTimeout(attemptTimeout);
    this.failoverAfter = checkFailoverAfter(failoverAfter);
  }

  /** The roadmap's defaults: 5 attempts, waits of 1, 2, 4, 8 minutes, failover after 2 failures, no jitter. */
  public static RetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** One attempt, never retried. */
  public static RetryPolicy none() {
    return NONE;
  }

  /** A builder starting from {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder holding this policy's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Attempts in all, the first included; 1 means no retry. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the first retry. */
  public Duration delay() {
    return delay;
  }

  /** The longest wait. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** How much each wait grows. */
  public double factor() {
    return factor;
  }

  /** The fraction (0 to 1) by which each wait is randomly shortened or lengthened. */
  public double jitter() {
    return jitter;
  }

  /** The error kinds that are retried; an unmodifiable set. */
  public Set<ErrorKind> retryOn() {
    return retryOn;
  }

  /** The longest one attempt may take when the task sets no timeout, or null for no limit. */
  public @Nullable Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Failures on one provider after which the next attempt goes to the next candidate. */
  public int failoverAfter() {
    return failoverAfter;
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
    // Compared as doubles, but the cap is returned as given: a long of nanoseconds rounded to a double and back can
    // come out above it.
    return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
  }

  private static Set<ErrorKind> transientKinds() {
    Set<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
    for (ErrorKind k : ErrorKind.values()) {
      if (k.retryable()) {
        kinds.add(k);
      }
    }
    return kinds;
  }

  private static int checkMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 (was " + maxAttempts
          + "): count the first attempt too; 1 means no retry");
    }
    return maxAttempts;
  }

  private static void checkBackoff(Duration delay, Duration maxDelay) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (delay.isNegative() || maxDelay.compareTo(delay) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= delay <= maxDelay (was delay=" + delay
          + ", maxDelay=" + maxDelay + "): give the first wait, then the longest");
    }
  }

  private static double checkFactor(double factor) {
    if (!(factor >= 1) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a finite number >= 1 (was " + factor
          + "): each wait is the last one times the factor; 1 keeps the waits equal, 2 doubles them");
    }
    return factor;
  }

  private static double checkJitter(double jitter) {
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be within 0..1 (was " + jitter
          + "): the fraction by which each wait may be shortened or lengthened, such as 0.1");
    }
    return jitter;
  }

  private static Set<ErrorKind> checkRetryOn(Collection<ErrorKind> kinds) {
    Objects.requireNonNull(kinds, "retryOn");
    for (ErrorKind k : kinds) {
      Objects.requireNonNull(k, "retryOn must not hold null");
    }
    Set<ErrorKind> copy = EnumSet.noneOf(ErrorKind.class);
    copy.addAll(kinds);
    return Collections.unmodifiableSet(copy);
  }

  private static Duration checkAttemptTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "attemptTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("attemptTimeout must be positive (was " + timeout
          + "): give the longest one attempt may take, such as Duration.ofMinutes(5)");
    }
    return timeout;
  }

  private static int checkFailoverAfter(int failoverAfter) {
    if (failoverAfter < 1) {
      throw new IllegalArgumentException("failoverAfter must be >= 1 (was " + failoverAfter
          + "): give the failures on one provider after which the next candidate is tried, such as 2");
    }
    return failoverAfter;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RetryPolicy p && p.maxAttempts == maxAttempts && p.delay.equals(delay)
        && p.maxDelay.equals(maxDelay) && Double.compare(p.factor, factor) == 0
        && Double.compare(p.jitter, jitter) == 0 && p.retryOn.equals(retryOn)
        && Objects.equals(p.attemptTimeout, attemptTimeout) && p.failoverAfter == failoverAfter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, delay, maxDelay, factor, jitter, retryOn, attemptTimeout, failoverAfter);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", delay=" + delay + ", maxDelay=" + maxDelay + ", factor="
        + factor + ", jitter=" + jitter + ", retryOn=" + retryOn + ", attemptTimeout=" + attemptTimeout
        + ", failoverAfter=" + failoverAfter + "]";
  }

  /**
   * Builds a {@link RetryPolicy}, starting from {@link #ofDefaults()} (or the policy it came from). Each setter checks
   * its value at once and throws {@link IllegalArgumentException} naming the setting, the value and the range
   * allowed, so a value that was refused is never kept. Mutable and not thread-safe; reusing a builder never changes
   * a policy already built.
   */
  public static final class Builder {
    private int maxAttempts;
    private Duration delay;
    private Duration maxDelay;
    private double factor;
    private double jitter;
    private Set<ErrorKind> retryOn;
    private @Nullable Duration attemptTimeout;
    private int failoverAfter;

    private Builder(RetryPolicy from) {
      this.maxAttempts = from.maxAttempts;
      this.delay = from.delay;
      this.maxDelay = from.maxDelay;
      this.factor = from.factor;
      this.jitter = from.jitter;
      this.retryOn = from.retryOn;
      this.attemptTimeout = from.attemptTimeout;
      this.failoverAfter = from.failoverAfter;
    }

    /** Attempts in all, the first included, at least 1; 5 by default. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = checkMaxAttempts(maxAttempts);
      return this;
    }

    /**
     * Exponential backoff growing by the {@link #factor(double) factor} from {@code delay} up to {@code maxDelay}
     * ({@code 0 <= delay <= maxDelay}); 1 and 8 minutes by default.
     */
    public Builder backoff(Duration delay, Duration maxDelay) {
      checkBackoff(delay, maxDelay);
      this.delay = delay;
      this.maxDelay = maxDelay;
      return this;
    }

    /** How much each wait grows, a finite number at least 1; 2 by default. */
    public Builder factor(double factor) {
      this.factor = checkFactor(factor);
      return this;
    }

    /** A fixed wait between attempts, not negative: the same as {@code backoff(delay, delay).factor(1)}. */
    public Builder fixedDelay(Duration delay) {
      checkBackoff(delay, delay);
      this.delay = delay;
      this.maxDelay = delay;
      this.factor = 1;
      return this;
    }

    /**
     * Randomly shortens or lengthens each wait by up to this fraction (0 to 1), so retries of many tasks spread out;
     * 0 by default.
     */
    public Builder jitter(double jitter) {
      this.jitter = checkJitter(jitter);
      return this;
    }

    /** The error kinds that are retried (replaces the default: every transient kind). */
    public Builder retryOn(ErrorKind first, ErrorKind... rest) {
      ErrorKind[] all = Arrays.copyOf(rest, rest.length + 1);
      all[rest.length] = first;
      this.retryOn = checkRetryOn(Arrays.asList(all));
      return this;
    }

    /**
     * The error kinds that are retried (replaces the default: every transient kind); an empty collection retries
     * no kind.
     */
    public Builder retryOn(Collection<ErrorKind> kinds) {
      this.retryOn = checkRetryOn(kinds);
      return this;
    }

    /** The longest one attempt may take when the task sets no timeout, positive; no limit by default. */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = checkAttemptTimeout(timeout);
      return this;
    }

    /** Failures on one provider after which the next attempt goes to the next candidate, at least 1; 2 by default. */
    public Builder failoverAfter(int failures) {
      this.failoverAfter = checkFailoverAfter(failures);
      return this;
    }

    /** Builds the policy; every value was checked when it was set. */
    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, delay, maxDelay, factor, jitter, retryOn, attemptTimeout, failoverAfter);
    }
  }
}
