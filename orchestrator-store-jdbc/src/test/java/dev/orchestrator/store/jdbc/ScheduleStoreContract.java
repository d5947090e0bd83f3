package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.schedule.MisfirePolicy;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.spi.store.ScheduleStore.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScheduleStore} promises, run here against {@link JdbcStore} on H2 and on PostgreSQL: schedules
 * saved, found, listed and deleted; each (schedule, fire time) claimed exactly once, even by eight threads at once;
 * paused and missing schedules never claimed; claims completed in place; fires oldest first; fires deleted with their
 * schedule. Nothing sleeps: concurrent claims start together on a latch and are awaited with a timeout.
 */
abstract class ScheduleStoreContract {
  /** Microsecond instants, as a SQL store keeps them. */
  static final Instant CREATED = Instant.parse("2026-01-05T00:00:00.123456Z");
  static final Instant F1 = Instant.parse("2026-01-05T01:00:00Z");
  static final Instant F2 = Instant.parse("2026-01-05T02:00:00Z");
  static final Instant F3 = Instant.parse("2026-01-05T03:00:00Z");

  protected ScheduleStore store;

  /** A new store with no schedules. */
  protected abstract ScheduleStore createStore();

  @BeforeEach
  void open() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static StoredSchedule hourly(String id) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("topic", "tides");
    params.put("audience", "sailors");
    params.put("a", "first key last");
    return StoredSchedule.builder().id(id).project("reports").workflow("daily-report")
        .definition("{\"name\":\"daily-report\",\"tasks\":[]}").params(params).trigger(Trigger.cron("0 * * * *"))
        .zone(ZoneId.of("Europe/Paris")).misfire(MisfirePolicy.runOnce()).createdAt(CREATED).build();
  }

  @Test
  void savesFindsListsAndDeletesSchedules() {
    assertThat(store.find("hourly")).isEmpty();
    assertThat(store.list()).isEmpty();
    StoredSchedule cron = hourly("hourly");
    StoredSchedule once = StoredSchedule.builder().id("once").project("blog").workflow("post").definition("{}")
        .trigger(Trigger.at(Instant.parse("2026-05-01T07:00:00.654321Z"))).zone(ZoneId.of("UTC"))
        .misfire(MisfirePolicy.runAll(Duration.ofHours(6).plusMillis(250))).paused(true).createdAt(CREATED).build();
    StoredSchedule quartz = StoredSchedule.builder().id("B-quartz").project("reports").workflow("daily-report")
        .definition("{}").params(Map.of("x", "y")).trigger(Trigger.cron("0 0 9 ? * MON-FRI", false))
        .zone(ZoneId.of("America/New_York")).misfire(MisfirePolicy.skip()).createdAt(CREATED).build();
    store.save(cron);
    store.save(once);
    store.save(quartz);

    assertThat(store.find("hourly")).contains(cron);
    assertThat(store.find("hourly").orElseThrow().params().keySet()).containsExactly("topic", "audience", "a");
    assertThat(store.find("once")).contains(once);
    assertThat(store.find("B-quartz")).contains(quartz);
    assertThat(store.list()).extracting(StoredSchedule::id).containsExactly("B-quartz", "hourly", "once");

    assertThat(store.delete("once")).isTrue();
    assertThat(store.delete("once")).isFalse();
    assertThat(store.find("once")).isEmpty();
    assertThat(store.list()).extracting(StoredSchedule::id).containsExactly("B-quartz", "hourly");
  }

  @Test
  void saveReplacesTheScheduleAndKeepsItsFires() {
    store.save(hourly("hourly"));
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
    StoredSchedule paused = hourly("hourly").withPaused(true);
    store.save(paused);
    assertThat(store.find("hourly")).contains(paused);
    assertThat(store.list()).containsExactly(paused);
    assertThat(store.fires("hourly")).extracting(ScheduleFire::fireTime).containsExactly(F1);
  }

  @Test
  void aFireIsClaimedOnce() {
    store.save(hourly("hourly"));
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
    assertThat(store.claimFire("hourly", F1, F2)).isFalse();
    assertThat(store.claimFire("hourly", F2, F2)).isTrue();
    assertThat(store.fires("hourly")).containsExactly(
        ScheduleFire.notRun("hourly", F1, ScheduleFire.Outcome.CLAIMED, F1, ""),
        ScheduleFire.notRun("hourly", F2, ScheduleFire.Outcome.CLAIMED, F2, ""));
  }

  @Test
  void eightThreadsClaimingOneFireAtOnceGiveItToExactlyOne() throws Exception {
    store.save(hourly("hourly"));
    for (Instant fire : List.of(F1, F2, F3)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch ready = new CountDownLatch(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          claims.add(pool.submit(() -> {
            ready.countDown();
            go.await();
            return store.claimFire("hourly", fire, fire);
          }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        int won = 0;
        for (Future<Boolean> c : claims) {
          won += c.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(won).as("claims of %s that succeeded", fire).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(store.fires("hourly")).extracting(ScheduleFire::fireTime).containsExactly(F1, F2, F3);
  }

  @Test
  void pausedAndMissingSchedulesAreNotClaimable() {
    store.save(hourly("hourly").withPaused(true));
    assertThat(store.claimFire("hourly", F1, F1)).isFalse();
    assertThat(store.claimFire("nope", F1, F1)).isFalse();
    assertThat(store.fires("hourly")).isEmpty();
    assertThat(store.fires("nope")).isEmpty();
    store.save(hourly("hourly")); // resumed
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
  }

  @Test
  void completeFireReplacesTheClaimAndFiresAreOldestFirst() {
    store.save(hourly("hourly"));
    // Claimed out of order: listed by fire time.
    assertThat(store.claimFire("hourly", F3, F3)).isTrue();
    assertThat(store.claimFire("hourly", F1, F3)).isTrue();
    assertThat(store.claimFire("hourly", F2, F3)).isTrue();
    Instant later = F3.plusNanos(1_234_567_000L);
    ScheduleFire started = ScheduleFire.started("hourly", F1, "run-1", later);
    ScheduleFire skipped = ScheduleFire.notRun("hourly", F2, ScheduleFire.Outcome.SKIPPED, later, "missed by 2h");
    ScheduleFire failed = ScheduleFire.notRun("hourly", F3, ScheduleFire.Outcome.FAILED, later, "no provider");
    store.completeFire(started);
    store.completeFire(skipped);
    store.completeFire(failed);
    assertThat(store.fires("hourly")).containsExactly(started, skipped, failed);
    assertThat(store.lastFire("hourly")).contains(failed);
    assertThat(store.lastFire("nope")).isEmpty();
  }

  @Test
  void completingAFireThatWasNotClaimedFails() {
    store.save(hourly("hourly"));
    assertThatThrownBy(() -> store.completeFire(ScheduleFire.started("hourly", F1, "run-1", F1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not claimed");
    assertThatThrownBy(() -> store.completeFire(ScheduleFire.started("nope", F1, "run-1", F1)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.fires("hourly")).isEmpty();
  }

  @Test
  void deletingAScheduleDeletesItsFires() {
    store.save(hourly("hourly"));
    store.save(hourly("other"));
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
    assertThat(store.claimFire("hourly", F2, F2)).isTrue();
    assertThat(store.claimFire("other", F1, F1)).isTrue();
    assertThat(store.delete("hourly")).isTrue();
    assertThat(store.fires("hourly")).isEmpty();
    assertThat(store.lastFire("hourly")).isEmpty();
    assertThat(store.fires("other")).hasSize(1);
    // A new schedule under the old id starts with no history: its first fire is claimable again.
    store.save(hourly("hourly"));
    assertThat(store.fires("hourly")).isEmpty();
    assertThat(store.claimFire("hourly", F1, F1)).isTrue();
  }
}
