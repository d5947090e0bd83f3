package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store does not wait forever: when the file or a row stays held longer than its bound, the call fails
 * with {@link Reason#BUSY}, says what held it and that nothing was changed, and the store works again afterwards.
 */
class BusyStoreTest {
  @TempDir
  Path dataDir;

  private Connection raw() throws Exception {
    return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME)
        + ";AUTO_SERVER=TRUE", "sa", "");
  }

  @Test
  void aRowHeldLongerThanTheBoundIsBusyAndNothingChanges() throws Exception {
    BudgetScope scope = BudgetScope.project("p");
    try (JdbcStore store = JdbcStore.embedded(dataDir, Duration.ofMillis(900))) {
      store.saveBudget(Budget.of(scope, Money.usd("1")));
      try (Connection holder = raw(); Statement s = holder.createStatement()) {
        holder.setAutoCommit(false);
        s.executeUpdate("UPDATE budgets SET currency = currency WHERE scope_name = 'p'");
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.saveBudget(Budget.of(scope, Money.usd("2"))))
            .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
              assertThat(e.reason()).isEqualTo(Reason.BUSY);
              assertThat(e.getMessage()).contains("stayed busy for more than 900 ms",
                  "a row another transaction held", "nothing was changed", dataDir.toString())
                  .doesNotContain("Timeout trying to lock");
            });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        holder.rollback();
      }
      assertThat(store.budgets()).containsExactly(Budget.of(scope, Money.usd("1")));
      store.saveBudget(Budget.of(scope, Money.usd("3")));
      assertThat(store.budgets()).containsExactly(Budget.of(scope, Money.usd("3")));
    }
  }

  @Test
  void aDatabaseHeldAloneLongerThanTheBoundIsBusyWhenOpening() throws Exception {
    try (JdbcStore first = JdbcStore.embedded(dataDir);
        Connection holder = raw();
        Statement s = holder.createStatement()) {
      s.execute("SET EXCLUSIVE 1");
      assertThatThrownBy(() -> JdbcStore.embedded(dataDir, Duration.ofMillis(700)))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BUSY);
            assertThat(e.getMessage()).contains("stayed busy for more than 700 ms", "held the database alone");
          });
      s.execute("SET EXCLUSIVE 0");
      try (JdbcStore second = JdbcStore.embedded(dataDir, Duration.ofMillis(700))) {
        assertThat(second.projectList(true)).isEmpty();
      }
      assertThat(first.projectList(true)).isEmpty();
    }
  }
}
