package dev.orchestrator.store.jdbc.internal;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.function.CheckedSupplier;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one unit of store work (a read, a transaction, the opening) again when it failed for a reason that passes:
 * with exponential backoff and jitter, so processes that collided do not collide again in step, and within a bound.
 *
 * <ul>
 *   <li>{@link #h2(Duration)}: the embedded store, whose file is shared by the processes of a machine. Lock races,
 *       the hand-over of the file from a process that exits (see {@link H2Failures}), lock timeouts, deadlocks and
 *       concurrent updates are retried until {@code busyTimeout} has passed since the first try.
 *   <li>{@link #counted()}: any other database (PostgreSQL). Deadlocks and serialization failures (SQLState
 *       {@code 40xxx}) are retried, five tries in all, as before.
 * </ul>
 * A failure that is not retried, or the last one when the bound is reached, is rethrown as it is: the caller tells
 * "the bound was reached" from "it failed" with {@link #isTransient}. Immutable and thread-safe.
 */
public final class StoreRetry {
  private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);
  /** SQLState of a unique-key violation, on H2 and PostgreSQL alike. */
  public static final String UNIQUE_VIOLATION = "23505";
  private static final int COUNTED_TRIES = 5;
  /** A failure this close to the bound is not tried again: no wait that short is worth another try. */
  private static final Duration LAST_TRY_MARGIN = Duration.ofMillis(5);

  /** One try of the work. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws SQLException;
  }

  private final Predicate<Throwable> transientFailure;
  private final Duration bound;
  private final RetryPolicy<Object> policy;
  private final RetryPolicy<Object> policyOnDuplicates;
  private final RetryPolicy<Object> openPolicy;

  private StoreRetry(Predicate<Throwable> transientFailure, Duration firstDelay, Duration maxDelay, int maxRetries,
      Duration bound) {
    this.transientFailure = transientFailure;
    this.bound = bound;
    Duration maxDuration = bound.isZero() ? Duration.ofDays(1) : bound;
    this.policy = policy(firstDelay, maxDelay, maxRetries, maxDuration)
        .handleIf(t -> t instanceof SQLException && transientFailure.test(t)).build();
    this.policyOnDuplicates = policy(firstDelay, maxDelay, maxRetries, maxDuration)
        .handleIf(t -> t instanceof SQLException s
            && (transientFailure.test(s) || UNIQUE_VIOLATION.equals(s.getSQLState()))).build();
    this.openPolicy = policy(firstDelay, maxDelay, maxRetries, maxDuration)
        .handleIf(t -> transientFailure.test(t)).build();
  }

  /**
   * For the embedded H2 store: everything that sharing the file can cause is retried until {@code busyTimeout}.
   */
  public static StoreRetry h2(Duration busyTimeout) {
    return new StoreRetry(StoreRetry::h2Transient, Duration.ofMillis(10), Duration.ofMillis(500), -1, busyTimeout);
  }

  /** For PostgreSQL and any other database: deadlocks and serialization failures, five tries in all. */
  public static StoreRetry counted() {
    return new StoreRetry(StoreRetry::aborted, Duration.ofMillis(5), Duration.ofMillis(200), COUNTED_TRIES - 1,
        Duration.ZERO);
  }

  private static RetryPolicyBuilder<Object> policy(Duration firstDelay, Duration maxDelay, int maxRetries,
      Duration maxDuration) {
    return RetryPolicy.builder()
        .withBackoff(firstDelay, maxDelay)
        // Jitter: processes that failed together (a hand-over breaks every client at once) must not retry together.
        .withJitter(0.5)
        .withMaxRetries(maxRetries)
        .withMaxDuration(maxDuration)
        .onRetry(e -> log.debug("Retrying store work (attempt={}, elapsed={}, h2Code={}, sqlState={})",
            e.getAttemptCount(), e.getElapsedTime(), H2Failures.code(e.getLastException()),
            e.getLastException() instanceof SQLException s ? s.getSQLState() : null));
  }

  private static boolean h2Transient(Throwable t) {
    return H2Failures.of(t) != H2Failures.Kind.PERMANENT || aborted(t);
  }

  /** SQLState {@code 40xxx}: the database aborted the transaction (deadlock, serialization failure). */
  private static boolean aborted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  /** How long the embedded store keeps trying; zero for counted retries. */
  public Duration bound() {
    return bound;
  }

  /** Whether {@code t} (or a cause) is a failure this store retries: seen at the end, the bound was reached. */
  public boolean isTransient(Throwable t) {
    return transientFailure.test(t);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or the bound is reached. A runtime exception from the
   * work is never retried (it is the work's own answer, such as "run exists").
   *
   * @param retryOnDuplicate also retry a unique-key violation (a row another transaction inserted meanwhile)
   */
  public <T> T call(boolean retryOnDuplicate, Attempt<T> attempt) throws SQLException {
    if (bound.isZero()) {
      return counted(retryOnDuplicate, attempt);
    }
    return bounded(retryOnDuplicate ? policyOnDuplicates : policy, attempt);
  }

  /**
   * Runs {@code attempt} under {@code retries}, but makes a failure in the last {@link #LAST_TRY_MARGIN} before the
   * bound the last one. Failsafe shortens the last delay to what is left of its maximum duration and sleeps in whole
   * milliseconds, so with less than a millisecond left it would try again without waiting, dozens of times on a
   * busy machine: against a file another process holds, that is a hot loop where a wait was meant. Counted retries
   * (no bound) are left to their count.
   */
  private <T> T bounded(RetryPolicy<Object> retries, Attempt<T> attempt) throws SQLException {
    if (bound.isZero()) {
      return unwrapped(retries, attempt::run);
    }
    long lastTryFrom = System.nanoTime() + bound.toNanos() - LAST_TRY_MARGIN.toNanos();
    try {
      return unwrapped(retries, () -> {
        try {
          return attempt.run();
        } catch (SQLException | RuntimeException e) {
          if (System.nanoTime() - lastTryFrom >= 0) {
            throw new LastFailure(e);
          }
          throw e;
        }
      });
    } catch (LastFailure e) {
      if (e.failure instanceof SQLException s) {
        throw s;
      }
      throw (RuntimeException) e.failure;
    }
  }

  private static <T> T unwrapped(RetryPolicy<Object> retries, CheckedSupplier<T> work) throws SQLException {
    try {
      return Failsafe.with(retries).get(work);
    } catch (FailsafeException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw e;
    }
  }

  /** Carries the failure at the bound out of Failsafe untried: no policy handles it. */
  private static final class LastFailure extends RuntimeException {
    final Exception failure;

    LastFailure(Exception failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  /**
   * PostgreSQL's retries, as they have always been: again at once, in the calling thread, five tries in all. Nothing
   * there is shared through a file that changes hands, so there is nothing to wait out, and the engine's threads keep
   * their timing and their interrupts.
   */
  private <T> T counted(boolean retryOnDuplicate, Attempt<T> attempt) throws SQLException {
    for (int tries = 1; ; tries++) {
      try {
        return attempt.run();
      } catch (SQLException e) {
        boolean again = transientFailure.test(e) || (retryOnDuplicate && UNIQUE_VIOLATION.equals(e.getSQLState()));
        if (!again || tries >= COUNTED_TRIES) {
          throw e;
        }
        log.debug("Retrying store work (attempt={}, sqlState={})", tries, e.getSQLState());
      }
    }
  }

  /**
   * Runs opening work (which migration tools and pools wrap in their own runtime exceptions) until it succeeds,
   * fails for good, or the bound is reached; any transient failure among the causes is retried.
   */
  public <T> T open(Attempt<T> attempt) throws SQLException {
    return bounded(openPolicy, attempt);
  }
}
