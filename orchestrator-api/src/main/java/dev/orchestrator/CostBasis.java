package dev.orchestrator;

/**
 * How the cost of a call was found, so reports keep measured and estimated spend apart and say which calls have no
 * price.
 *
 * @since 0.1
 */
public enum CostBasis {
  /** Priced from the usage the vendor reported by its published rates, or the cost the vendor itself reported. */
  MEASURED,
  /**
   * The call may have been billed for more than was reported (a stream cut before its usage, a timeout or a
   * cancellation after the request was sent): it is recorded at its reservation, the worst case, so the ledger errs
   * on the side of the money.
   */
  ESTIMATED,
  /**
   * The model has no price: the call is recorded at zero. Configure a price for the model (or a per-call cap on the
   * provider); a budgeted task is not started on an unpriced model.
   */
  UNPRICED;

  /** The less certain of two bases: UNPRICED over ESTIMATED over MEASURED. */
  public CostBasis and(CostBasis other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
