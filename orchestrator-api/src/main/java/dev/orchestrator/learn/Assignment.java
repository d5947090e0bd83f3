package dev.orchestrator.learn;

import dev.orchestrator.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LearningStrategy} is asked to decide: one task (its id and type), the provider instances it may run
 * on in the order the workflow lists them, the statistics of its project, what is left of its budget, and the time.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Assignment a = Assignment.builder("review-1", "content_review")
 *     .candidates(List.of("claude", "chatgpt", "gemini"))
 *     .statistics(stats).remainingBudget(Money.usd("4.00")).at(clock.instant())
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Assignment {
  private final String project;
  private final String taskId;
  private final String taskType;
  private final List<String> candidates;
  private final OutcomeStatistics statistics;
  private final @Nullable Money remainingBudget;
  private final Instant at;

  private Assignment(Builder b) {
    if (b.candidates.isEmpty()) {
      throw new IllegalStateException("candidates must name at least one provider instance (was []): list the "
          + "providers the task may run on");
    }
    this.project = b.project;
    this.taskId = b.taskId;
    this.taskType = b.taskType;
    this.candidates = List.copyOf(b.candidates);
    this.statistics = b.statistics;
    this.remainingBudget = b.remainingBudget;
    this.at = b.at;
  }

  /**
   * Starts an assignment of one task.
   *
   * @throws IllegalArgumentException when a name is blank
   */
  public static Builder builder(String taskId, String taskType) {
    return new Builder(checkName("taskId", taskId), checkName("taskType", taskType));
  }

  /** A builder holding these values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(taskId, taskType);
    b.project = project;
    b.candidates.addAll(candidates);
    b.statistics = statistics;
    b.remainingBudget = remainingBudget;
    b.at = at;
    return b;
  }

  /** The task's project; empty when it is not known. */
  public String project() {
    return project;
  }

  /** The task's id in its workflow. */
  public String taskId() {
    return taskId;
  }

  /** The task's type, such as {@code code_generation}. */
  public String taskType() {
    return taskType;
  }

  /** The provider instances the task may run on, in the workflow's order; never empty, no name twice. */
  public List<String> candidates() {
    return candidates;
  }

  /** The statistics to decide by. */
  public OutcomeStatistics statistics() {
    return statistics;
  }

  /** What is left of the tightest budget over the task, or null when no budget applies. */
  public @Nullable Money remainingBudget() {
    return remainingBudget;
  }

  /** When the decision is made, by the engine's clock: demotions are judged at this time. */
  public Instant at() {
    return at;
  }

  /** The statistics of one candidate on this task's type, all zero when it has none. */
  public ProviderStats stats(String candidate) {
    return statistics.statsOrEmpty(candidate, taskType);
  }

  /** Whether a candidate is demoted for this task's type at {@link #at()}. */
  public boolean demoted(String candidate) {
    return statistics.demotion(candidate, taskType, at).isPresent();
  }

  private static String checkName(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was '" + value + "')");
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Assignment a && project.equals(a.project) && taskId.equals(a.taskId)
        && taskType.equals(a.taskType) && candidates.equals(a.candidates) && statistics.equals(a.statistics)
        && Objects.equals(remainingBudget, a.remainingBudget) && at.equals(a.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, taskId, taskType, candidates, statistics, remainingBudget, at);
  }

  @Override
  public String toString() {
    return "Assignment[project=" + project + ", taskId=" + taskId + ", taskType=" + taskType + ", candidates="
        + candidates + ", remainingBudget=" + remainingBudget + ", at=" + at + "]";
  }

  /**
   * Builds an {@link Assignment}. Each setter checks its value at once; {@link #build()} checks that there is a
   * candidate. Mutable and not thread-safe; reusing a builder never changes an assignment already built.
   */
  public static final class Builder {
    private String project = "";
    private final String taskId;
    private final String taskType;
    private final List<String> candidates = new ArrayList<>();
    private OutcomeStatistics statistics = OutcomeStatistics.empty();
    private @Nullable Money remainingBudget;
    private Instant at = Instant.EPOCH;

    private Builder(String taskId, String taskType) {
      this.taskId = taskId;
      this.taskType = taskType;
    }

    /** The task's project; empty by default. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /**
     * The provider instances the task may run on, in the workflow's order; required.
     *
     * @throws IllegalArgumentException when a name is blank or appears twice
     */
    public Builder candidates(List<String> candidates) {
      Objects.requireNonNull(candidates, "candidates");
      LinkedHashSet<String> seen = new LinkedHashSet<>();
      for (String c : candidates) {
        checkName("candidates", c);
        if (!seen.add(c)) {
          throw new IllegalArgumentException("candidates must name each provider once (was " + candidates
              + "): remove the second '" + c + "'");
        }
      }
      this.candidates.clear();
      this.candidates.addAll(seen);
      return this;
    }

    /** The statistics to decide by; {@link OutcomeStatistics#empty()} by default. */
    public Builder statistics(OutcomeStatistics statistics) {
      this.statistics = Objects.requireNonNull(statistics, "statistics");
      return this;
    }

    /**
     * What is left of the tightest budget over the task; none by default, and null clears it.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder remainingBudget(@Nullable Money remaining) {
      if (remaining != null && remaining.isNegative()) {
        throw new IllegalArgumentException("remainingBudget must not be negative (was " + remaining
            + "): give zero when the budget is spent");
      }
      this.remainingBudget = remaining;
      return this;
    }

    /** When the decision is made; {@link Instant#EPOCH} by default. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * Builds the assignment.
     *
     * @throws IllegalStateException when no candidate was given
     */
    public Assignment build() {
      return new Assignment(this);
    }
  }
}
