package dev.orchestrator.vcs;

import dev.orchestrator.CostBasis;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.math.BigDecimal;

/**
 * The cost the engine records for a successful reply's attempt, so a commit's {@code Cost-USD} trailer is that
 * amount: a priced reply's own cost; an unpriced one (a command-line agent that reports no usage) at what its call
 * reserved, the provider's {@code estimate(request).high()}, as estimated, or zero when nothing was reserved. The
 * engine's rule is in core ({@code CallCost.replied}); the tests hold the two together.
 */
record RecordedCost(BigDecimal amount, CostBasis basis) {
  static RecordedCost of(AiProvider provider, ProviderRequest request, ProviderResponse r) {
    if (r.costBasis() != CostBasis.UNPRICED) {
      return new RecordedCost(r.cost().amount(), r.costBasis());
    }
    BigDecimal reserved = BigDecimal.ZERO;
    try {
      CostEstimate e = provider.estimate(request);
      if (e != null && e.isKnown() && e.high().amount().signum() > 0) {
        reserved = e.high().amount();
      }
    } catch (RuntimeException e) {
      // the engine counts an estimate that fails as unknown: nothing reserved
    }
    return reserved.signum() > 0 ? new RecordedCost(reserved, CostBasis.ESTIMATED)
        : new RecordedCost(BigDecimal.ZERO, CostBasis.UNPRICED);
  }
}
