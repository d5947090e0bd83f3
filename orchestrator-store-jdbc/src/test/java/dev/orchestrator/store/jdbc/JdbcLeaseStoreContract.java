package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetScope;
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
import java.util.Map;
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
      RunRecord done = new RunRecord(P, "done", "wf", RunStatus.SUCCEEDED, Map.of(), T0, T0, null);
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
      Command old = new Command("c1", Command.Kind.ANSWER, P, null, "q-1", "alice", "yes", T0);
      jdbc().submitCommand(old);
      assertThat(jdbc().takeCommands("e1")).isEmpty();
      assertThat(jdbc().takeCommands()).containsExactly(old);
    }
  }
}
