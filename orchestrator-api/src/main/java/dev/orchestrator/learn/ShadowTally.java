package dev.orchestrator.learn;

import dev.orchestrator.Money;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What shadow evaluation found of one challenger on one task type: how many comparisons it answered in, how many of
 * them the judge gave it, and what those comparisons cost (the challenger's calls and the judge's, exact). Counts are
 * plain, not weighted by age. Made with {@link #of}; immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ShadowTally {
  private final String challenger;
  private final String taskType;
  private final long comparisons;
  private final long wins;
  private final Money cost;

  private ShadowTally(String challenger, String taskType, long comparisons, long wins, Money cost) {
    this.challenger = challenger;
    this.taskType = taskType;
    this.comparisons = comparisons;
    this.wins = wins;
    this.cost = cost;
  }

  /**
   * A tally.
   *
   * @throws IllegalArgumentException when a count is negative or the wins exceed the comparisons
   */
  public static ShadowTally of(String challenger, String taskType, long comparisons, long wins, Money cost) {
    Objects.requireNonNull(challenger, "challenger");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(cost, "cost");
    if (comparisons < 0 || wins < 0 || wins > comparisons) {
      throw new IllegalArgumentException("a shadow tally needs 0 <= wins <= comparisons (was " + wins + " of "
          + comparisons + "): count the wins among the comparisons counted");
    }
    return new ShadowTally(challenger, taskType, comparisons, wins, cost);
  }

  /** The provider instance that answered beside the incumbents. */
  public String challenger() {
    return challenger;
  }

  /** The task type of the compared tasks. */
  public String taskType() {
    return taskType;
  }

  /** The comparisons that reached a verdict. */
  public long comparisons() {
    return comparisons;
  }

  /** The comparisons the judge gave the challenger. */
  public long wins() {
    return wins;
  }

  /** What the comparisons' calls cost together. */
  public Money cost() {
    return cost;
  }

  /** This tally with one more comparison. */
  public ShadowTally plus(boolean won, Money comparisonCost) {
    return new ShadowTally(challenger, taskType, comparisons + 1, wins + (won ? 1 : 0),
        Money.usd(cost.amount().add(comparisonCost.amount())));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ShadowTally t && challenger.equals(t.challenger) && taskType.equals(t.taskType)
        && comparisons == t.comparisons && wins == t.wins && cost.equals(t.cost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(challenger, taskType, comparisons, wins, cost);
  }

  @Override
  public String toString() {
    return "ShadowTally[challenger=" + challenger + ", taskType=" + taskType + ", comparisons=" + comparisons
        + ", wins=" + wins + ", cost=" + cost + "]";
  }
}
