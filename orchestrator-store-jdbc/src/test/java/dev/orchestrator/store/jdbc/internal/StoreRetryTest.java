package dev.orchestrator.store.jdbc.internal;

import static dev.orchestrator.store.jdbc.internal.H2FailuresTest.h2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures are tried again, how often, and what comes out at the end. */
class StoreRetryTest {
  private final StoreRetry h2 = StoreRetry.h2(Duration.ofSeconds(20));

  /** Fails with {@code failure} the first {@code failures} times, then answers how many tries it took. */
  private static StoreRetry.Attempt<Integer> failing(int failures, SQLException failure, AtomicInteger tries) {
    return () -> {
      if (tries.incrementAndGet() <= failures) {
        throw failure;
      }
      return tries.get();
    };
  }

  @Test
  void transientFailuresAreTriedAgainUntilTheWorkSucceeds() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    assertThat(h2.call(false, failing(3, h2(90067, "Connection is broken"), tries))).isEqualTo(4);
    tries.set(0);
    assertThat(h2.call(false, failing(2, h2(50200, "Timeout trying to lock table"), tries))).isEqualTo(3);
  }

  @Test
  void aPermanentFailureIsThrownAtOnce() {
    AtomicInteger tries = new AtomicInteger();
    SQLException corrupt = h2(90030, "File corrupted");
    assertThatThrownBy(() -> h2.call(false, failing(5, corrupt, tries))).isSameAs(corrupt);
    assertThat(tries).hasValue(1);
  }

  @Test
  void theWorksOwnRuntimeExceptionIsNeverRetried() {
    AtomicInteger tries = new AtomicInteger();
    IllegalStateException own = new IllegalStateException("run r already exists");
    assertThatThrownBy(() -> h2.call(false, () -> {
      tries.incrementAndGet();
      throw own;
    })).isSameAs(own);
    assertThat(tries).hasValue(1);
  }

  @Test
  void aDuplicateKeyIsRetriedOnlyWhenAsked() throws Exception {
    SQLException duplicate = new SQLException("Unique index violation", StoreRetry.UNIQUE_VIOLATION, 23505);
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(() -> h2.call(false, failing(1, duplicate, tries))).isSameAs(duplicate);
    tries.set(0);
    assertThat(h2.call(true, failing(1, duplicate, tries))).isEqualTo(2);
  }

  @Test
  void atTheBoundTheLastFailureComesOutAndIsRecognisedAsTransient() {
    StoreRetry brief = StoreRetry.h2(Duration.ofMillis(300));
    AtomicInteger tries = new AtomicInteger();
    SQLException locked = h2(90020, "Locked by another process");
    long start = System.nanoTime();
    assertThatThrownBy(() -> brief.call(false, failing(Integer.MAX_VALUE, locked, tries))).isSameAs(locked);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(tries.get()).as("tried again with backoff, not once and not in a hot loop").isBetween(3, 60);
    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    assertThat(brief.isTransient(locked)).isTrue();
    assertThat(brief.isTransient(h2(90030, "File corrupted"))).isFalse();
  }

  @Test
  void openingRetriesTransientFailuresUnderAnyWrapper() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    assertThat(h2.open(() -> {
      if (tries.incrementAndGet() < 3) {
        throw new RuntimeException("Flyway: unable to migrate", h2(90121, "Database is already closed"));
      }
      return tries.get();
    })).isEqualTo(3);
  }

  @Test
  void otherDatabasesRetryAbortedTransactionsFiveTimesInAll() {
    StoreRetry counted = StoreRetry.counted();
    AtomicInteger tries = new AtomicInteger();
    SQLException serialization = new SQLException("could not serialize access", "40001");
    assertThatThrownBy(() -> counted.call(false, failing(Integer.MAX_VALUE, serialization, tries)))
        .isSameAs(serialization);
    assertThat(tries).hasValue(5);
    tries.set(0);
    SQLException broken = new SQLException("connection reset", "08006");
    assertThatThrownBy(() -> counted.call(false, failing(1, broken, tries))).isSameAs(broken);
    assertThat(tries).hasValue(1);
  }
}
