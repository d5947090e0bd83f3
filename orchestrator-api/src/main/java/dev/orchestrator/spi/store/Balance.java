package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a budget account holds: spent (settled costs) and reserved (the worst cases of calls in flight).
 *
 * @param account the account
 * @param spent settled costs, in US dollars
 * @param reserved reservations of calls in flight, in US dollars
 */
public record Balance(Account account, BigDecimal spent, BigDecimal reserved) {
  public Balance {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(reserved, "reserved");
  }
}
