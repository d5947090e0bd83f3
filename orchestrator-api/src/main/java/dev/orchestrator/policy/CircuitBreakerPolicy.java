package dev.orchestrator.policy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When a provider's circuit opens and how it recovers, the roadmap's story: after 3 failures within 10 minutes stop
 * sending, test, resume. Open, no call is sent to the provider (its tasks fail over to another candidate or wait);
 * after {@link #openFor()} one probe call is let through; its success closes the circuit, its failure opens it again
 * for twice as long as the last time, up to {@link #maxOpenFor()}. By default the first test comes after 30 seconds,
 * so a provider back from a short outage is used again within a minute, and one that stays down is tried less and
 * less often, at most an hour apart. Immutable and thread-safe.
 *
 * <pre>{@code
 * CircuitBreakerPolicy patient = CircuitBreakerPolicy.builder()       // starts from ofDefaults()
 *     .failureThreshold(5).window(Duration.ofMinutes(5))
 *     .openFor(Duration.ofMinutes(1)).maxOpenFor(Duration.ofMinutes(15))
 *     .probes(2)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class CircuitBreakerPolicy {
  private static final int DEFAULT_FAILURE_THRESHOLD = 3;
  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  private static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
  private static final int DEFAULT_PROBES = 1;
  private static final Duration DEFAULT_MAX_OPEN_FOR = Duration.ofHours(1);

  private static final CircuitBreakerPolicy DEFAULTS = new CircuitBreakerPolicy(DEFAULT_FAILURE_THRESHOLD,
      DEFAULT_WINDOW, DEFAULT_OPEN_FOR, DEFAULT_PROBES, DEFAULT_MAX_OPEN_FOR);
  private static final CircuitBreakerPolicy DISABLED = new CircuitBreakerPolicy(Integer.MAX_VALUE,
      Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1));

  private final int failureThreshold;
  private final Duration window;
  private final Duration openFor;
  private final int probes;
  private final Duration maxOpenFor;

  private CircuitBreakerPolicy(int failureThreshold, Duration window, Duration openFor, int probes,
      Duration maxOpenFor) {
    this.failureThreshold = checkFailureThreshold(failureThreshold);
    this.window = checkWindow(window);
    this.openFor = checkOpenFor(openFor);
    this.probes = checkProbes(probes);
    this.maxOpenFor = checkOpenings(openFor, checkMaxOpenFor(maxOpenFor));
  }

  /**
   * 3 failures within 10 minutes open the circuit for 30 seconds, then for 1, 2, 4 ... minutes after each failed
   * probe, at most 1 hour; one successful probe closes it.
   */
  public static CircuitBreakerPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A breaker that never opens. */
  public static CircuitBreakerPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from {@link #ofDefaults()}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder holding this policy's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Failures within the {@link #window()} that open the circuit; {@link Integer#MAX_VALUE} when disabled. */
  public int failureThreshold() {
    return failureThreshold;
  }

  /** How far back failures count. */
  public Duration window() {
    return window;
  }

  /** How long the circuit stays open before the first probe. */
  public Duration openFor() {
    return openFor;
  }

  /** Successful probes in a row needed to close the circuit again. */
  public int probes() {
    return probes;
  }

  /**
   * The longest the circuit stays open: each failed probe doubles the time before the next one, up to this; equal to
   * {@link #openFor()} when the time does not grow.
   */
  public Duration maxOpenFor() {
    return maxOpenFor;
  }

  /**
   * How long the circuit stays open when a probe fails after it was last open for {@code lastOpenFor}: twice as long,
   * at least {@link #openFor} and at most {@link #maxOpenFor}; {@link #openFor} when the last time is unknown.
   */
  public Duration reopenFor(@Nullable Duration lastOpenFor) {
    if (lastOpenFor == null || lastOpenFor.compareTo(openFor) < 0) {
      return openFor;
    }
    Duration doubled = lastOpenFor.compareTo(maxOpenFor) >= 0 ? maxOpenFor : lastOpenFor.multipliedBy(2);
    return doubled.compareTo(maxOpenFor) > 0 ? maxOpenFor : doubled;
  }

  /** Whether this breaker can ever open. */
  public boolean enabled() {
    return failureThreshold != Integer.MAX_VALUE;
  }

  private static int checkFailureThreshold(int failureThreshold) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1 (was " + failureThreshold
          + "): give the failures within the window that open the circuit, or use CircuitBreakerPolicy.disabled()");
    }
    return failureThreshold;
  }

  private static Duration checkWindow(Duration window) {
    return positive("window", window, "how far back failures count, such as Duration.ofMinutes(10)");
  }

  private static Duration checkOpenFor(Duration openFor) {
    return positive("openFor", openFor,
        "how long the circuit stays open before a probe, such as Duration.ofSeconds(30)");
  }

  private static int checkProbes(int probes) {
    if (probes < 1) {
      throw new IllegalArgumentException(
          "probes must be >= 1 (was " + probes + "): give the successful probes that close the circuit, such as 1");
    }
    return probes;
  }

  private static Duration checkMaxOpenFor(Duration maxOpenFor) {
    return positive("maxOpenFor", maxOpenFor, "the longest the circuit stays open, such as Duration.ofHours(1)");
  }

  /** The rule across two values: the openings grow from {@code openFor} up to {@code maxOpenFor}, never shrink. */
  private static Duration checkOpenings(Duration openFor, Duration maxOpenFor) {
    if (maxOpenFor.compareTo(openFor) < 0) {
      throw new IllegalArgumentException("maxOpenFor must be >= openFor (was maxOpenFor=" + maxOpenFor + ", openFor="
          + openFor + "): it caps how long the circuit stays open after failed probes; set maxOpenFor to at least "
          + openFor + ", or equal to it for openings that do not grow");
    }
    return maxOpenFor;
  }

  private static Duration positive(String name, Duration value, String fix) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive (was " + value + "): give " + fix);
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CircuitBreakerPolicy p && p.failureThreshold == failureThreshold && p.window.equals(window)
        && p.openFor.equals(openFor) && p.probes == probes && p.maxOpenFor.equals(maxOpenFor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(failureThreshold, window, openFor, probes, maxOpenFor);
  }

  @Override
  public String toString() {
    return "CircuitBreakerPolicy[failureThreshold=" + failureThreshold + ", window=" + window + ", openFor="
        + openFor + ", probes=" + probes + ", maxOpenFor=" + maxOpenFor + "]";
  }

  /**
   * Builds a {@link CircuitBreakerPolicy}, starting from {@link #ofDefaults()} (or the policy it came from). Each
   * setter checks its value at once and throws {@link IllegalArgumentException} naming the setting, the value and
   * the range allowed; {@link #build()} checks the rule across values ({@code maxOpenFor >= openFor}). Mutable and
   * not thread-safe; reusing a builder never changes a policy already built.
   */
  public static final class Builder {
    private int failureThreshold;
    private Duration window;
    private Duration openFor;
    private int probes;
    private Duration maxOpenFor;

    private Builder(CircuitBreakerPolicy from) {
      this.failureThreshold = from.failureThreshold;
      this.window = from.window;
      this.openFor = from.openFor;
      this.probes = from.probes;
      this.maxOpenFor = from.maxOpenFor;
    }

    /** Failures within the window that open the circuit, at least 1; 3 by default. */
    public Builder failureThreshold(int failures) {
      this.failureThreshold = checkFailureThreshold(failures);
      return this;
    }

    /** How far back failures count, positive; 10 minutes by default. */
    public Builder window(Duration window) {
      this.window = checkWindow(window);
      return this;
    }

    /**
     * How long the circuit stays open before the first probe, positive; 30 seconds by default. It must not be
     * longer than {@link #maxOpenFor(Duration) maxOpenFor} (1 hour by default) when {@link #build()} is called.
     */
    public Builder openFor(Duration openFor) {
      this.openFor = checkOpenFor(openFor);
      return this;
    }

    /**
     * The longest the circuit stays open as failed probes double the time, positive and at least
     * {@link #openFor(Duration) openFor}; 1 hour by default. Equal to {@code openFor}, the time does not grow.
     */
    public Builder maxOpenFor(Duration maxOpenFor) {
      this.maxOpenFor = checkMaxOpenFor(maxOpenFor);
      return this;
    }

    /** Successful probes in a row that close the circuit again, at least 1; 1 by default. */
    public Builder probes(int probes) {
      this.probes = checkProbes(probes);
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException when {@code maxOpenFor} is shorter than {@code openFor}
     */
    public CircuitBreakerPolicy build() {
      return new CircuitBreakerPolicy(failureThreshold, window, openFor, probes, maxOpenFor);
    }
  }
}
