package dev.orchestrator.core.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one call cost, how that was found, and the usage that came with it. A failed call is never assumed free: one
 * that may have been billed without saying for how much is recorded at its reservation (the worst case), estimated.
 *
 * @param amount what the ledger is charged and the attempt records
 * @param basis how {@code amount} was found
 * @param usage the usage that arrived
 */
record CallCost(BigDecimal amount, CostBasis basis, TokenUsage usage) {
  static final CallCost NONE = new CallCost(BigDecimal.ZERO, CostBasis.MEASURED, TokenUsage.NONE);

  CallCost {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(usage, "usage");
  }

  /**
   * The cost of a call that ended with {@code response} (when one arrived, it says what was billed, whatever went
   * wrong after it) or else with {@code failure}.
   *
   * @param reserved what the call reserved before it was made
   */
  static CallCost of(@Nullable ProviderResponse response, @Nullable Throwable failure, BigDecimal reserved) {
    if (response != null) {
      return replied(response, reserved);
    }
    if (failure instanceof ProviderException pe) {
      BigDecimal cost = pe.cost().amount();
      return switch (pe.billing()) {
        case NOT_BILLED, BILLED -> new CallCost(cost, CostBasis.MEASURED, pe.usage());
        case MAY_HAVE_BILLED -> new CallCost(cost.max(reserved), CostBasis.ESTIMATED, pe.usage());
      };
    }
    return stopped(reserved);
  }

  /**
   * A reply's cost. An unpriced reply says nothing of what it cost: under a reservation it is recorded at the
   * reservation, estimated, else at zero, unpriced.
   */
  static CallCost replied(ProviderResponse r, BigDecimal reserved) {
    if (r.costBasis() == CostBasis.UNPRICED) {
      return reserved.signum() > 0
          ? new CallCost(reserved, CostBasis.ESTIMATED, r.usage())
          : new CallCost(BigDecimal.ZERO, CostBasis.UNPRICED, r.usage());
    }
    return new CallCost(r.cost().amount(), r.costBasis(), r.usage());
  }

  /** A call stopped in flight (timed out, cancelled, interrupted): it may have been billed up to its reservation. */
  static CallCost stopped(BigDecimal reserved) {
    return new CallCost(reserved, CostBasis.ESTIMATED, TokenUsage.NONE);
  }

  /** As Money; a free call shares {@link Money#ZERO}, since every attempt keeps its cost. */
  Money money() {
    return amount.signum() == 0 && amount.scale() == 0 ? Money.ZERO : Money.usd(amount);
  }

  boolean estimated() {
    return basis == CostBasis.ESTIMATED;
  }
}
