package dev.orchestrator.budget;

import dev.orchestrator.Money;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one report's project (or everything) spent on one provider instance, with the provider's own limit. Immutable.
 *
 * @param provider the provider instance's name
 * @param spent what the report's finished calls on it cost, measured and estimated
 * @param estimated the part of {@code spent} counted at the calls' reservations (calls that may have been billed
 *     without reporting their usage)
 * @param unpricedCalls how many of the report's finished calls on it had no price (recorded at zero)
 * @param overrun what the provider's calls cost beyond their reservations, from its account, which every project
 *     shares
 * @param limit the provider's limited account shown beside it (its daily one when both are limited, the one that
 *     holds work back first), or null when it has no limit
 *
 * @since 0.1
 */
public record ProviderCost(String provider, Money spent, Money estimated, int unpricedCalls, Money overrun,
    @Nullable BudgetLine limit) {
  public ProviderCost {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(estimated, "estimated");
    Objects.requireNonNull(overrun, "overrun");
    if (unpricedCalls < 0) {
      throw new IllegalArgumentException("unpricedCalls must be >= 0 (was " + unpricedCalls + ")");
    }
  }

  /** The part of {@code spent} measured from the vendor's usage. */
  public Money measured() {
    return spent.minus(estimated);
  }

  /** Whether the provider's limit holds work back now. */
  public boolean paused() {
    return limit != null && limit.paused();
  }
}
