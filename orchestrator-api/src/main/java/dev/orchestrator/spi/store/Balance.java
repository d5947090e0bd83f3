package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a budget account holds: spent (settled costs) and reserved (the worst cases of calls in flight), with the part
 * of spent that was settled as an estimate and what calls cost beyond their reservations.
 *
 * @param account the account
 * @param spent settled costs, measured and estimated, in US dollars
 * @param reserved reservations of calls in flight, in US dollars
 * @param estimated the part of {@code spent} settled as an estimate (calls that may have been billed without
 *     reporting their usage, recorded at their reservation), in US dollars
 * @param overrun what settlements cost beyond the reservations they released, summed over settlements (each adds
 *     {@code max(0, actual - reservation)} when its reservation was still held), in US dollars
 *
 * @since 0.1
 */
public record Balance(Account account, BigDecimal spent, BigDecimal reserved, BigDecimal estimated,
    BigDecimal overrun) {
  public Balance {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(estimated, "estimated");
    Objects.requireNonNull(overrun, "overrun");
  }

  /** A balance with nothing estimated and no overrun. */
  public Balance(Account account, BigDecimal spent, BigDecimal reserved) {
    this(account, spent, reserved, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** The part of {@code spent} measured from the vendors' usage: spent minus estimated. */
  public BigDecimal measured() {
    return spent.subtract(estimated);
  }
}
