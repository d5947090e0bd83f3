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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One of several processes on one embedded store, started by {@link EmbeddedSharingIT}: {@code DIR NAME OPS} opens
 * the store (prints {@code OPENED}), then OPS times writes a run of its own (project NAME; prints {@code WROTE i} once
 * the run is committed), overwrites the budget every process shares (the same row), marks its run finished, and reads
 * what the others wrote; prints {@code DONE NAME OPS} and exits 0. Any failure (a write that was saved and then run
 * again fails on its duplicate run id) is printed with its stack trace and exits 1. When one operation takes longer
 * than {@link #STUCK_SECONDS}, every thread's stack is printed (once), so that a process that hangs says where.
 */
final class SharingProcess {
  static final BudgetScope SHARED = BudgetScope.project("shared");
  /** Longer than any call may take (the store's bound is 30 s), shorter than the test waits for a process. */
  static final long STUCK_SECONDS = 75;
  private static volatile long lastProgress = System.nanoTime();

  private SharingProcess() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String name = args[1];
    int ops = Integer.parseInt(args[2]);
    watchForHangs();
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      System.out.println("OPENED " + name);
      System.out.flush();
      for (int i = 0; i < ops; i++) {
        RunRecord run = RunRecord.submitted(name, name + "-" + i, "wf", Map.of(),
            Instant.parse("2025-03-01T10:00:00Z").plusSeconds(i));
        store.createRun(run, "{}", List.of());
        System.out.println("WROTE " + i);
        System.out.flush();
        lastProgress = System.nanoTime();
        store.saveBudget(Budget.of(SHARED, Money.usd(BigDecimal.valueOf(i + 1))));
        store.updateRun(run.withStatus(RunStatus.SUCCEEDED, run.submittedAt().plusSeconds(1)));
        store.projectList(false);
        store.budgets();
        lastProgress = System.nanoTime();
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

  /** Prints every thread's stack once when no operation has finished for {@link #STUCK_SECONDS}. */
  private static void watchForHangs() {
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hang-watchdog");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(STUCK_SECONDS)) {
        StringBuilder dump = new StringBuilder("STUCK for more than " + STUCK_SECONDS + " s; threads:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
          for (StackTraceElement e : stack) {
            dump.append("    at ").append(e).append('\n');
          }
        });
        System.out.println(dump);
        System.out.flush();
        watchdog.shutdown();
      }
    }, 1, 1, TimeUnit.SECONDS);
  }
}
