package dev.orchestrator.learn;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider instance set aside for one task type because it failed too often there: strategies offer it last until
 * {@link #retryAt()}, when it is tried again with a clean slate for that type. Made with {@link #builder(String,
 * String)}; the constructor is private, so callers keep compiling when a demotion carries more. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Demotion d = Demotion.builder("claude", "code_generation").since(now).retryAt(now.plus(Duration.ofHours(1)))
 *     .failures(7).sample(10).evidence("claude failed 7 of its last 10 code_generation attempts").build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Demotion {
  private final String provider;
  private final String taskType;
  private final Instant since;
  private final Instant retryAt;
  private final int failures;
  private final int sample;
  private final String evidence;

  private Demotion(Builder b) {
    if (b.since == null || b.retryAt == null || b.evidence == null || b.sample == 0) {
      throw new IllegalStateException("a demotion needs since, retryAt, sample and evidence: call since(...), "
          + "retryAt(...), sample(...) and evidence(...) (was since=" + b.since + ", retryAt=" + b.retryAt
          + ", sample=" + b.sample + ", evidence=" + b.evidence + ")");
    }
    if (b.retryAt.isBefore(b.since)) {
      throw new IllegalStateException("retryAt must not be before since (was since=" + b.since + ", retryAt="
          + b.retryAt + "): give the time the provider is tried again");
    }
    if (b.failures > b.sample) {
      throw new IllegalStateException("failures must not exceed sample (was " + b.failures + " of " + b.sample
          + "): count the failures among the outcomes counted");
    }
    this.provider = b.provider;
    this.taskType = b.taskType;
    this.since = b.since;
    this.retryAt = b.retryAt;
    this.failures = b.failures;
    this.sample = b.sample;
    this.evidence = b.evidence;
  }

  /**
   * Starts a demotion of {@code provider} for {@code taskType}; since, retry time, sample and evidence are required.
   *
   * @throws NullPointerException when either is null
   */
  public static Builder builder(String provider, String taskType) {
    return new Builder(provider, taskType);
  }

  /** The provider instance. */
  public String provider() {
    return provider;
  }

  /** The task type it is demoted for. */
  public String taskType() {
    return taskType;
  }

  /** When it was demoted (the failure that crossed the threshold). */
  public Instant since() {
    return since;
  }

  /** When it is tried again. */
  public Instant retryAt() {
    return retryAt;
  }

  /** The failures among the recent outcomes that crossed the threshold. */
  public int failures() {
    return failures;
  }

  /** The recent outcomes counted. */
  public int sample() {
    return sample;
  }

  /**
   * The evidence in words, such as
   * {@code "claude failed 7 of its last 10 code_generation attempts (70% >= 60%); retried at 2026-05-01T10:00Z"}.
   */
  public String evidence() {
    return evidence;
  }

  /** The failure rate that crossed the threshold, 0 to 1. */
  public double failureRate() {
    return failures / (double) sample;
  }

  /** Whether the demotion still holds at {@code at}: before {@link #retryAt()}. */
  public boolean activeAt(Instant at) {
    return at.isBefore(retryAt);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Demotion d && provider.equals(d.provider) && taskType.equals(d.taskType)
        && since.equals(d.since) && retryAt.equals(d.retryAt) && failures == d.failures && sample == d.sample
        && evidence.equals(d.evidence);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, taskType, since, retryAt, failures, sample, evidence);
  }

  @Override
  public String toString() {
    return "Demotion[provider=" + provider + ", taskType=" + taskType + ", since=" + since + ", retryAt=" + retryAt
        + ", failures=" + failures + ", sample=" + sample + ", evidence=" + evidence + "]";
  }

  /** Builds a {@link Demotion}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private final String provider;
    private final String taskType;
    private @Nullable Instant since;
    private @Nullable Instant retryAt;
    private int failures;
    private int sample;
    private @Nullable String evidence;

    private Builder(String provider, String taskType) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.taskType = Objects.requireNonNull(taskType, "taskType");
    }

    /** When it was demoted. */
    public Builder since(Instant since) {
      this.since = Objects.requireNonNull(since, "since");
      return this;
    }

    /** When it is tried again: not before {@link #since}. */
    public Builder retryAt(Instant retryAt) {
      this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
      return this;
    }

    /**
     * The failures among the outcomes counted.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder failures(int failures) {
      if (failures < 0) {
        throw new IllegalArgumentException("failures must be >= 0 (was " + failures + "): count the failures");
      }
      this.failures = failures;
      return this;
    }

    /**
     * The recent outcomes counted.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder sample(int sample) {
      if (sample < 1) {
        throw new IllegalArgumentException("sample must be >= 1 (was " + sample + "): count the outcomes the "
            + "failure rate was judged over");
      }
      this.sample = sample;
      return this;
    }

    /**
     * The evidence in words.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder evidence(String evidence) {
      Objects.requireNonNull(evidence, "evidence");
      if (evidence.isBlank()) {
        throw new IllegalArgumentException("evidence must not be blank: say in words what the provider failed");
      }
      this.evidence = evidence;
      return this;
    }

    /**
     * The demotion.
     *
     * @throws IllegalStateException when a required value is missing, retryAt is before since, or failures exceed
     *     the sample
     */
    public Demotion build() {
      return new Demotion(this);
    }
  }
}
