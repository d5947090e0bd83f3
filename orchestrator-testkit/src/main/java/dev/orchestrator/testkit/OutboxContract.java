package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.spi.store.Outbox.Cursor;
import dev.orchestrator.spi.store.Outbox.Delivery;
import dev.orchestrator.spi.store.Outbox.Entry;
import dev.orchestrator.spi.store.Outbox.Status;
import dev.orchestrator.spi.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every store with an {@link Outbox} passes: the relay cursor's compare-and-set, claims under leases,
 * outcomes, and two processes relaying and delivering at once. Extend it, implement {@link #createStore()}, and
 * override {@link #openAnother(Store)} to open a second store on the same data (a second process).
 *
 * <pre>{@code
 * class MyOutboxTest extends OutboxContract {
 *   protected Store createStore() { return MyStore.open(url); }
 *   protected Store openAnother(Store first) { return MyStore.open(url); }
 * }
 * }</pre>
 *
 * <p>What it assumes of the store under test, as {@link ClaimStoreContract} does: its clock moves on between two
 * calls, so a lease of zero has expired by the next call. It needs no event stream: positions stand for event
 * sequences. Nothing here sleeps: concurrent checks start their threads together and wait on futures with a timeout.
 */
public abstract class OutboxContract {
  protected static final String RELAY = "notifications";
  protected static final Duration LONG_LEASE = Duration.ofHours(1);
  protected static final Duration LATER = Duration.ofHours(1);

  /** The store under test, new and empty for each check. */
  protected @Nullable Store store;
  private final List<Store> others = new ArrayList<>();

  /** A new, empty store. */
  protected abstract Store createStore();

  /**
   * Another store on the same data, as a second process would open it; the suite closes it. By default the same
   * store (for a store that lives in one process).
   */
  protected Store openAnother(Store first) {
    return first;
  }

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStores() {
    for (Store s : others) {
      if (s != store) {
        s.close();
      }
    }
    others.clear();
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Outbox o() {
    assertThat(store).isNotNull();
    return store.outbox();
  }

  private Outbox second() {
    assertThat(store).isNotNull();
    Store s = openAnother(store);
    others.add(s);
    return s.outbox();
  }

  private static Entry entry(String key, long sequence) {
    return Entry.builder().key(key).eventSequence(sequence).project("p").destination("slack")
        .payload("{\"text\":\"" + key + "\"}").build();
  }

  /** Relays positions up to {@code position} with one entry each, keyed {@code k<position>}. */
  private void relayTo(long position) {
    Cursor c = o().cursor(RELAY);
    List<Entry> entries = new ArrayList<>();
    for (long p = c.position() + 1; p <= position; p++) {
      entries.add(entry("k" + p, p));
    }
    assertThat(o().advance(c, position, "s" + position, entries)).isTrue();
  }

  private Delivery claimOne(Outbox outbox, String owner, Duration lease) {
    List<Delivery> got = outbox.claim(RELAY, owner, 1, lease);
    assertThat(got).as("claimed by " + owner).hasSize(1);
    return got.get(0);
  }

  private Delivery stored(String key) {
    for (Status s : Status.values()) {
      for (Delivery d : o().list(RELAY, s, 10_000)) {
        if (d.key().equals(key)) {
          return d;
        }
      }
    }
    throw new AssertionError("no delivery with key " + key);
  }

  // ------------------------------------------------------------------ checks

  @Nested
  class Cursors {
    @Test
    void aRelayThatNeverAdvancedStartsAtZero() {
      assertThat(o().cursor(RELAY)).isEqualTo(Cursor.start(RELAY));
      assertThat(o().list(RELAY, Status.PENDING, 10)).isEmpty();
    }

    @Test
    void anAdvanceMovesTheCursorAndInsertsItsEntriesDueNow() {
      Cursor start = o().cursor(RELAY);
      assertThat(o().advance(start, 3, "window:open", List.of(entry("1-task_failed-slack", 1),
          entry("3-run_completed-slack", 3)))).isTrue();
      Cursor c = o().cursor(RELAY);
      assertThat(c.position()).isEqualTo(3);
      assertThat(c.version()).isEqualTo(1);
      assertThat(c.state()).isEqualTo("window:open");

      List<Delivery> pending = o().list(RELAY, Status.PENDING, 10);
      assertThat(pending).extracting(Delivery::key).containsExactlyInAnyOrder("1-task_failed-slack",
          "3-run_completed-slack");
      Delivery d = stored("1-task_failed-slack");
      assertThat(d.relay()).isEqualTo(RELAY);
      assertThat(d.eventSequence()).isEqualTo(1);
      assertThat(d.project()).isEqualTo("p");
      assertThat(d.destination()).isEqualTo("slack");
      assertThat(d.payload()).isEqualTo("{\"text\":\"1-task_failed-slack\"}");
      assertThat(d.attempts()).isZero();
      assertThat(d.lastError()).isNull();
      assertThat(d.owner()).isNull();
      assertThat(d.leaseUntil()).isNull();
      assertThat(d.finishedAt()).isNull();
      assertThat(o().claim(RELAY, "a", 10, LONG_LEASE)).as("due at once").hasSize(2);
    }

    @Test
    void aStaleCursorWritesNothing() {
      Cursor read = o().cursor(RELAY);
      assertThat(o().advance(read, 2, "first", List.of(entry("a", 1)))).isTrue();
      // A second relay read the same cursor before the first advanced: it must re-read, not insert.
      assertThat(o().advance(read, 2, "second", List.of(entry("b", 1)))).isFalse();
      assertThat(o().cursor(RELAY).state()).isEqualTo("first");
      assertThat(o().cursor(RELAY).version()).isEqualTo(1);
      assertThat(o().list(RELAY, Status.PENDING, 10)).extracting(Delivery::key).containsExactly("a");

      Cursor now = o().cursor(RELAY);
      assertThat(o().advance(now, 4, "third", List.of(entry("b", 3)))).isTrue();
      assertThat(o().advance(now, 5, "fourth", List.of())).as("used once").isFalse();
      assertThat(o().cursor(RELAY).position()).isEqualTo(4);
    }

    @Test
    void aRelayMayAdvanceInPlaceWhenOnlyItsStateChanges() {
      relayTo(5);
      Cursor c = o().cursor(RELAY);
      assertThat(o().advance(c, 5, "digest sent", List.of(entry("5-task_failed-slack-digest", 5)))).isTrue();
      assertThat(o().cursor(RELAY)).isEqualTo(
          Cursor.builder().relay(RELAY).position(5).version(c.version() + 1).state("digest sent").build());
    }

    @Test
    void badAdvancesAreRefusedAndChangeNothing() {
      relayTo(4);
      Cursor c = o().cursor(RELAY);
      assertThatThrownBy(() -> o().advance(c, 3, "back", List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never moves back");
      assertThatThrownBy(() -> o().advance(c, 6, "dup", List.of(entry("x", 5), entry("x", 6))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
      assertThatThrownBy(() -> o().advance(c, 6, "reused", List.of(entry("new", 5), entry("k2", 6))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("k2");
      assertThat(o().cursor(RELAY)).isEqualTo(c);
      assertThat(o().list(RELAY, Status.PENDING, 10)).extracting(Delivery::key)
          .containsExactlyInAnyOrder("k1", "k2", "k3", "k4");
      assertThatThrownBy(() -> Entry.builder().key(" ")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> o().cursor("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relaysAreIndependent() {
      relayTo(2);
      Cursor other = o().cursor("audit");
      assertThat(other).isEqualTo(Cursor.start("audit"));
      assertThat(o().advance(other, 9, "", List.of(entry("k1", 1)))).as("keys are per relay").isTrue();
      assertThat(o().cursor(RELAY).position()).isEqualTo(2);
      assertThat(o().claim("audit", "a", 10, LONG_LEASE)).extracting(Delivery::relay).containsExactly("audit");
      assertThat(o().claim(RELAY, "a", 10, LONG_LEASE)).hasSize(2);
    }
  }

  @Nested
  class Claims {
    @Test
    void aClaimCountsAnAttemptAndKeepsOthersAwayWhileItsLeaseLasts() {
      relayTo(3);
      List<Delivery> first = o().claim(RELAY, "a", 2, LONG_LEASE);
      assertThat(first).extracting(Delivery::key).containsExactly("k1", "k2");
      Delivery d = first.get(0);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.owner()).isEqualTo("a");
      assertThat(d.leaseUntil()).isAfter(d.createdAt());
      assertThat(d.claimToken()).isPositive();
      assertThat(o().claim(RELAY, "b", 10, LONG_LEASE)).extracting(Delivery::key).containsExactly("k3");
      assertThat(o().claim(RELAY, "c", 10, LONG_LEASE)).isEmpty();
    }

    @Test
    void aDelivererThatDiesLosesNothing() {
      relayTo(1);
      // Process a claims and dies before it records anything: its lease runs out.
      Delivery lost = claimOne(o(), "a", Duration.ZERO);
      Delivery again = claimOne(second(), "b", LONG_LEASE);
      assertThat(again.key()).isEqualTo(lost.key());
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(again.claimToken()).isGreaterThan(lost.claimToken());
      assertThat(o().retry(lost, Duration.ZERO, "late")).as("the dead claim is fenced off").isFalse();
      assertThat(o().failed(lost, "late")).isFalse();
      assertThat(o().release(lost)).isFalse();
      assertThat(o().claim(RELAY, "c", 10, LONG_LEASE)).isEmpty();
      assertThat(o().delivered(again)).isTrue();
      assertThat(stored("k1").status()).isEqualTo(Status.DELIVERED);
      assertThat(stored("k1").finishedAt()).isNotNull();
      assertThat(o().delivered(lost)).as("delivered once").isFalse();
    }

    @Test
    void aLateSendIsStillRecordedAsDelivered() {
      relayTo(1);
      Delivery slow = claimOne(o(), "a", Duration.ZERO);
      Delivery other = claimOne(o(), "b", LONG_LEASE);
      assertThat(o().delivered(slow)).as("the message went out").isTrue();
      assertThat(o().retry(other, Duration.ZERO, "x")).isFalse();
      assertThat(o().claim(RELAY, "c", 10, LONG_LEASE)).isEmpty();
    }

    @Test
    void aRetryWaitsForItsDelayAndKeepsTheReason() {
      relayTo(2);
      Delivery d = o().claim(RELAY, "a", 1, LONG_LEASE).get(0);
      assertThat(o().retry(d, LATER, "HTTP 503")).isTrue();
      assertThat(o().retry(d, LATER, "twice")).as("the claim ended").isFalse();
      Delivery waiting = stored(d.key());
      assertThat(waiting.status()).isEqualTo(Status.PENDING);
      assertThat(waiting.lastError()).isEqualTo("HTTP 503");
      assertThat(waiting.leaseUntil()).isNull();
      assertThat(waiting.dueAt()).isAfter(d.createdAt().plus(Duration.ofMinutes(59)));
      assertThat(o().claim(RELAY, "b", 10, LONG_LEASE)).extracting(Delivery::key).containsExactly("k2");
      assertThat(o().claim(RELAY, "c", 10, LONG_LEASE)).as("k1 waits, k2 is held").isEmpty();
    }

    @Test
    void aRetryWithoutDelayIsDueAtOnceAndCountsTheNextAttempt() {
      relayTo(1);
      Delivery d = claimOne(o(), "a", LONG_LEASE);
      assertThat(o().retry(d, Duration.ZERO, "timeout")).isTrue();
      Delivery next = claimOne(o(), "b", LONG_LEASE);
      assertThat(next.attempts()).isEqualTo(2);
      assertThat(next.lastError()).isEqualTo("timeout");
    }

    @Test
    void aFailedDeliveryIsNeverClaimedAgainAndSaysWhy() {
      relayTo(1);
      Delivery d = claimOne(o(), "a", Duration.ZERO);
      assertThat(o().failed(d, "HTTP 404: the endpoint does not exist")).isTrue();
      assertThat(o().claim(RELAY, "b", 10, LONG_LEASE)).isEmpty();
      assertThat(o().delivered(d)).isFalse();
      List<Delivery> failed = o().list(RELAY, Status.FAILED, 10);
      assertThat(failed).hasSize(1);
      assertThat(failed.get(0).lastError()).isEqualTo("HTTP 404: the endpoint does not exist");
      assertThat(failed.get(0).attempts()).isEqualTo(1);
      assertThat(failed.get(0).finishedAt()).isNotNull();
    }

    @Test
    void aReleasedClaimIsDueAtOnceAndGivesItsAttemptBack() {
      relayTo(1);
      Delivery d = claimOne(o(), "a", LONG_LEASE);
      assertThat(o().release(d)).isTrue();
      assertThat(o().release(d)).isFalse();
      Delivery again = claimOne(second(), "b", LONG_LEASE);
      assertThat(again.attempts()).isEqualTo(1);
    }

    @Test
    void badClaimsAreRefused() {
      assertThatThrownBy(() -> o().claim(RELAY, "a", 0, LONG_LEASE)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> o().claim(RELAY, "a", 1, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      relayTo(1);
      Delivery d = claimOne(o(), "a", LONG_LEASE);
      assertThatThrownBy(() -> o().retry(d, Duration.ofSeconds(-1), "x"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(stored("k1").leaseUntil()).as("unchanged").isNotNull();
    }
  }

  @Nested
  class Queries {
    @Test
    void pendingListsWhatSomeEventsStillWaitFor() {
      relayTo(4);
      Delivery k2 = o().claim(RELAY, "a", 2, LONG_LEASE).get(1);
      Delivery k1 = stored("k1");
      assertThat(o().delivered(k2)).isTrue();
      assertThat(o().pending(RELAY, List.of(1L, 2L, 3L))).extracting(Delivery::key)
          .containsExactlyInAnyOrder("k1", "k3");
      assertThat(k1.status()).isEqualTo(Status.PENDING);
      assertThat(o().pending(RELAY, List.of())).isEmpty();
      assertThat(o().pending("other", List.of(1L))).isEmpty();
    }

    @Test
    void listShowsTheMostRecentFirstAndPruneKeepsPendingOnes() {
      relayTo(3);
      for (Delivery d : o().claim(RELAY, "a", 2, LONG_LEASE)) {
        assertThat(o().delivered(d)).isTrue();
      }
      assertThat(o().list(RELAY, Status.DELIVERED, 10)).hasSize(2);
      assertThat(o().list(RELAY, Status.DELIVERED, 1)).hasSize(1);
      assertThat(o().prune(RELAY, LATER)).as("finished only just now").isZero();
      assertThat(o().prune(RELAY, Duration.ZERO)).isEqualTo(2);
      assertThat(o().list(RELAY, Status.DELIVERED, 10)).isEmpty();
      assertThat(o().list(RELAY, Status.PENDING, 10)).extracting(Delivery::key).containsExactly("k3");
    }
  }

  @Nested
  class TwoProcesses {
    /** Two processes relay one stream at once: each position's entries exist once, and the cursor reached the end. */
    @Test
    void relayingTogetherMatchesEveryEventExactlyOnce() throws Exception {
      int positions = 150;
      Outbox[] processes = {o(), second()};
      AtomicInteger advances = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      Together.run(4, t -> {
        Outbox me = processes[t % 2];
        while (true) {
          Cursor c = me.cursor(RELAY);
          if (c.position() >= positions) {
            return;
          }
          long to = Math.min(positions, c.position() + 1 + ThreadLocalRandom.current().nextInt(4));
          List<Entry> entries = new ArrayList<>();
          for (long p = c.position() + 1; p <= to; p++) {
            entries.add(entry(p + "-task_failed-email", p));
            entries.add(entry(p + "-task_failed-slack", p));
          }
          if (me.advance(c, to, Long.toString(to), entries)) {
            advances.incrementAndGet();
          } else {
            conflicts.incrementAndGet();
          }
        }
      });
      Cursor end = o().cursor(RELAY);
      assertThat(end.position()).isEqualTo(positions);
      assertThat(end.state()).isEqualTo(Integer.toString(positions));
      assertThat(end.version()).isEqualTo(advances.get());
      List<String> keys = o().list(RELAY, Status.PENDING, 10_000).stream().map(Delivery::key).toList();
      assertThat(keys).hasSize(2 * positions).doesNotHaveDuplicates();
    }

    /**
     * Two processes deliver at once, some sends failing once: every delivery is held by one claimer at a time, made
     * exactly once, and ends delivered.
     */
    @Test
    void deliveringTogetherSendsEachDeliveryOnceAtATime() throws Exception {
      int count = 120;
      relayTo(count);
      Outbox[] processes = {o(), second()};
      Map<String, String> holders = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<String> overlaps = new ConcurrentLinkedQueue<>();
      Set<String> failOnce = ConcurrentHashMap.newKeySet();
      for (int i = 1; i <= count; i += 3) {
        failOnce.add("k" + i);
      }
      Together.run(4, t -> {
        Outbox me = processes[t % 2];
        String owner = "process-" + (t % 2) + "/thread-" + t;
        while (true) {
          List<Delivery> got = me.claim(RELAY, owner, 1 + ThreadLocalRandom.current().nextInt(5), LONG_LEASE);
          if (got.isEmpty()) {
            if (me.list(RELAY, Status.PENDING, 1).isEmpty()) {
              return;
            }
            continue;
          }
          for (Delivery d : got) {
            String before = holders.putIfAbsent(d.key(), owner);
            if (before != null) {
              overlaps.add(d.key() + " held by " + before + " and " + owner);
            }
            boolean fails = failOnce.remove(d.key());
            if (!fails) {
              sends.computeIfAbsent(d.key(), k -> new AtomicInteger()).incrementAndGet();
            }
            holders.remove(d.key(), owner);
            if (fails) {
              assertThat(me.retry(d, Duration.ZERO, "injected")).isTrue();
            } else {
              assertThat(me.delivered(d)).isTrue();
            }
          }
        }
      });
      assertThat(overlaps).isEmpty();
      assertThat(sends).hasSize(count);
      Map<String, Integer> twice = new HashMap<>();
      sends.forEach((k, n) -> {
        if (n.get() != 1) {
          twice.put(k, n.get());
        }
      });
      assertThat(twice).as("sent more than once").isEmpty();
      List<Delivery> delivered = o().list(RELAY, Status.DELIVERED, 10_000);
      assertThat(delivered).hasSize(count);
      assertThat(delivered).filteredOn(d -> d.key().equals("k1")).first()
          .satisfies(d -> assertThat(d.attempts()).isEqualTo(2));
      assertThat(o().list(RELAY, Status.PENDING, 10)).isEmpty();
    }
  }
}
