package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.AgentProcess;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.ClaimedRun;
import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.LimitBreach;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.ThresholdCrossing;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every store that {@link Store#leasesRuns() leases runs} passes: run leases with fencing tokens, the
 * shared budget {@link dev.orchestrator.spi.store.Ledger ledger}, pauses and commands routed to a run's holder, so any
 * number of engines share one store. Extend it and implement {@link #createStore()}; a store that other processes
 * open too also overrides {@link #share(Store)}, so the concurrency checks run on several instances at once.
 *
 * <pre>{@code
 * class MyLeaseStoreTest extends LeaseStoreContract {
 *   protected Store createStore() { return MyStore.open(newDatabase()); }
 *   protected Store share(Store store) { return MyStore.open(databaseOf(store)); }
 * }
 * }</pre>
 *
 * <p>What it assumes of the store under test: its clock moves on between two calls (a database clock does; an
 * in-memory store's test gives it a clock that ticks on every read), so a lease of {@link #SHORT one microsecond} has
 * expired by the next call. Runs are created in the order of their submission times. Nothing here sleeps: concurrent
 * checks start their threads together on a latch and wait on futures with a timeout.
 *
 * <p>The budget invariant is also a jqwik property, run by the jqwik engine on stores of its own ({@link
 * #createStore()} once per property, closed with {@link #discard(Store)}).
 */
public abstract class LeaseStoreContract {
  /** A fixed instant, in the past of every store clock. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");
  /** A lease that outlives every check. */
  protected static final Duration LONG = Duration.ofHours(1);
  /** A lease that has expired by the next call. */
  protected static final Duration SHORT = Duration.ofNanos(1000);
  protected static final String P = "leases";
  private static final Money TEN = Money.usd("10.00");

  /** The store under test, new and empty for each check. */
  protected @Nullable Store store;
  /** Other instances opened with {@link #share(Store)}, closed after each check. */
  private final List<Store> shared = Collections.synchronizedList(new ArrayList<>());

  /** A new, empty store. */
  protected abstract Store createStore();

  /**
   * Another instance over the same data as {@code store}, as a second process would open it; the contract closes it.
   * The default returns {@code store} itself, for a store that lives in one process (such as an in-memory one).
   */
  protected Store share(Store store) {
    return store;
  }

  /** Disposes of a store made by {@link #createStore()}: the default closes it. */
  protected void discard(Store store) {
    store.close();
  }

  @BeforeEach
  void openStore() {
    store = createStore();
    assertThat(store.leasesRuns()).as("leasesRuns()").isTrue();
  }

  @AfterEach
  void closeStore() {
    closeShared();
    if (store != null) {
      discard(store);
    }
  }

  private void closeShared() {
    synchronized (shared) {
      for (Store s : shared) {
        s.close();
      }
      shared.clear();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Store s() {
    assertThat(store).isNotNull();
    return store;
  }

  /** Another instance over the store's data (itself for a one-process store). */
  protected Store other() {
    Store other = share(s());
    if (other != store) {
      shared.add(other);
    }
    return other;
  }

  /** A RUNNING run submitted {@code second} seconds after {@link #T0}. */
  protected static RunRecord running(String runId, long second) {
    return RunRecord.submitted(P, runId, "wf", Map.of(), T0.plusSeconds(second));
  }

  private static List<TaskRecord> tasks(String runId) {
    return List.of(TaskRecord.created(P, runId, "a", "Task a", Priority.MEDIUM, T0),
        TaskRecord.created(P, runId, "b", "Task b", Priority.MEDIUM, T0));
  }

  /** Creates a run with tasks a and b, held by {@code owner} (or by nobody). */
  private @Nullable RunLease create(String runId, long second, @Nullable String owner, Duration lease) {
    return s().createRun(running(runId, second), "{}", tasks(runId), owner, lease);
  }

  private RunLease held(String runId, long second, String owner, Duration lease) {
    RunLease l = create(runId, second, owner, lease);
    assertThat(l).isNotNull();
    return l;
  }

  private static List<String> runIds(List<RunLease> leases) {
    return leases.stream().map(RunLease::runId).toList();
  }

  private TaskRecord task(String runId, String taskId) {
    return s().task(P, runId, taskId).orElseThrow();
  }

  private static Command command(String id, String runId, Command.Kind kind, long second) {
    return Command.builder().id(id).kind(kind).project(P).runId(runId)
        .target(kind == Command.Kind.CANCEL ? null : "a").by("alice")
        .text(kind == Command.Kind.PRIORITY ? "HIGH" : "because").at(T0.plusSeconds(second)).build();
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  // ------------------------------------------------------------------ checks

  @Nested
  class Claims {
    @Test
    void aRunCreatedWithAnOwnerIsHeldByItAndNobodyElseClaimsIt() {
      RunLease lease = held("r", 1, "e1", LONG);
      assertThat(lease.project()).isEqualTo(P);
      assertThat(lease.runId()).isEqualTo("r");
      assertThat(lease.owner()).isEqualTo("e1");
      assertThat(lease.until()).isAfter(T0);
      RunLease shown = s().lease(P, "r").orElseThrow();
      assertThat(shown.owner()).isEqualTo("e1");
      assertThat(shown.fence()).isEqualTo(lease.fence());
      assertThat(s().claimRuns("e2", 10, LONG)).isEmpty();
      assertThat(s().run(P, "r")).isPresent();
      assertThat(s().tasks(P, "r")).hasSize(2);
    }

    @Test
    void aRunCreatedWithoutAnOwnerWaitsForAClaim() {
      assertThat(create("r", 1, null, LONG)).isNull();
      assertThat(s().lease(P, "r")).isEmpty();
      List<RunLease> got = s().claimRuns("e1", 10, LONG);
      assertThat(runIds(got)).containsExactly("r");
      assertThat(got.get(0).owner()).isEqualTo("e1");
      assertThat(s().lease(P, "r").orElseThrow().fence()).isEqualTo(got.get(0).fence());
      assertThat(s().claimRuns("e2", 10, LONG)).isEmpty();
    }

    @Test
    void claimsGoOldestFirstAndTakeAtMostMax() {
      create("r1", 1, null, LONG);
      create("r2", 2, null, LONG);
      create("r3", 3, null, LONG);
      create("r4", 4, null, LONG);
      assertThat(runIds(s().claimRuns("e1", 2, LONG))).containsExactly("r1", "r2");
      assertThat(runIds(s().claimRuns("e2", 5, LONG))).containsExactly("r3", "r4");
      assertThat(s().claimRuns("e3", 5, LONG)).isEmpty();
    }

    @Test
    void claimedRunsAreReadTogetherAsEachWouldBeReadApartInTheLeasesOrder() {
      s().createRun(running("r1", 1), "{\"one\":1}", tasks("r1"), null, LONG);
      s().createRun(running("r2", 2), "{\"two\":2}", tasks("r2"), null, LONG);
      create("r3", 3, null, LONG);
      AgentProcess agent = AgentProcess.builder().project(P).runId("r2").taskId("a").attempt(1).host("h1")
          .pid(4242).processStart(T0).owner("e0").build();
      s().saveAgentProcess(agent);
      List<RunLease> claimed = new ArrayList<>(s().claimRuns("e1", 3, LONG));
      Collections.reverse(claimed);
      RunLease gone = new RunLease(P, "never-stored", "e1", 1, T0);
      claimed.add(1, gone);

      List<ClaimedRun> read = s().claimedRuns(claimed);

      assertThat(read).extracting(c -> c.run().id()).as("in the leases' order, a missing run left out")
          .containsExactly("r3", "r2", "r1");
      for (ClaimedRun c : read) {
        String id = c.run().id();
        assertThat(c.lease()).isEqualTo(claimed.stream().filter(l -> l.runId().equals(id)).findFirst().orElseThrow());
        assertThat(c.run()).isEqualTo(s().run(P, id).orElseThrow());
        assertThat(c.definition()).isEqualTo(s().definition(P, id).orElseThrow());
        assertThat(c.tasks()).isEqualTo(s().tasks(P, id));
        assertThat(c.agentProcesses()).isEqualTo(s().agentProcesses(P, id));
      }
      assertThat(read.get(1).agentProcesses()).extracting(AgentProcess::pid).containsExactly(4242L);
      assertThat(read.get(1).definition()).isEqualTo("{\"two\":2}");
      assertThat(read.get(0).tasks()).extracting(TaskRecord::taskId).containsExactly("a", "b");
      assertThat(s().claimedRuns(List.of())).isEmpty();
    }

    @Test
    void anExpiredLeaseIsClaimedUnderAGreaterFence() {
      RunLease first = held("r", 1, "e1", SHORT);
      assertThat(s().lease(P, "r")).as("an expired lease is not live").isEmpty();
      RunLease second = s().claimRuns("e2", 1, LONG).get(0);
      assertThat(second.owner()).isEqualTo("e2");
      assertThat(second.fence()).isGreaterThan(first.fence());
      assertThat(s().lease(P, "r").orElseThrow().owner()).isEqualTo("e2");
      s().releaseRun(second);
      RunLease third = s().claimRuns("e1", 1, LONG).get(0);
      assertThat(third.fence()).isGreaterThan(second.fence());
    }

    @Test
    void aReleasedRunIsClaimableAtOnceAndAStaleReleaseDoesNothing() {
      RunLease first = held("r", 1, "e1", LONG);
      s().releaseRun(first);
      assertThat(s().lease(P, "r")).isEmpty();
      RunLease second = s().claimRuns("e2", 1, LONG).get(0);
      assertThat(second.fence()).isGreaterThan(first.fence());
      s().releaseRun(first);
      assertThat(s().lease(P, "r").orElseThrow().owner()).isEqualTo("e2");
      assertThat(s().claimRuns("e3", 1, LONG)).isEmpty();
    }

    @Test
    void aFinishedRunIsNeverClaimed() {
      RunLease lease = held("done", 1, "e1", SHORT);
      RunRecord run = s().run(P, "done").orElseThrow();
      assertThat(s().updateRun(lease, run.withStatus(RunStatus.SUCCEEDED, T0.plusSeconds(5)))).isTrue();
      s().createRun(RunRecord.builder().project(P).id("failed").workflow("wf").status(RunStatus.FAILED)
          .submittedAt(T0.plusSeconds(2)).finishedAt(T0.plusSeconds(3)).build(), "{}", tasks("failed"));
      RunLease cancelled = held("cancelled", 3, "e1", LONG);
      s().updateRun(s().run(P, "cancelled").orElseThrow().withStatus(RunStatus.CANCELLED, T0.plusSeconds(6)));
      s().releaseRun(cancelled);
      create("open", 4, null, LONG);
      assertThat(runIds(s().claimRuns("e2", 10, LONG))).containsExactly("open");
      assertThat(s().claimRuns("e3", 10, LONG)).isEmpty();
      assertThat(s().lease(P, "done")).isEmpty();
    }

    @Test
    void badArgumentsAreRefused() {
      assertThatThrownBy(() -> s().claimRuns("e1", 0, LONG)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max");
      assertThatThrownBy(() -> s().claimRuns("e1", 1, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    }
  }

  @Nested
  class Renewals {
    @Test
    void aRenewalKeepsTheRunFromOtherEngines() {
      RunLease lease = held("r", 1, "e1", SHORT);
      // Expired, but claimed by nobody since: still held, and renewed.
      assertThat(s().renewRuns("e1", List.of(lease), LONG)).isEmpty();
      assertThat(s().claimRuns("e2", 1, LONG)).isEmpty();
      RunLease shown = s().lease(P, "r").orElseThrow();
      assertThat(shown.owner()).isEqualTo("e1");
      assertThat(shown.fence()).isEqualTo(lease.fence());
      assertThat(shown.until()).isAfter(lease.until());
    }

    @Test
    void aRenewalReportsTheLeasesLostToAnotherEngineOrReleased() {
      RunLease lost = held("r1", 1, "e1", SHORT);
      RunLease released = held("r2", 2, "e1", LONG);
      RunLease kept = held("r3", 3, "e1", LONG);
      RunLease other = s().claimRuns("e2", 5, LONG).get(0);
      assertThat(other.runId()).isEqualTo("r1");
      s().releaseRun(released);
      assertThat(s().renewRuns("e1", List.of(lost, released, kept), LONG)).containsExactlyInAnyOrder(lost, released);
      assertThat(s().renewRuns("e2", List.of(other), LONG)).isEmpty();
      assertThat(s().renewRuns("e1", List.of(), LONG)).isEmpty();
    }
  }

  @Nested
  class Acquire {
    @Test
    void aRunThatALiveLeaseHoldsIsNotTaken() {
      held("r", 1, "e1", LONG);
      assertThat(s().acquireRun(P, "r", "e2", LONG)).isEmpty();
      assertThat(s().lease(P, "r")).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("e1"));
      assertThat(s().acquireRun(P, "missing", "e2", LONG)).isEmpty();
    }

    @Test
    void aRunWhoseLeaseExpiredIsTakenUnderAGreaterFenceAndTheOldHolderWritesNothing() {
      RunLease old = held("r", 1, "e1", SHORT);
      RunLease taken = other().acquireRun(P, "r", "e2", LONG).orElseThrow();
      assertThat(taken.owner()).isEqualTo("e2");
      assertThat(taken.fence()).isGreaterThan(old.fence());
      TaskRecord ready = task("r", "a").moveTo(TaskState.READY, T0.plusSeconds(2));
      assertThat(s().updateTask(old, ready, 0)).isFalse();
      assertThat(s().updateTask(taken, ready, 0)).isTrue();
    }

    @Test
    void aFinishedRunRunsAgainUnderANewLeaseAndIsNeverClaimedWhileFinished() {
      RunLease first = held("r", 1, "e1", LONG);
      RunRecord done = s().run(P, "r").orElseThrow().withStatus(RunStatus.FAILED, T0.plusSeconds(5))
          .withCancellation(new dev.orchestrator.run.Cancellation("alice", "stop", T0.plusSeconds(4)));
      assertThat(s().updateRun(first, done)).isTrue();
      assertThat(s().claimRuns("e3", 10, LONG)).isEmpty();

      RunLease again = s().acquireRun(P, "r", "e2", LONG).orElseThrow();
      RunRecord reopened = s().run(P, "r").orElseThrow();
      assertThat(reopened.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(reopened.finishedAt()).isNull();
      assertThat(reopened.cancellation()).isNull();
      assertThat(again.fence()).isGreaterThan(first.fence());
      assertThat(s().lease(P, "r")).contains(again);
    }

    @Test
    void theOldLeasesReservationsAreReleased() {
      Account global = new Account(BudgetScope.global(), null);
      RunLease old = held("r", 1, "e1", SHORT);
      assertThat(s().ledger().reserve("res-1", old, List.of(global), usd("2.50"), null)).isNull();
      s().acquireRun(P, "r", "e2", LONG).orElseThrow();
      assertThat(s().ledger().balance(global).reserved()).isEqualByComparingTo("0");
    }
  }

  @Nested
  class FencedWrites {
    @Test
    void theHolderWritesTasksAndTheRun() {
      RunLease lease = held("r", 1, "e1", LONG);
      TaskRecord ready = task("r", "a").moveTo(TaskState.READY, T0.plusSeconds(2));
      assertThat(s().updateTask(lease, ready, 0)).isTrue();
      assertThat(task("r", "a")).isEqualTo(ready);
      RunRecord cancelling = s().run(P, "r").orElseThrow()
          .withCancellation(new dev.orchestrator.run.Cancellation("alice", "wrong topic", T0.plusSeconds(3)));
      assertThat(s().updateRun(lease, cancelling)).isTrue();
      assertThat(s().run(P, "r")).contains(cancelling);
    }

    @Test
    void aLeaseLostMidwayMakesEveryWriteReturnFalseAndChangeNothing() {
      RunLease old = held("r", 1, "e1", SHORT);
      TaskRecord ready = task("r", "a").moveTo(TaskState.READY, T0.plusSeconds(2));
      // Expired but not claimed since: the holder may still write.
      assertThat(s().updateTask(old, ready, 0)).isTrue();
      RunLease now = s().claimRuns("e2", 1, LONG).get(0);

      TaskRecord late = ready.moveTo(TaskState.RUNNING, T0.plusSeconds(3));
      assertThat(s().updateTask(old, late, 0)).isFalse();
      assertThat(task("r", "a")).isEqualTo(ready);
      RunRecord run = s().run(P, "r").orElseThrow();
      assertThat(s().updateRun(old, run.withStatus(RunStatus.FAILED, T0.plusSeconds(3)))).isFalse();
      assertThat(s().run(P, "r")).contains(run);

      assertThat(s().updateTask(now, late, 0)).isTrue();
      assertThat(task("r", "a")).isEqualTo(late);
    }

    @Test
    void aReleasedLeaseWritesNothing() {
      RunLease lease = held("r", 1, "e1", LONG);
      s().releaseRun(lease);
      TaskRecord ready = task("r", "b").moveTo(TaskState.READY, T0.plusSeconds(2));
      assertThat(s().updateTask(lease, ready, 1)).isFalse();
      assertThat(task("r", "b").state()).isEqualTo(TaskState.BLOCKED);
    }
  }

  @Nested
  class Commands {
    @Test
    void theHolderTakesOnlyTheCommandsOfItsRunsOldestFirst() {
      held("r1", 1, "e1", LONG);
      held("r2", 2, "e2", LONG);
      create("r3", 3, null, LONG);
      Command c1 = command("c1", "r1", Command.Kind.CANCEL, 10);
      Command c2 = command("c2", "r2", Command.Kind.ANSWER, 11);
      Command c3 = command("c3", "r1", Command.Kind.PRIORITY, 12);
      Command c4 = command("c4", "r3", Command.Kind.RESUME, 13);
      for (Command c : List.of(c1, c2, c3, c4)) {
        s().submitCommand(c);
      }
      assertThat(s().takeCommands("e1")).containsExactly(c1, c3);
      assertThat(s().takeCommands("e1")).isEmpty();
      assertThat(s().takeCommands("e3")).isEmpty();
      assertThat(s().takeCommands("e2")).containsExactly(c2);
      assertThat(runIds(s().claimRuns("e3", 5, LONG))).containsExactly("r3");
      assertThat(s().takeCommands("e3")).containsExactly(c4);
    }

    @Test
    void theCommandsOfARunWhoseLeaseExpiredWaitForItsNextHolder() {
      held("r", 1, "e1", SHORT);
      Command c = command("c", "r", Command.Kind.CANCEL, 10);
      s().submitCommand(c);
      assertThat(s().takeCommands("e1")).isEmpty();
      s().claimRuns("e2", 1, LONG);
      assertThat(s().takeCommands("e2")).containsExactly(c);
    }
  }

  @Nested
  class Ledger {
    private final Account global = new Account(BudgetScope.global(), null);
    private final Account project = new Account(BudgetScope.project(P), null);
    private final Account day1 = new Account(BudgetScope.providerDaily("fake"), LocalDate.of(2025, 3, 1));
    private final Account day2 = new Account(BudgetScope.providerDaily("fake"), LocalDate.of(2025, 3, 2));

    private dev.orchestrator.spi.store.Ledger ledger() {
      return s().ledger();
    }

    private Balance balance(Account a) {
      return ledger().balance(a);
    }

    @Test
    void anAccountNeverUsedIsZero() {
      Balance b = balance(project);
      assertThat(b.account()).isEqualTo(project);
      assertThat(b.spent()).isZero();
      assertThat(b.reserved()).isZero();
      assertThat(b.estimated()).isZero();
      assertThat(b.overrun()).isZero();
      assertThat(ledger().balances()).isEmpty();
    }

    @Test
    void aReservationIsMadeOnEveryAccountOrOnNone() {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      RunLease lease = held("r", 1, "e1", LONG);
      List<Account> accounts = List.of(global, project, day1);
      assertThat(ledger().reserve("x1", lease, accounts, usd("4.00"), null)).isNull();
      for (Account a : accounts) {
        assertThat(balance(a).reserved()).as("%s", a).isEqualByComparingTo("4.00");
      }
      LimitBreach breach = ledger().reserve("x2", lease, accounts, usd("7.00"), null);
      assertThat(breach).isNotNull();
      assertThat(breach.account()).isEqualTo(project);
      assertThat(breach.spent()).isEqualByComparingTo("0");
      assertThat(breach.reserved()).isEqualByComparingTo("4.00");
      assertThat(breach.limit()).isEqualByComparingTo("10");
      assertThat(breach.wanted()).isEqualByComparingTo("7.00");
      for (Account a : accounts) {
        assertThat(balance(a).reserved()).as("%s", a).isEqualByComparingTo("4.00");
      }
      assertThat(balance(day2).reserved()).isZero();
      // Exactly up to the limit is allowed, not a bit more.
      assertThat(ledger().reserve("x3", lease, accounts, usd("6.00"), null)).isNull();
      assertThat(ledger().reserve("x4", lease, accounts, usd("0.000000000000000001"), null)).isNotNull();
    }

    @Test
    void checkAnswersAsReserveWouldWithoutReserving() {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      RunLease lease = held("r", 1, "e1", LONG);
      assertThat(ledger().reserve("x1", lease, List.of(project), usd("4.00"), null)).isNull();
      assertThat(ledger().check(List.of(global, project), usd("6.00"), null)).isNull();
      LimitBreach breach = ledger().check(List.of(global, project), usd("6.01"), null);
      assertThat(breach).isNotNull();
      assertThat(breach.account()).isEqualTo(project);
      assertThat(breach.reserved()).isEqualByComparingTo("4.00");
      assertThat(balance(project).reserved()).isEqualByComparingTo("4.00");
      assertThat(balance(global).reserved()).isZero();
    }

    @Test
    void aTasksOwnMaxCostLimitsItsAccountWhenNoBudgetIsStored() {
      RunLease lease = held("r", 1, "e1", LONG);
      Account task = new Account(BudgetScope.task("r", "a"), null);
      assertThat(ledger().reserve("x1", lease, List.of(task), usd("0.60"), usd("1.00"))).isNull();
      LimitBreach breach = ledger().reserve("x2", lease, List.of(task), usd("0.60"), usd("1.00"));
      assertThat(breach).isNotNull();
      assertThat(breach.limit()).isEqualByComparingTo("1.00");
      assertThat(ledger().check(List.of(task), usd("0.40"), usd("1.00"))).isNull();
      assertThat(ledger().check(List.of(task), usd("0.40"), null)).as("no limit without maxCost").isNull();
    }

    @Test
    void aSettlementReleasesItsReservationAndSpendsExactly() {
      RunLease lease = held("r", 1, "e1", LONG);
      List<Account> accounts = List.of(global, project);
      assertThat(ledger().reserve("x1", lease, accounts, usd("4.00"), null)).isNull();
      assertThat(ledger().reserve("x2", lease, accounts, usd("1.00"), null)).isNull();
      assertThat(ledger().settle("x1", accounts, usd("1.234567890123456789"))).isEmpty();
      assertThat(balance(project).reserved()).isEqualByComparingTo("1.00");
      assertThat(balance(project).spent()).isEqualByComparingTo("1.234567890123456789");
      assertThat(ledger().settle(null, accounts, usd("0.000000000000000001"))).isEmpty();
      assertThat(balance(global).spent()).isEqualByComparingTo("1.23456789012345679");
      // A settlement of a reservation already settled records its cost and releases nothing.
      ledger().settle("x1", accounts, usd("0.5"));
      assertThat(balance(global).spent()).isEqualByComparingTo("1.73456789012345679");
      assertThat(balance(global).reserved()).isEqualByComparingTo("1.00");
      assertThat(ledger().balances()).extracting(Balance::account).containsExactlyInAnyOrder(global, project);
    }

    @Test
    void anEstimatedSettlementIsSpentAndKeptApartAsEstimated() {
      RunLease lease = held("r", 1, "e1", LONG);
      List<Account> accounts = List.of(global, project);
      assertThat(ledger().reserve("x1", lease, accounts, usd("0.40"), null)).isNull();
      assertThat(ledger().reserve("x2", lease, accounts, usd("0.30"), null)).isNull();
      ledger().settle("x1", accounts, usd("0.40"), true);
      ledger().settle("x2", accounts, usd("0.10"), false);
      ledger().settle(null, accounts, usd("0.05"));
      for (Account a : accounts) {
        Balance b = balance(a);
        assertThat(b.spent()).as("%s spent", a).isEqualByComparingTo("0.55");
        assertThat(b.estimated()).as("%s estimated", a).isEqualByComparingTo("0.40");
        assertThat(b.measured()).as("%s measured", a).isEqualByComparingTo("0.15");
        assertThat(b.reserved()).as("%s reserved", a).isZero();
        assertThat(b.overrun()).as("%s overrun", a).isZero();
      }
      assertThat(ledger().balances()).filteredOn(b -> b.account().equals(project)).singleElement()
          .satisfies(b -> assertThat(b.estimated()).isEqualByComparingTo("0.40"));
    }

    @Test
    void whatASettlementCostsBeyondItsReservationIsAnOverrun() {
      RunLease lease = held("r", 1, "e1", LONG);
      List<Account> accounts = List.of(global, project);
      assertThat(ledger().reserve("x1", lease, accounts, usd("0.30"), null)).isNull();
      assertThat(ledger().reserve("x2", lease, accounts, usd("0.30"), null)).isNull();
      assertThat(ledger().reserve("x3", lease, List.of(project), usd("1.00"), null)).isNull();
      ledger().settle("x1", accounts, usd("0.42"));
      ledger().settle("x2", accounts, usd("0.35"), true);
      ledger().settle("x3", List.of(project), usd("0.20"));
      // A call that reserved nothing has no reservation to overrun.
      ledger().settle(null, accounts, usd("5.00"));
      assertThat(balance(project).overrun()).isEqualByComparingTo("0.17");
      assertThat(balance(global).overrun()).isEqualByComparingTo("0.17");
      assertThat(balance(project).spent()).isEqualByComparingTo("5.97");
      assertThat(balance(project).reserved()).isZero();
      assertThat(balance(day1).overrun()).isZero();
    }

    @Test
    void aLateSettlementOfAReleasedReservationIsSpentButNoOverrun() {
      RunLease crashed = held("r", 1, "e1", SHORT);
      List<Account> accounts = List.of(global, project);
      assertThat(ledger().reserve("x1", crashed, accounts, usd("0.50"), null)).isNull();
      RunLease next = s().claimRuns("e2", 1, LONG).get(0);
      assertThat(next.runId()).isEqualTo("r");
      assertThat(balance(project).reserved()).isZero();
      ledger().settle("x1", accounts, usd("0.80"), true);
      Balance b = balance(project);
      assertThat(b.spent()).isEqualByComparingTo("0.80");
      assertThat(b.estimated()).isEqualByComparingTo("0.80");
      assertThat(b.overrun()).as("the reservation was no longer held").isZero();
      assertThat(b.reserved()).isZero();
    }

    @Test
    void aDailyAccountIsOneDays() {
      s().saveBudget(Budget.of(BudgetScope.providerDaily("fake"), Money.usd("1.00")));
      RunLease lease = held("r", 1, "e1", LONG);
      assertThat(ledger().reserve("x1", lease, List.of(day1), usd("1.00"), null)).isNull();
      assertThat(ledger().reserve("x2", lease, List.of(day1), usd("0.01"), null)).isNotNull();
      assertThat(ledger().reserve("x3", lease, List.of(day2), usd("1.00"), null)).isNull();
      ledger().settle("x1", List.of(day1), usd("0.25"));
      assertThat(balance(day1).spent()).isEqualByComparingTo("0.25");
      assertThat(balance(day2).spent()).isZero();
      assertThat(balance(day2).reserved()).isEqualByComparingTo("1.00");
    }

    @Test
    void badAmountsAndReusedIdsAreRefusedAndChangeNothing() {
      RunLease lease = held("r", 1, "e1", LONG);
      assertThatThrownBy(() -> ledger().reserve("x1", lease, List.of(project), usd("-0.01"), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
      assertThatThrownBy(() -> ledger().settle(null, List.of(project), usd("-1")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actual");
      assertThat(ledger().reserve("x1", lease, List.of(project), usd("1"), null)).isNull();
      assertThatThrownBy(() -> ledger().reserve("x1", lease, List.of(project), usd("1"), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x1");
      assertThat(balance(project).reserved()).isEqualByComparingTo("1");
      assertThat(balance(project).spent()).isZero();
    }

    @Test
    void aClaimOfSeveralRunsReleasesTheEarlierReservationsOfEachOfThemAndNoOthers() {
      RunLease crashed1 = held("r1", 1, "e1", SHORT);
      RunLease crashed2 = held("r2", 2, "e1", SHORT);
      RunLease alive = held("other", 3, "e3", LONG);
      assertThat(ledger().reserve("a", crashed1, List.of(global, project), usd("3.00"), null)).isNull();
      assertThat(ledger().reserve("b", crashed2, List.of(global), usd("0.25"), null)).isNull();
      assertThat(ledger().reserve("c", crashed2, List.of(project), usd("0.50"), null)).isNull();
      assertThat(ledger().reserve("d", alive, List.of(global), usd("2.00"), null)).isNull();
      assertThat(balance(global).reserved()).isEqualByComparingTo("5.25");

      assertThat(runIds(s().claimRuns("e2", 5, LONG))).containsExactly("r1", "r2");

      assertThat(balance(global).reserved()).as("only the live run's reservation is left").isEqualByComparingTo("2.00");
      assertThat(balance(project).reserved()).isZero();
    }

    @Test
    void aClaimReleasesTheReservationsOfTheRunsEarlierLeases() {
      RunLease crashed = held("r", 1, "e1", SHORT);
      RunLease alive = held("other", 2, "e3", LONG);
      List<Account> accounts = List.of(global, project);
      assertThat(ledger().reserve("x1", crashed, accounts, usd("3.00"), null)).isNull();
      assertThat(ledger().reserve("x2", crashed, List.of(project), usd("0.50"), null)).isNull();
      assertThat(ledger().reserve("y1", alive, List.of(global), usd("2.00"), null)).isNull();
      assertThat(balance(global).reserved()).isEqualByComparingTo("5.00");

      RunLease next = s().claimRuns("e2", 1, LONG).get(0);
      assertThat(next.runId()).isEqualTo("r");
      assertThat(balance(global).reserved()).isEqualByComparingTo("2.00");
      assertThat(balance(project).reserved()).isZero();
      // The new holder's reservations are its own; a later claim releases them, not the old holder's settlement.
      assertThat(ledger().reserve("z1", next, List.of(project), usd("1.00"), null)).isNull();
      // The old holder's late settlement records the money spent and releases nothing.
      ledger().settle("x1", accounts, usd("1.10"));
      assertThat(balance(project).spent()).isEqualByComparingTo("1.10");
      assertThat(balance(project).reserved()).isEqualByComparingTo("1.00");
      assertThat(balance(global).reserved()).isEqualByComparingTo("2.00");
    }
  }

  @Nested
  class Thresholds {
    private final Account project = new Account(BudgetScope.project(P), null);

    private List<Double> settle(String amount) {
      return s().ledger().settle(null, List.of(project), usd(amount)).stream().map(ThresholdCrossing::threshold)
          .toList();
    }

    @Test
    void eachThresholdIsReportedOnceWithTheFigures() {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      assertThat(settle("4.99")).isEmpty();
      List<ThresholdCrossing> half = s().ledger().settle(null, List.of(project), usd("0.01"));
      assertThat(half).hasSize(1);
      assertThat(half.get(0).account()).isEqualTo(project);
      assertThat(half.get(0).threshold()).isEqualTo(0.5);
      assertThat(half.get(0).spent()).isEqualByComparingTo("5.00");
      assertThat(half.get(0).limit()).isEqualByComparingTo("10");
      assertThat(settle("0.01")).isEmpty();
      assertThat(settle("4.00")).containsExactlyInAnyOrder(0.75, 0.9);
      assertThat(settle("1.00")).isEmpty();
      assertThat(settle("0")).isEmpty();
    }

    @Test
    void anAccountWithoutABudgetCrossesNothing() {
      assertThat(settle("100")).isEmpty();
    }

    @Test
    void aRaisedLimitLetsTheThresholdsAboveTheNewShareFireAgain() {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      assertThat(settle("8.00")).containsExactlyInAnyOrder(0.5, 0.75);
      // 8 of 11 is 72.7%: 75% may fire again, 50% may not.
      s().saveBudget(Budget.of(BudgetScope.project(P), Money.usd("11.00")));
      assertThat(settle("0.24")).isEmpty();
      assertThat(settle("0.01")).containsExactly(0.75);
      // 8.25 of 20 is 41%: both may fire again.
      s().saveBudget(Budget.of(BudgetScope.project(P), Money.usd("20.00")));
      assertThat(settle("1.75")).containsExactly(0.5);
      // Lowering a limit lets nothing fire again; the thresholds it passes fire at the next settlement.
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      assertThat(settle("0.01")).containsExactlyInAnyOrder(0.75, 0.9);
      assertThat(settle("1.00")).isEmpty();
    }
  }

  @Nested
  class Pauses {
    @Test
    void pausesAreStoredReplacedAndDeleted() {
      Pause blog = Pause.project("Blog", "over budget", T0);
      Pause lower = Pause.project("blog", "maintenance", T0.plusSeconds(1));
      Pause claude = Pause.provider("Claude", "outage", T0.plusSeconds(2));
      assertThat(s().pauses()).isEmpty();
      s().savePause(blog);
      s().savePause(lower);
      s().savePause(claude);
      assertThat(claude.name()).isEqualTo("claude");
      assertThat(s().pauses()).containsExactlyInAnyOrder(blog, lower, claude);

      Pause again = Pause.project("Blog", "still over budget", T0.plusSeconds(3));
      s().savePause(again);
      assertThat(s().pauses()).containsExactlyInAnyOrder(again, lower, claude);

      assertThat(s().deletePause(Pause.Kind.PROJECT, "BLOG")).as("project names are case-sensitive").isFalse();
      assertThat(s().deletePause(Pause.Kind.PROVIDER, "CLAUDE")).as("provider names are not").isTrue();
      assertThat(s().deletePause(Pause.Kind.PROVIDER, "claude")).isFalse();
      assertThat(s().deletePause(Pause.Kind.PROJECT, "Blog")).isTrue();
      assertThat(s().pauses()).containsExactly(lower);
    }

    @Test
    void everyInstanceSeesThePauses() {
      Store other = other();
      Pause p = Pause.provider("gemini", "rate limited", T0);
      s().savePause(p);
      assertThat(other.pauses()).containsExactly(p);
      assertThat(other.deletePause(Pause.Kind.PROVIDER, "gemini")).isTrue();
      assertThat(s().pauses()).isEmpty();
    }
  }

  /** Several threads on several instances of one store, as engines in several processes are. */
  @Nested
  class Concurrency {
    @Test
    void enginesClaimingAtOnceNeverGetTheSameRun() throws Exception {
      int runs = 60;
      for (int i = 0; i < runs; i++) {
        create(String.format("r%03d", i), i, null, LONG);
      }
      Store[] instances = {s(), other(), other()};
      ConcurrentLinkedQueue<RunLease> claimed = new ConcurrentLinkedQueue<>();
      Together.run(6, w -> {
        Store mine = instances[w % instances.length];
        while (true) {
          List<RunLease> got = mine.claimRuns("e" + w, 3, LONG);
          if (got.isEmpty()) {
            return;
          }
          claimed.addAll(got);
        }
      });
      List<String> ids = claimed.stream().map(RunLease::runId).toList();
      assertThat(ids).hasSize(runs).doesNotHaveDuplicates();
      for (RunLease l : claimed) {
        assertThat(s().lease(P, l.runId()).orElseThrow().owner()).isEqualTo(l.owner());
      }
    }

    @Test
    void expiredRunsReclaimedAtOnceGoToOneEngineEachUnderAGreaterFence() throws Exception {
      Map<String, Long> fences = new java.util.concurrent.ConcurrentHashMap<>();
      for (int i = 0; i < 20; i++) {
        String id = String.format("r%02d", i);
        fences.put(id, held(id, i, "crashed", SHORT).fence());
      }
      Store[] instances = {s(), other()};
      ConcurrentLinkedQueue<RunLease> claimed = new ConcurrentLinkedQueue<>();
      Together.run(4, w -> claimed.addAll(instances[w % 2].claimRuns("e" + w, 20, LONG)));
      assertThat(claimed.stream().map(RunLease::runId).toList()).hasSize(20).doesNotHaveDuplicates();
      for (RunLease l : claimed) {
        assertThat(l.fence()).isGreaterThan(fences.get(l.runId()));
      }
    }

    @Test
    void reservationsAtOnceNeverExceedALimit() throws Exception {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      Account project = new Account(BudgetScope.project(P), null);
      Account global = new Account(BudgetScope.global(), null);
      RunLease[] leases = {held("r1", 1, "e1", LONG), held("r2", 2, "e2", LONG)};
      Store[] instances = {s(), other()};
      AtomicInteger granted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      Together.run(8, w -> {
        for (int i = 0; i < 5; i++) {
          LimitBreach b = instances[w % 2].ledger().reserve("w" + w + "-" + i, leases[w % 2],
              List.of(global, project), usd("1.00"), null);
          if (b == null) {
            granted.incrementAndGet();
          } else {
            assertThat(b.account()).isEqualTo(project);
            refused.incrementAndGet();
          }
        }
      });
      assertThat(granted.get()).isEqualTo(10);
      assertThat(refused.get()).isEqualTo(30);
      assertThat(s().ledger().balance(project).reserved()).isEqualByComparingTo("10.00");
      assertThat(s().ledger().balance(global).reserved()).isEqualByComparingTo("10.00");
    }

    @Test
    void settlementsAtOnceReportEachThresholdOnceAndLoseNoCent() throws Exception {
      s().saveBudget(Budget.of(BudgetScope.project(P), TEN));
      Account project = new Account(BudgetScope.project(P), null);
      RunLease lease = held("r", 1, "e1", LONG);
      Store[] instances = {s(), other()};
      for (int i = 0; i < 40; i++) {
        assertThat(s().ledger().reserve("x" + i, lease, List.of(project), usd("0.25"), null)).isNull();
      }
      ConcurrentLinkedQueue<Double> crossed = new ConcurrentLinkedQueue<>();
      Together.run(4, w -> {
        for (int i = w; i < 40; i += 4) {
          for (ThresholdCrossing c : instances[w % 2].ledger().settle("x" + i, List.of(project), usd("0.25"))) {
            crossed.add(c.threshold());
          }
        }
      });
      assertThat(crossed).containsExactlyInAnyOrder(0.5, 0.75, 0.9);
      assertThat(s().ledger().balance(project).spent()).isEqualByComparingTo("10.00");
      assertThat(s().ledger().balance(project).reserved()).isZero();
    }

    @Test
    void aWriteUnderALostLeaseNeverLandsAfterTheNewHolderReadTheRun() throws Exception {
      // Each round the old holder writes while another engine claims the run and then reads its task, as a new
      // holder does. The write either comes before the claim (the new holder sees it) or is refused: it never lands
      // behind the new holder's back.
      Store[] instances = {s(), other()};
      for (int round = 0; round < 10; round++) {
        String id = "r" + round;
        RunLease old = held(id, round, "e1", SHORT);
        TaskRecord ready = task(id, "a").moveTo(TaskState.READY, T0.plusSeconds(2));
        AtomicInteger wrote = new AtomicInteger(-1);
        List<TaskRecord> seenByNewHolder = Collections.synchronizedList(new ArrayList<>());
        Together.run(2, w -> {
          if (w == 0) {
            wrote.set(instances[0].updateTask(old, ready, 0) ? 1 : 0);
            return;
          }
          // A store may pass over a run that is being written at that moment: the next claim gets it.
          Instant deadline = Instant.now().plusSeconds(30);
          List<RunLease> got = instances[1].claimRuns("e2", 1, LONG);
          while (got.isEmpty() && Instant.now().isBefore(deadline)) {
            got = instances[1].claimRuns("e2", 1, LONG);
          }
          assertThat(got).hasSize(1);
          seenByNewHolder.add(instances[1].task(P, id, "a").orElseThrow());
        });
        TaskRecord seen = seenByNewHolder.get(0);
        assertThat(task(id, "a")).as("round %d", round).isEqualTo(seen);
        assertThat(seen.state()).isEqualTo(wrote.get() == 1 ? TaskState.READY : TaskState.BLOCKED);
        assertThat(s().updateTask(old, ready.moveTo(TaskState.RUNNING, T0.plusSeconds(3)), 0)).isFalse();
        assertThat(task(id, "a")).isEqualTo(seen);
      }
    }
  }

  // ------------------------------------------------------------------ the budget invariant, as a property

  private @Nullable Store propertyStore;
  private @Nullable Store propertyOther;
  private @Nullable RunLease propertyLeaseA;
  private @Nullable RunLease propertyLeaseB;
  private final AtomicInteger propertyTry = new AtomicInteger();

  @BeforeProperty
  void openPropertyStores() {
    propertyStore = createStore();
    propertyOther = share(propertyStore);
    propertyLeaseA = propertyStore.createRun(running("prop-a", 1), "{}", List.of(), "e1", LONG);
    propertyLeaseB = propertyStore.createRun(running("prop-b", 2), "{}", List.of(), "e2", LONG);
  }

  @AfterProperty
  void closePropertyStores() {
    if (propertyOther != null && propertyOther != propertyStore) {
      propertyOther.close();
    }
    if (propertyStore != null) {
      discard(propertyStore);
    }
  }

  /**
   * Whatever the limit and the amounts, reservations made at once from two instances never reserve more than the
   * limit, the account holds exactly what was granted, and each refusal was right: the amount did not fit even in
   * what was finally reserved (reservations only grew meanwhile).
   */
  @Property(tries = 15)
  void reservationsAtOnceNeverBreakALimitAndEachRefusalWasRight(
      @ForAll @IntRange(min = 0, max = 5_000) int limitCents,
      @ForAll @Size(min = 1, max = 24) List<@IntRange(min = 0, max = 2_000) Integer> amountsCents) throws Exception {
    Store a = java.util.Objects.requireNonNull(propertyStore);
    Store b = java.util.Objects.requireNonNull(propertyOther);
    // A new project account for each try, so tries do not see each other's reservations.
    String name = "prop-" + propertyTry.incrementAndGet();
    Account account = new Account(BudgetScope.project(name), null);
    BigDecimal limit = BigDecimal.valueOf(limitCents, 2);
    a.saveBudget(Budget.of(BudgetScope.project(name), Money.usd(limit.toPlainString())));
    ConcurrentLinkedQueue<BigDecimal> granted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<BigDecimal> refused = new ConcurrentLinkedQueue<>();
    int threads = 4;
    Together.run(threads, w -> {
      Store mine = w % 2 == 0 ? a : b;
      RunLease holder = java.util.Objects.requireNonNull(w % 2 == 0 ? propertyLeaseA : propertyLeaseB);
      for (int i = w; i < amountsCents.size(); i += threads) {
        BigDecimal amount = BigDecimal.valueOf(amountsCents.get(i), 2);
        LimitBreach breach = mine.ledger().reserve(name + "-" + i, holder, List.of(account), amount, null);
        (breach == null ? granted : refused).add(amount);
      }
    });
    BigDecimal sum = granted.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal reserved = a.ledger().balance(account).reserved();
    assertThat(reserved).isEqualByComparingTo(sum);
    assertThat(reserved).isLessThanOrEqualTo(limit);
    for (BigDecimal r : refused) {
      assertThat(reserved.add(r)).as("refused %s", r).isGreaterThan(limit);
    }
  }
}
