package dev.orchestrator.spi.store;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The budget accounts of a store, shared by every engine instance that uses it, so a hard limit holds across
 * processes. Limits are the store's budgets ({@link Store#budgets()}); an account is a scope in one period
 * ({@link Account}). Every method is atomic: a reservation is made on every account it names or on none.
 *
 * <p>A reservation belongs to a run's lease: when the lease is lost and the run is claimed again
 * ({@link Store#claimRuns}), the store releases the reservations made under the old lease, so a crashed process
 * never keeps money blocked. A late settlement of a released reservation still records its cost (money spent is
 * never forgotten) but releases nothing.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface Ledger {
  /**
   * Reserves {@code amount} on every account, or on none, under the stored limits.
   *
   * @param reservationId a new, unique id, given back to {@link #settle}
   * @param holder the lease of the run the call belongs to
   * @param implicitTaskLimit a task's own maxCost, for its task account when no limit is stored for it, or null
   * @return null when reserved, else the first account whose limit it would break
   * @throws IllegalArgumentException when the amount is negative or the id is in use
   */
  @Nullable LimitBreach reserve(String reservationId, RunLease holder, List<Account> accounts, BigDecimal amount,
      @Nullable BigDecimal implicitTaskLimit);

  /** What {@link #reserve} would answer now, without reserving. */
  @Nullable LimitBreach check(List<Account> accounts, BigDecimal amount, @Nullable BigDecimal implicitTaskLimit);

  /**
   * Releases a reservation (if it is still held) and adds what the call really cost to every account, measured from
   * the vendor's usage. The same as {@code settle(reservationId, accounts, actual, false)}.
   *
   * @param reservationId the reservation, or null for a call that reserved nothing
   * @param accounts the accounts the call touches (those of the reservation)
   * @param actual what the call cost, in US dollars
   * @return the alert thresholds this settlement crossed for the first time
   */
  default List<ThresholdCrossing> settle(@Nullable String reservationId, List<Account> accounts, BigDecimal actual) {
    return settle(reservationId, accounts, actual, false);
  }

  /**
   * Releases a reservation (if it is still held) and adds what the call cost to every account's spent. When
   * {@code estimated}, the amount is also added to the accounts' {@link Balance#estimated() estimated} part: the worst
   * case of a call that may have been billed without reporting its usage. When the reservation was still held and
   * {@code actual} is more than it, the difference is added to the accounts' {@link Balance#overrun() overrun}; a late
   * settlement of a reservation already released (its run was claimed again) records its cost and releases nothing.
   *
   * @param reservationId the reservation, or null for a call that reserved nothing
   * @param accounts the accounts the call touches (those of the reservation)
   * @param actual what the call cost, in US dollars
   * @param estimated whether {@code actual} is an estimate rather than measured
   * @return the alert thresholds this settlement crossed for the first time
   * @throws IllegalArgumentException when {@code actual} is negative
   */
  List<ThresholdCrossing> settle(@Nullable String reservationId, List<Account> accounts, BigDecimal actual,
      boolean estimated);

  /** The account's balance; zero spent and reserved when it was never used. */
  Balance balance(Account account);

  /** Every account ever used, in no particular order. */
  List<Balance> balances();
}
