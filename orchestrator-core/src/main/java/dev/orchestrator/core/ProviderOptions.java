package dev.orchestrator.core;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How an engine treats one provider instance: how many of its calls may be in flight, how its failures are retried,
 * its circuit breaker, its rate limit and the task types it can take over in a failover. Given with the instance, so
 * nothing is keyed by a name that could be mistyped. Immutable and thread-safe.
 *
 * <pre>{@code
 * Orchestrator.builder()
 *     .provider(claude, ProviderOptions.builder()
 *         .maxConcurrentCalls(4)
 *         .rateLimit(RateLimit.requestsPerMinute(50).andTokensPerMinute(40_000))
 *         .taskTypes("code_generation")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>What is not set falls back to the engine's: {@link Orchestrator.Builder#maxConcurrentCalls(int)},
 * {@link Orchestrator.Builder#retryPolicy(RetryPolicy)}, {@link Orchestrator.Builder#circuitBreaker}; no rate limit
 * and no task types.
 */
public final class ProviderOptions {
  private static final ProviderOptions DEFAULTS = new Builder().build();

  private final @Nullable Integer maxConcurrentCalls;
  private final @Nullable RetryPolicy retryPolicy;
  private final @Nullable CircuitBreakerPolicy circuitBreaker;
  private final RateLimit rateLimit;
  private final Set<String> taskTypes;

  private ProviderOptions(Builder b) {
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.retryPolicy = b.retryPolicy;
    this.circuitBreaker = b.circuitBreaker;
    this.rateLimit = b.rateLimit;
    this.taskTypes = Set.copyOf(b.taskTypes);
  }

  /** Everything from the engine's defaults. */
  public static ProviderOptions ofDefaults() {
    return DEFAULTS;
  }

  /** Starts from the engine's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConcurrentCalls = maxConcurrentCalls;
    b.retryPolicy = retryPolicy;
    b.circuitBreaker = circuitBreaker;
    b.rateLimit = rateLimit;
    b.taskTypes.addAll(taskTypes);
    return b;
  }

  /** The most calls of this instance in flight at once, or empty for the engine's limit. */
  public OptionalInt maxConcurrentCalls() {
    return maxConcurrentCalls == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrentCalls);
  }

  /** How its failed tasks are retried (unless a task says otherwise), or empty for the engine's policy. */
  public Optional<RetryPolicy> retryPolicy() {
    return Optional.ofNullable(retryPolicy);
  }

  /** Its circuit breaker, or empty for the engine's. */
  public Optional<CircuitBreakerPolicy> circuitBreaker() {
    return Optional.ofNullable(circuitBreaker);
  }

  /** How fast it may be called; {@link RateLimit#none()} by default. */
  public RateLimit rateLimit() {
    return rateLimit;
  }

  /** The task types it can do, lower case: a failover candidate for tasks of those types. Empty by default. */
  public Set<String> taskTypes() {
    return taskTypes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProviderOptions other && Objects.equals(maxConcurrentCalls, other.maxConcurrentCalls)
        && Objects.equals(retryPolicy, other.retryPolicy) && Objects.equals(circuitBreaker, other.circuitBreaker)
        && rateLimit.equals(other.rateLimit) && taskTypes.equals(other.taskTypes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxConcurrentCalls, retryPolicy, circuitBreaker, rateLimit, taskTypes);
  }

  @Override
  public String toString() {
    return "ProviderOptions[maxConcurrentCalls=" + maxConcurrentCalls + ", retryPolicy=" + retryPolicy
        + ", circuitBreaker=" + circuitBreaker + ", rateLimit=" + rateLimit + ", taskTypes=" + taskTypes + "]";
  }

  /** Builds {@link ProviderOptions}; every setter checks its value at once. Mutable, not thread-safe. */
  public static final class Builder {
    private @Nullable Integer maxConcurrentCalls;
    private @Nullable RetryPolicy retryPolicy;
    private @Nullable CircuitBreakerPolicy circuitBreaker;
    private RateLimit rateLimit = RateLimit.none();
    private final Set<String> taskTypes = new LinkedHashSet<>();

    private Builder() {}

    /**
     * The most calls of this instance in flight at once.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxConcurrentCalls(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be >= 1 (was " + limit + "): give the most "
            + "calls of this provider that may be in flight at once, such as 4");
      }
      this.maxConcurrentCalls = limit;
      return this;
    }

    /** How its failed tasks are retried, unless a task says otherwise. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /** Its circuit breaker. */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      this.circuitBreaker = Objects.requireNonNull(policy, "circuitBreaker");
      return this;
    }

    /** How fast it may be called; tasks over the limit wait in READY. */
    public Builder rateLimit(RateLimit limit) {
      this.rateLimit = Objects.requireNonNull(limit, "rateLimit");
      return this;
    }

    /**
     * Adds task types it can do: it becomes a failover candidate for tasks of those types (after the task's own
     * providers).
     *
     * @throws IllegalArgumentException when a type is blank
     */
    public Builder taskTypes(String... types) {
      for (String t : types) {
        if (Objects.requireNonNull(t, "taskType").isBlank()) {
          throw new IllegalArgumentException("a task type must not be blank: name the kind of work a task declares "
              + "with taskType(...), such as \"code_generation\"");
        }
        taskTypes.add(t.strip().toLowerCase(Locale.ROOT));
      }
      return this;
    }

    public ProviderOptions build() {
      return new ProviderOptions(this);
    }
  }
}
