package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.LeaseStoreContract;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The lease contract, and what the JDBC store promises beyond it, for the H2 and the PostgreSQL store alike. */
abstract class JdbcLeaseStoreContract extends LeaseStoreContract {
  private Store jdbc() {
    return Objects.requireNonNull(store);
  }

  private RunLease held(String runId, String owner) {
    RunLease lease = jdbc().createRun(running(runId, 1), "{}",
        List.of(TaskRecord.created(P, runId, "a", "Task a", Priority.MEDIUM, T0)), owner, SHORT);
    return Objects.requireNonNull(lease);
  }

  @Nested
  class BeyondTheContract {
    private final Account project = new Account(BudgetScope.project(P), null);

    @Test
    void aReservationUnderALostLeaseIsRefusedAndKeepsNothing() {
      RunLease old = held("r", "e1");
      RunLease now = jdbc().claimRuns("e2", 1, LONG).get(0);
      assertThatThrownBy(() -> jdbc().ledger().reserve("x1", old, List.of(project), BigDecimal.ONE, null))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer held");
      assertThat(jdbc().ledger().balance(project).reserved()).isZero();
      assertThat(jdbc().ledger().balances()).isEmpty();
      assertThat(jdbc().ledger().reserve("x1", now, List.of(project), BigDecimal.ONE, null)).isNull();
      assertThat(jdbc().ledger().balance(project).reserved()).isEqualByComparingTo("1");
    }

    @Test
    void amountsBeyondEighteenDecimalPlacesAreRefused() {
      RunLease lease = held("r", "e1");
      BigDecimal tooFine = new BigDecimal("0.0000000000000000001");
      assertThatThrownBy(() -> jdbc().ledger().reserve("x1", lease, List.of(project), tooFine, null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount").hasMessageContaining("18");
      assertThatThrownBy(() -> jdbc().ledger().settle(null, List.of(project), tooFine))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actual");
      assertThat(jdbc().ledger().balances()).isEmpty();
    }

    @Test
    void aRunCreatedUnderALeaseMustBeRunningAndNothingIsStoredOtherwise() {
      RunRecord done = RunRecord.builder().project(P).id("done").workflow("wf").status(RunStatus.SUCCEEDED)
          .submittedAt(T0).finishedAt(T0).build();
      assertThatThrownBy(() -> jdbc().createRun(done, "{}", List.of(), "e1", LONG))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RUNNING");
      assertThat(jdbc().run(P, "done")).isEmpty();
    }

    @Test
    void aFencedWriteOfAnotherRunsTaskIsRefused() {
      RunLease lease = held("r", "e1");
      held("other", "e2");
      TaskRecord foreign = jdbc().task(P, "other", "a").orElseThrow().moveTo(TaskState.READY, T0);
      assertThatThrownBy(() -> jdbc().updateTask(lease, foreign, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not belong");
      assertThat(jdbc().task(P, "other", "a").orElseThrow().state()).isEqualTo(TaskState.BLOCKED);
    }

    @Test
    void aCommandThatNamesNoRunIsTakenOnlyByTheEngineWideCall() {
      jdbc().createRun(running("r", 1), "{}", List.of(), "e1", LONG);
      Command old = Command.builder().id("c1").kind(Command.Kind.ANSWER).project(P).target("q-1").by("alice")
          .text("yes").at(T0).build();
      jdbc().submitCommand(old);
      assertThat(jdbc().takeCommands("e1")).isEmpty();
      assertThat(jdbc().takeCommands()).containsExactly(old);
    }
  
  }

  /** {@code Store.atomically}: one transaction that the store's writes on the thread join. */
  @Nested
  class Atomically {
    private final Account project = new Account(BudgetScope.project(P), null);

    @Test
    void writesInTheBlockAreKeptTogetherAndReadsInItSeeThem() {
      RunLease lease = held("r", "e1");
      TaskRecord ready = jdbc().task(P, "r", "a").orElseThrow().moveTo(TaskState.READY, T0.plusSeconds(2));
      String seen = jdbc().atomically(() -> {
        jdbc().ledger().settle(null, List.of(project), new BigDecimal("0.25"));
        assertThat(jdbc().updateTask(lease, ready, 0)).isTrue();
        jdbc().append(new TaskReadyEvent(P, "r", "a", T0.plusSeconds(2), TaskState.BLOCKED, Priority.MEDIUM));
        return jdbc().task(P, "r", "a").orElseThrow().state() + " " + jdbc().ledger().balance(project).spent();
      });
      assertThat(seen).isEqualTo("READY 0.25");
      assertThat(jdbc().task(P, "r", "a")).contains(ready);
      assertThat(jdbc().ledger().balance(project).spent()).isEqualByComparingTo("0.25");
      assertThat(jdbc().events(P, "r")).hasSize(1);
    }

    @Test
    void aBlockThatThrowsKeepsNothingItWrote() {
      RunLease lease = held("r", "e1");
      TaskRecord before = jdbc().task(P, "r", "a").orElseThrow();
      assertThatThrownBy(() -> jdbc().atomically(() -> {
        jdbc().ledger().settle(null, List.of(project), new BigDecimal("0.25"));
        jdbc().updateTask(lease, before.moveTo(TaskState.READY, T0.plusSeconds(2)), 0);
        jdbc().append(new TaskReadyEvent(P, "r", "a", T0.plusSeconds(2), TaskState.BLOCKED, Priority.MEDIUM));
        throw new IllegalStateException("killed here");
      })).isInstanceOf(IllegalStateException.class).hasMessage("killed here");
      assertThat(jdbc().task(P, "r", "a")).contains(before);
      assertThat(jdbc().ledger().balances()).isEmpty();
      assertThat(jdbc().events(P, "r")).isEmpty();
      assertThat(jdbc().lastEventSequence()).isZero();
    }

    @Test
    void aFencedWriteRefusedInTheBlockDoesNotUndoTheOthers() {
      RunLease old = held("r", "e1");
      jdbc().claimRuns("e2", 1, LONG);
      TaskRecord before = jdbc().task(P, "r", "a").orElseThrow();
      boolean written = jdbc().atomically(() -> {
        jdbc().ledger().settle(null, List.of(project), new BigDecimal("0.25"));
        return jdbc().updateTask(old, before.moveTo(TaskState.READY, T0.plusSeconds(2)), 0);
      });
      assertThat(written).isFalse();
      assertThat(jdbc().task(P, "r", "a")).contains(before);
      assertThat(jdbc().ledger().balance(project).spent()).as("money spent is never forgotten")
          .isEqualByComparingTo("0.25");
    }

    @Test
    void aBlockInsideABlockThatFailsUndoesOnlyItsOwnWritesAndTheOuterGoesOn() {
      Account other = new Account(BudgetScope.project("other"), null);
      jdbc().atomically(() -> {
        jdbc().ledger().settle(null, List.of(project), BigDecimal.ONE);
        assertThatThrownBy(() -> jdbc().atomically(() -> {
          jdbc().ledger().settle(null, List.of(other), BigDecimal.TEN);
          throw new IllegalStateException("the nested block fails");
        })).hasMessage("the nested block fails");
        jdbc().atomically(() -> jdbc().ledger().settle(null, List.of(project), BigDecimal.ONE));
        return null;
      });
      assertThat(jdbc().ledger().balance(project).spent()).isEqualByComparingTo("2");
      assertThat(jdbc().ledger().balance(other).spent()).isZero();
    }

    @Test
    void anotherThreadDoesNotSeeTheBlocksWritesBeforeItEnds() throws Exception {
      held("r", "e1");
      BigDecimal seenOutside = jdbc().atomically(() -> {
        jdbc().ledger().settle(null, List.of(project), BigDecimal.ONE);
        try {
          // Another thread does not join the block, so it cannot see its uncommitted write.
          return java.util.concurrent.CompletableFuture.supplyAsync(
              () -> jdbc().ledger().balance(project).spent()).get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(seenOutside).isZero();
      assertThat(jdbc().ledger().balance(project).spent()).isEqualByComparingTo("1");
    }
  }
}
