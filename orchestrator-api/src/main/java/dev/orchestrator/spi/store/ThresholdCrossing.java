package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An alert threshold of a budget that a settlement crossed: reported once per account and threshold, whichever
 * process settled (a raised limit lets thresholds above the new share fire again).
 *
 * @param account the account
 * @param threshold the share of the limit, for example 0.5
 * @param spent what the account has spent now
 * @param limit the account's limit
 * @since 0.1
 */
public record ThresholdCrossing(Account account, double threshold, BigDecimal spent, BigDecimal limit) {
  public ThresholdCrossing {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(limit, "limit");
  }
}
