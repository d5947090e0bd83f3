package dev.orchestrator.learn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The statistics of every provider instance on every task type in one scope (a project, or every project), with the
 * demotions in force: a read view built from the store's event stream up to {@link #lastSequence()}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ProviderStats s = statistics.stats("claude", "code_generation").orElse(null);
 * statistics.forType("code_generation");                      // every provider with outcomes on that type
 * statistics.demotion("claude", "code_generation", now);     // present while claude is set aside for it
 * }</pre>
 *
 * @since 0.1
 */
public final class OutcomeStatistics {
  private static final OutcomeStatistics EMPTY = builder().build();

  private final Map<String, ProviderStats> stats;
  private final Map<String, Demotion> demotions;
  private final Map<String, String> promotions;
  private final Map<String, ShadowTally> shadows;
  private final long lastSequence;

  private OutcomeStatistics(Builder b) {
    this.stats = java.util.Collections.unmodifiableMap(new TreeMap<>(b.stats));
    this.demotions = java.util.Collections.unmodifiableMap(new TreeMap<>(b.demotions));
    this.promotions = java.util.Collections.unmodifiableMap(new TreeMap<>(b.promotions));
    this.shadows = java.util.Collections.unmodifiableMap(new TreeMap<>(b.shadows));
    this.lastSequence = b.lastSequence;
  }

  /** No statistics at all: what a strategy sees before the first outcome. */
  public static OutcomeStatistics empty() {
    return EMPTY;
  }

  /** Starts an empty view. */
  public static Builder builder() {
    return new Builder();
  }

  private static String key(String provider, String taskType) {
    return taskType + '\u0000' + provider;
  }

  /** The statistics of a provider instance on a task type, or empty when it has none. */
  public Optional<ProviderStats> stats(String provider, String taskType) {
    return Optional.ofNullable(stats.get(key(provider, taskType)));
  }

  /** The statistics of a provider instance on a task type, all zero when it has none. */
  public ProviderStats statsOrEmpty(String provider, String taskType) {
    ProviderStats s = stats.get(key(provider, taskType));
    return s != null ? s : ProviderStats.empty(provider, taskType);
  }

  /** Every provider's statistics on one task type, by provider name. */
  public List<ProviderStats> forType(String taskType) {
    List<ProviderStats> out = new ArrayList<>();
    for (ProviderStats s : stats.values()) {
      if (s.taskType().equals(taskType)) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** Every statistic, by task type and then provider name. */
  public List<ProviderStats> all() {
    return List.copyOf(stats.values());
  }

  /** The task types with statistics, sorted. */
  public List<String> taskTypes() {
    return all().stream().map(ProviderStats::taskType).distinct().sorted(Comparator.naturalOrder()).toList();
  }

  /** The latest demotion of each provider instance and task type, in force or expired, by task type and provider. */
  public List<Demotion> demotions() {
    return List.copyOf(demotions.values());
  }

  /** The demotion of a provider instance for a task type that holds at {@code at}, or empty. */
  public Optional<Demotion> demotion(String provider, String taskType, Instant at) {
    Demotion d = demotions.get(key(provider, taskType));
    return d != null && d.activeAt(at) ? Optional.of(d) : Optional.empty();
  }

  /**
   * Why a provider instance is promoted for a task type (it won enough shadow comparisons against the providers
   * tasks of that type ran on, see {@code docs/learning.md}), in words; empty when it is not.
   */
  public Optional<String> promotion(String provider, String taskType) {
    return Optional.ofNullable(promotions.get(key(provider, taskType)));
  }

  /** What shadow evaluation found of each challenger on each task type, by provider then type. */
  public List<ShadowTally> shadowTallies() {
    return List.copyOf(shadows.values());
  }

  /** The sequence of the newest stored event folded in; 0 when none was. */
  public long lastSequence() {
    return lastSequence;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof OutcomeStatistics s && stats.equals(s.stats) && demotions.equals(s.demotions)
        && promotions.equals(s.promotions) && shadows.equals(s.shadows) && lastSequence == s.lastSequence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stats, demotions, promotions, shadows, lastSequence);
  }

  @Override
  public String toString() {
    return "OutcomeStatistics[lastSequence=" + lastSequence + ", stats=" + stats.values() + ", demotions="
        + demotions.values() + "]";
  }

  /**
   * Builds {@link OutcomeStatistics}. Mutable and not thread-safe; reusing a builder never changes a view already
   * built.
   */
  public static final class Builder {
    private final Map<String, ProviderStats> stats = new TreeMap<>();
    private final Map<String, Demotion> demotions = new TreeMap<>();
    private final Map<String, String> promotions = new TreeMap<>();
    private final Map<String, ShadowTally> shadows = new TreeMap<>();
    private long lastSequence;

    private Builder() {}

    /** Adds (or replaces) the statistics of one provider instance on one task type. */
    public Builder add(ProviderStats s) {
      Objects.requireNonNull(s, "stats");
      stats.put(key(s.provider(), s.taskType()), s);
      return this;
    }

    /** Adds (or replaces) the demotion of one provider instance for one task type. */
    public Builder demotion(Demotion d) {
      Objects.requireNonNull(d, "demotion");
      demotions.put(key(d.provider(), d.taskType()), d);
      return this;
    }

    /** What shadow evaluation found of a challenger on a task type (replaces an earlier tally of the same pair). */
    public Builder shadowTally(ShadowTally tally) {
      Objects.requireNonNull(tally, "tally");
      shadows.put(key(tally.challenger(), tally.taskType()), tally);
      return this;
    }

    /** Promotes a provider instance for a task type, with the evidence in words. */
    public Builder promotion(String provider, String taskType, String evidence) {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(taskType, "taskType");
      Objects.requireNonNull(evidence, "evidence");
      promotions.put(key(provider, taskType), evidence);
      return this;
    }

    /**
     * The sequence of the newest stored event folded in; 0 by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder lastSequence(long lastSequence) {
      if (lastSequence < 0) {
        throw new IllegalArgumentException("lastSequence must be >= 0 (was " + lastSequence + ")");
      }
      this.lastSequence = lastSequence;
      return this;
    }

    /** Builds the view. */
    public OutcomeStatistics build() {
      return new OutcomeStatistics(this);
    }
  }
}
