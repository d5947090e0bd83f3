package dev.orchestrator.store.jdbc;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One of several processes on one embedded store, started by {@link EmbeddedSharingIT}: {@code DIR NAME OPS} opens
 * the store (prints {@code OPENED}), then OPS times writes a run of its own (project NAME; prints {@code WROTE i} once
 * the run is committed), overwrites the budget every process shares (the same row), marks its run finished, and reads
 * what the others wrote; prints {@code DONE NAME OPS} and exits 0. Any failure (a write that was saved and then run
 * again fails on its duplicate run id) is printed with its stack trace and exits 1.
 */
final class SharingProcess {
  static final BudgetScope SHARED = BudgetScope.project("shared");

  private SharingProcess() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String name = args[1];
    int ops = Integer.parseInt(args[2]);
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      System.out.println("OPENED " + name);
      System.out.flush();
      for (int i = 0; i < ops; i++) {
        RunRecord run = new RunRecord(name, name + "-" + i, "wf", RunStatus.RUNNING, Map.of(),
            Instant.parse("2025-03-01T10:00:00Z").plusSeconds(i), null, null);
        store.createRun(run, "{}", List.of());
        System.out.println("WROTE " + i);
        System.out.flush();
        store.saveBudget(Budget.of(SHARED, Money.usd(BigDecimal.valueOf(i + 1))));
        store.updateRun(run.withStatus(RunStatus.SUCCEEDED, run.submittedAt().plusSeconds(1)));
        store.projectList(false);
        store.budgets();
        if (store.runs(name).size() != i + 1) {
          throw new AssertionError("process " + name + " sees " + store.runs(name).size() + " of its runs, not "
              + (i + 1));
        }
      }
      System.out.println("DONE " + name + " " + ops);
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      System.out.flush();
      System.exit(1);
    }
  }
}
