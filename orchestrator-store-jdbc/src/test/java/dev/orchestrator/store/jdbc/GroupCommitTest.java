package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.RunLease;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine writes a pass of its work in one transaction ({@code Store.atomically}): task updates under a lease the
 * transaction already checked, and events, wait in it and are sent at its end, and it still reads its own writes.
 */
class GroupCommitTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir
  Path dataDir;
  private JdbcStore store;
  private RunLease lease;
  private TaskRecord a;
  private TaskRecord b;

  @BeforeEach
  void open() {
    store = JdbcStore.embedded(dataDir);
    a = TaskRecord.created("p", "r", "a", "A", Priority.MEDIUM, T0);
    b = TaskRecord.created("p", "r", "b", "B", Priority.MEDIUM, T0);
    lease = Objects.requireNonNull(store.createRun(RunRecord.submitted("p", "r", "w", Map.of(), T0), "{}", List.of(a, b), "engine", Duration.ofMinutes(1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TaskRecord running() {
    return a.moveTo(TaskState.READY, T0.plusSeconds(1)).start("fake", T0.plusSeconds(2));
  }

  private static Event ready(String task, int second) {
    return new TaskReadyEvent("p", "r", task, T0.plusSeconds(second), TaskState.BLOCKED, Priority.MEDIUM);
  }

  @Test
  void aTaskChangedSeveralTimesInOneTransactionEndsAsItsNewestRecordAndTheTransactionReadsItsOwnWrites() {
    store.atomically(() -> {
      assertThat(store.updateTask(lease, a.moveTo(TaskState.READY, T0.plusSeconds(1)), 0)).isTrue();
      assertThat(store.updateTask(lease, running(), 0)).isTrue();
      store.append(ready("a", 1));
      // A read inside the transaction sees what waits in it.
      assertThat(store.task("p", "r", "a").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
      assertThat(store.events("p", "r")).hasSize(1);
      assertThat(store.updateTask(lease, running().moveTo(TaskState.SUCCEEDED, T0.plusSeconds(3)), 0)).isTrue();
      store.append(ready("b", 3));
      return null;
    });
    assertThat(store.task("p", "r", "a").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(store.events("p", "r")).extracting(e -> ((TaskReadyEvent) e).taskId()).containsExactly("a", "b");
  }

  @Test
  void aNestedBlockThatFailsTakesBackItsTaskUpdatesAndEventsAndKeepsTheOnesBeforeIt() {
    store.atomically(() -> {
      store.updateTask(lease, a.moveTo(TaskState.READY, T0.plusSeconds(1)), 0);
      store.append(ready("a", 1));
      assertThatThrownBy(() -> store.atomically(() -> {
        store.updateTask(lease, running(), 0);
        store.updateTask(lease, b.moveTo(TaskState.READY, T0.plusSeconds(2)), 1);
        store.append(ready("b", 2));
        throw new IllegalStateException("the nested block fails");
      })).hasMessage("the nested block fails");
      store.append(ready("a", 3));
      return null;
    });
    assertThat(store.task("p", "r", "a").orElseThrow().state()).isEqualTo(TaskState.READY);
    assertThat(store.task("p", "r", "b").orElseThrow().state()).isEqualTo(TaskState.BLOCKED);
    assertThat(store.events("p", "r")).extracting(e -> ((TaskReadyEvent) e).taskId()).containsExactly("a", "a");
  }

  @Test
  void aNestedBlockThatWritesToTheDatabaseItselfAndFailsTakesBackThatWriteAndItsWaitingOnesButNotTheOuterOnes() {
    Account run = new Account(BudgetScope.run("r"), null);
    store.atomically(() -> {
      store.updateTask(lease, a.moveTo(TaskState.READY, T0.plusSeconds(1)), 0);
      store.append(ready("a", 1));
      assertThatThrownBy(() -> store.atomically(() -> {
        store.updateTask(lease, b.moveTo(TaskState.READY, T0.plusSeconds(2)), 1);
        store.append(ready("b", 2));
        store.ledger().settle(null, List.of(run), BigDecimal.ONE); // a write of its own: the block takes a savepoint
        store.updateTask(lease, running(), 0);
        throw new IllegalStateException("the nested block fails");
      })).hasMessage("the nested block fails");
      store.ledger().settle(null, List.of(run), BigDecimal.TEN);
      return null;
    });
    assertThat(store.tasks("p", "r")).extracting(TaskRecord::state).containsExactly(TaskState.READY,
        TaskState.BLOCKED);
    assertThat(store.events("p", "r")).extracting(e -> ((TaskReadyEvent) e).taskId()).containsExactly("a");
    assertThat(store.ledger().balance(run).spent()).isEqualByComparingTo("10");
  }

  @Test
  void nothingWaitingInATransactionThatFailsIsKept() {
    assertThatThrownBy(() -> store.atomically(() -> {
      store.updateTask(lease, a.moveTo(TaskState.READY, T0.plusSeconds(1)), 0);
      store.updateTask(lease, b.moveTo(TaskState.READY, T0.plusSeconds(1)), 1);
      store.append(ready("a", 1));
      throw new IllegalStateException("the pass fails");
    })).hasMessage("the pass fails");
    assertThat(store.tasks("p", "r")).extracting(TaskRecord::state).containsExactly(TaskState.BLOCKED,
        TaskState.BLOCKED);
    assertThat(store.events("p", "r")).isEmpty();
  }

  @Test
  void aWriteUnderALeaseThatNoLongerHoldsIsRefusedAndNothingOfItWaits() {
    RunLease stale = new RunLease(lease.project(), lease.runId(), lease.owner(), lease.fence() - 1, lease.until());
    store.atomically(() -> {
      assertThat(store.updateTask(stale, a.moveTo(TaskState.READY, T0.plusSeconds(1)), 0)).isFalse();
      return null;
    });
    assertThat(store.task("p", "r", "a").orElseThrow().state()).isEqualTo(TaskState.BLOCKED);
  }
}
