package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Why a reservation was refused: the account whose limit it would break, with the figures that show it.
 *
 * @param account the account
 * @param spent what it had spent
 * @param reserved what it had reserved
 * @param limit its limit
 * @param wanted the amount asked for
 * @since 0.1
 */
public record LimitBreach(Account account, BigDecimal spent, BigDecimal reserved, BigDecimal limit,
    BigDecimal wanted) {
  public LimitBreach {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(wanted, "wanted");
  }
}
