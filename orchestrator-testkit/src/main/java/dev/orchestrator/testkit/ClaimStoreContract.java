package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Claim;
import dev.orchestrator.spi.store.ClaimStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every {@link ClaimStore} passes: the claim protocol that lets many workers share runs. Extend it and
 * implement {@link #createStore()}.
 *
 * <pre>{@code
 * class MyClaimStoreTest extends ClaimStoreContract {
 *   protected ClaimStore createStore() { return MyStore.open(...); }
 * }
 * }</pre>
 *
 * <p>What it assumes of the store under test: its clock moves on between two calls (a database clock does; an
 * in-memory store's test gives it a clock that ticks on every read), so a lease of zero has expired by the next
 * call and a task enqueued earlier has waited longer. Nothing here sleeps: concurrent checks start their threads
 * together on a latch and wait on futures with a timeout.
 */
public abstract class ClaimStoreContract {
  /** A fixed instant, in the past of every store clock. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");
  /** Far in the future of every store clock. */
  protected static final Instant FAR = Instant.parse("2999-01-01T00:00:00Z");
  protected static final Duration LONG_LEASE = Duration.ofHours(1);
  protected static final Duration NO_BOOST = Duration.ofDays(365);
  protected static final String P = "claims";

  /** The store under test, new and empty for each check. */
  protected @Nullable ClaimStore store;

  /** A new, empty claim store. */
  protected abstract ClaimStore createStore();

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private ClaimStore s() {
    assertThat(store).isNotNull();
    return store;
  }

  /** Creates and enqueues a run; {@code edges} maps each task id (in order) to its dependencies. */
  protected void run(String runId, Priority lane, Map<String, List<String>> edges) {
    List<TaskRecord> tasks = new ArrayList<>();
    for (String id : edges.keySet()) {
      tasks.add(TaskRecord.created(P, runId, id, "Task " + id, lane, T0));
    }
    s().createRun(RunRecord.submitted(P, runId, "wf", Map.of(), T0), "{}", tasks);
    s().enqueue(P, runId, edges);
  }

  /** A run of independent tasks. */
  protected void run(String runId, Priority lane, String... ids) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (String id : ids) {
      edges.put(id, List.of());
    }
    run(runId, lane, edges);
  }

  private static Map<String, List<String>> edges(String... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String p : pairs) {
      String[] parts = p.split(":", -1);
      m.put(parts[0], parts.length < 2 || parts[1].isEmpty() ? List.of() : List.of(parts[1].split(",")));
    }
    return m;
  }

  private List<Claim> claim(int max) {
    return s().claim("w1", max, LONG_LEASE, NO_BOOST);
  }

  private Claim claimOne() {
    List<Claim> c = claim(1);
    assertThat(c).hasSize(1);
    return c.get(0);
  }

  private static Set<String> ids(List<Claim> claims) {
    Set<String> out = new HashSet<>();
    for (Claim c : claims) {
      out.add(c.taskId());
    }
    return out;
  }

  private TaskRecord task(Claim c) {
    return s().task(c.project(), c.runId(), c.taskId()).orElseThrow();
  }

  private TaskState state(String runId, String taskId) {
    return s().task(P, runId, taskId).orElseThrow().state();
  }

  /** The claimed task as a worker would record it ending in {@code to}. */
  private TaskRecord ended(Claim c, TaskState to) {
    TaskRecord t = task(c);
    assertThat(t.state()).isEqualTo(TaskState.RUNNING);
    return t.withAttemptStarted("fake", T0).moveTo(to, T0.plusSeconds(1));
  }

  private boolean finish(Claim c, TaskState to) {
    return s().finish(c, ended(c, to), to == TaskState.RETRY_WAIT ? T0 : null, List.of(), BigDecimal.ZERO,
        BigDecimal.ZERO);
  }

  private RunStatus status(String runId) {
    return s().run(P, runId).orElseThrow().status();
  }

  // ------------------------------------------------------------------ checks

  @Nested
  class Order {
    @Test
    void claimsTheHighestLaneFirstThenTheOldest() {
      run("r-low", Priority.LOW, "a");
      run("r-high", Priority.HIGH, "b");
      run("r-medium", Priority.MEDIUM, "c");
      run("r-high-2", Priority.HIGH, "d");
      List<String> order = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        order.add(claimOne().taskId());
      }
      assertThat(order).containsExactly("b", "d", "c", "a");
      assertThat(claim(5)).isEmpty();
    }

    @Test
    void aTaskThatWaitedLongerThanTheBoostCountsHigher() {
      run("r-low", Priority.LOW, "old");
      run("r-high", Priority.HIGH, "new");
      // With a one-microsecond boost both have waited many intervals: both count as HIGH, so the older goes first.
      List<Claim> first = s().claim("w1", 1, LONG_LEASE, Duration.ofNanos(1000));
      assertThat(ids(first)).containsExactly("old");
    }

    @Test
    void aClaimIsRunningWithANewFenceAndTheNextAttempt() {
      run("r", Priority.MEDIUM, "a");
      Claim c = claimOne();
      assertThat(c.project()).isEqualTo(P);
      assertThat(c.runId()).isEqualTo("r");
      assertThat(c.attempt()).isEqualTo(1);
      assertThat(c.fence()).isPositive();
      assertThat(task(c).state()).isEqualTo(TaskState.RUNNING);
      assertThat(claim(1)).isEmpty();
    }
  }

  @Nested
  class Concurrency {
    @Test
    void workersClaimingAtOnceGetDisjointSets() throws Exception {
      int tasks = 240;
      String[] ids = new String[tasks];
      for (int i = 0; i < tasks; i++) {
        ids[i] = "t" + i;
      }
      run("r", Priority.MEDIUM, ids);
      int threads = 6;
      ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
      Together.run(threads, w -> {
        while (true) {
          List<Claim> got = s().claim("w" + w, 7, LONG_LEASE, NO_BOOST);
          if (got.isEmpty()) {
            return;
          }
          for (Claim c : got) {
            claimed.add(c.taskId());
          }
        }
      });
      List<String> all = new ArrayList<>(claimed);
      assertThat(all).hasSize(tasks).doesNotHaveDuplicates();
    }
  }

  @Nested
  class Leases {
    @Test
    void anExpiredLeaseGoesBackAndTheOldFenceCanNoLongerFinish() {
      run("r", Priority.MEDIUM, "a");
      Claim lost = s().claim("w1", 1, Duration.ZERO, NO_BOOST).get(0);
      TaskRecord late = ended(lost, TaskState.SUCCEEDED);
      assertThat(s().sweep()).isEqualTo(1);
      assertThat(state("r", "a")).isEqualTo(TaskState.READY);
      assertThat(s().finish(lost, late, null, List.of(), BigDecimal.ZERO, BigDecimal.ZERO)).isFalse();
      assertThat(state("r", "a")).isEqualTo(TaskState.READY);

      Claim again = s().claim("w2", 1, LONG_LEASE, NO_BOOST).get(0);
      assertThat(again.fence()).isGreaterThan(lost.fence());
      assertThat(again.attempt()).isEqualTo(2);
      assertThat(s().finish(lost, late, null, List.of(), BigDecimal.ZERO, BigDecimal.ZERO)).isFalse();
      assertThat(finish(again, TaskState.SUCCEEDED)).isTrue();
      assertThat(state("r", "a")).isEqualTo(TaskState.SUCCEEDED);
      assertThat(status("r")).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aHeartbeatRenewsTheLease() {
      run("r", Priority.MEDIUM, "a");
      Claim c = s().claim("w1", 1, Duration.ZERO, NO_BOOST).get(0);
      assertThat(s().heartbeat("w1", List.of(c), LONG_LEASE)).isEmpty();
      assertThat(s().sweep()).isZero();
      assertThat(state("r", "a")).isEqualTo(TaskState.RUNNING);
      assertThat(finish(c, TaskState.SUCCEEDED)).isTrue();
    }

    @Test
    void aHeartbeatReportsAClaimLostToAnotherWorker() {
      run("r", Priority.MEDIUM, "a");
      Claim c = s().claim("w1", 1, Duration.ZERO, NO_BOOST).get(0);
      s().sweep();
      Claim other = s().claim("w2", 1, LONG_LEASE, NO_BOOST).get(0);
      assertThat(s().heartbeat("w1", List.of(c), LONG_LEASE)).containsExactly(c);
      assertThat(s().heartbeat("w2", List.of(other), LONG_LEASE)).isEmpty();
    }
  }

  @Nested
  class Dependencies {
    @Test
    void aSuccessReleasesDependantsWhoseLastDependencyItWas() {
      run("r", Priority.MEDIUM, edges("a", "b:a", "c:a", "d:b,c"));
      assertThat(state("r", "b")).isEqualTo(TaskState.BLOCKED);
      Claim a = claimOne();
      assertThat(a.taskId()).isEqualTo("a");
      assertThat(claim(5)).isEmpty();
      assertThat(finish(a, TaskState.SUCCEEDED)).isTrue();
      List<Claim> bc = claim(5);
      assertThat(ids(bc)).containsExactlyInAnyOrder("b", "c");
      Claim b = bc.get(0).taskId().equals("b") ? bc.get(0) : bc.get(1);
      Claim c = bc.get(0).taskId().equals("b") ? bc.get(1) : bc.get(0);
      assertThat(finish(b, TaskState.SUCCEEDED)).isTrue();
      assertThat(claim(5)).isEmpty();
      assertThat(finish(c, TaskState.SUCCEEDED)).isTrue();
      Claim d = claimOne();
      assertThat(d.taskId()).isEqualTo("d");
      assertThat(status("r")).isEqualTo(RunStatus.RUNNING);
      assertThat(finish(d, TaskState.SUCCEEDED)).isTrue();
      RunRecord done = s().run(P, "r").orElseThrow();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(done.finishedAt()).isNotNull();
    }

    @Test
    void aFailureSkipsEveryTaskThatWaitsOnItAndFailsTheRun() {
      run("r", Priority.MEDIUM, edges("x", "y:x", "z:y", "w"));
      List<Claim> xw = claim(5);
      assertThat(ids(xw)).containsExactlyInAnyOrder("x", "w");
      Claim x = xw.get(0).taskId().equals("x") ? xw.get(0) : xw.get(1);
      Claim w = xw.get(0).taskId().equals("x") ? xw.get(1) : xw.get(0);
      assertThat(finish(x, TaskState.FAILED)).isTrue();
      assertThat(state("r", "y")).isEqualTo(TaskState.SKIPPED);
      assertThat(state("r", "z")).isEqualTo(TaskState.SKIPPED);
      assertThat(status("r")).isEqualTo(RunStatus.RUNNING);
      assertThat(finish(w, TaskState.SUCCEEDED)).isTrue();
      assertThat(status("r")).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aCancelledTaskCancelsTheRunWhenItEnds() {
      run("r", Priority.MEDIUM, edges("a", "b:a"));
      Claim a = claimOne();
      assertThat(finish(a, TaskState.CANCELLED)).isTrue();
      assertThat(state("r", "b")).isEqualTo(TaskState.SKIPPED);
      assertThat(status("r")).isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Nested
  class Cancellations {
    @Test
    void aHeartbeatReportsACancelledRunAndNothingOfItIsClaimedOrRevived() {
      run("r", Priority.MEDIUM, "a", "b");
      Claim a = s().claim("w1", 1, Duration.ZERO, NO_BOOST).get(0);
      RunRecord r = s().run(P, "r").orElseThrow();
      s().updateRun(r.withCancellation(new Cancellation("alice", "wrong topic", T0)).withStatus(RunStatus.CANCELLED,
          T0));
      assertThat(s().heartbeat("w1", List.of(a), LONG_LEASE)).containsExactly(a);
      assertThat(s().sweep()).isZero();
      assertThat(task(a).state()).isEqualTo(TaskState.RUNNING);
      assertThat(claim(5)).isEmpty();
      assertThat(finish(a, TaskState.CANCELLED)).isTrue();
      assertThat(status("r")).isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Nested
  class Retries {
    @Test
    void aRetryWaitsUntilItIsDueThenIsClaimedAsTheNextAttempt() {
      run("r", Priority.MEDIUM, "due", "later");
      List<Claim> both = claim(5);
      assertThat(both).hasSize(2);
      for (Claim c : both) {
        Instant retryAt = c.taskId().equals("due") ? T0 : FAR;
        assertThat(s().finish(c, ended(c, TaskState.RETRY_WAIT), retryAt, List.of(), BigDecimal.ZERO,
            BigDecimal.ZERO)).isTrue();
      }
      assertThat(state("r", "due")).isEqualTo(TaskState.RETRY_WAIT);
      assertThat(s().sweep()).isEqualTo(1);
      assertThat(state("r", "due")).isEqualTo(TaskState.READY);
      assertThat(state("r", "later")).isEqualTo(TaskState.RETRY_WAIT);
      Claim again = claimOne();
      assertThat(again.taskId()).isEqualTo("due");
      assertThat(again.attempt()).isEqualTo(2);
      assertThat(claim(5)).isEmpty();
      assertThat(status("r")).isEqualTo(RunStatus.RUNNING);
    }
  }

  @Nested
  class Budgets {
    private final Account global = new Account(BudgetScope.global(), null);
    private final Account project = new Account(BudgetScope.project(P), null);
    private final Account daily = new Account(BudgetScope.providerDaily("fake"), LocalDate.of(2025, 3, 1));

    @Test
    void reservationsUnderALimitAreAllOrNothingAcrossThreadsAndSpendingBalancesExactly() throws Exception {
      s().saveBudget(Budget.of(BudgetScope.project(P), Money.usd("10.00")));
      List<Account> accounts = List.of(daily, project, global);
      BigDecimal one = new BigDecimal("1.00");
      AtomicInteger granted = new AtomicInteger();
      ConcurrentLinkedQueue<BudgetScope> refusals = new ConcurrentLinkedQueue<>();
      Together.run(8, w -> {
        for (int i = 0; i < 5; i++) {
          BudgetScope refused = s().reserve(accounts, one, null);
          if (refused == null) {
            granted.incrementAndGet();
          } else {
            refusals.add(refused);
          }
        }
      });
      assertThat(granted.get()).isEqualTo(10);
      assertThat(refusals).hasSize(30).containsOnly(BudgetScope.project(P));

      String[] ids = new String[10];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = "t" + i;
      }
      run("r", Priority.MEDIUM, ids);
      List<Claim> claims = Collections.synchronizedList(new ArrayList<>(claim(10)));
      assertThat(claims).hasSize(10);
      BigDecimal cost = new BigDecimal("0.75");
      Together.run(5, w -> {
        for (int i = w; i < 10; i += 5) {
          Claim c = claims.get(i);
          assertThat(s().finish(c, ended(c, TaskState.SUCCEEDED), null, accounts, one, cost)).isTrue();
        }
      });
      assertThat(s().spent(project)).isEqualByComparingTo("7.50");
      assertThat(s().spent(global)).isEqualByComparingTo("7.50");
      assertThat(s().spent(daily)).isEqualByComparingTo("7.50");
      assertThat(s().spent(new Account(BudgetScope.providerDaily("fake"), LocalDate.of(2025, 3, 2)))).isZero();
      assertThat(status("r")).isEqualTo(RunStatus.SUCCEEDED);
      // Settled: 2.50 of the limit is free again, and not a cent more.
      assertThat(s().reserve(accounts, new BigDecimal("2.50"), null)).isNull();
      assertThat(s().reserve(accounts, new BigDecimal("0.01"), null)).isEqualTo(BudgetScope.project(P));
    }

    @Test
    void aRefusedReservationKeepsNothingOnAnyAccount() {
      s().saveBudget(Budget.of(BudgetScope.global(), Money.usd("1.00")));
      s().saveBudget(Budget.of(BudgetScope.provider("y"), Money.usd("0.50")));
      Account provider = new Account(BudgetScope.provider("y"), null);
      assertThat(s().reserve(List.of(global, provider), new BigDecimal("0.60"), null))
          .isEqualTo(BudgetScope.provider("y"));
      assertThat(s().reserve(List.of(global), new BigDecimal("1.00"), null)).isNull();
      assertThat(s().reserve(List.of(global), new BigDecimal("0.000001"), null)).isEqualTo(BudgetScope.global());
    }

    @Test
    void aTasksOwnMaxCostLimitsItsAccountWhenNoBudgetIsStored() {
      Account task = new Account(BudgetScope.task("r", "a"), null);
      assertThat(s().reserve(List.of(task), new BigDecimal("0.60"), new BigDecimal("1.00"))).isNull();
      assertThat(s().reserve(List.of(task), new BigDecimal("0.60"), new BigDecimal("1.00")))
          .isEqualTo(BudgetScope.task("r", "a"));
      assertThat(s().spent(task)).isZero();
    }
  }
}
