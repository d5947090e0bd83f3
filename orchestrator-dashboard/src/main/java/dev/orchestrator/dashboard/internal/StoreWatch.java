package dev.orchestrator.dashboard.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.spi.store.Pause;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoreView;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the store changes that no event tells of: a budget set, changed or removed by any process, pauses
 * stored by any process (an engine that applies another's pause emits nothing), and projects created or archived.
 * Every {@value #INTERVAL_MILLIS} ms it reads them and, when they differ from the last read, hands a notice
 * ({@code BudgetsChanged}, {@code PausesChanged} or {@code ProjectsChanged}) to the pages, which re-read what they
 * show.
 *
 * <p>Thread-safe; reads happen on its own daemon thread.
 */
final class StoreWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);
  static final long INTERVAL_MILLIS = 1000;

  private final StoreView store;
  private final Consumer<String> notices;
  private final ScheduledExecutorService timer;
  /** Confined to the timer thread. */
  private @Nullable Set<Budget> budgets;
  /** Confined to the timer thread. */
  private @Nullable Set<Pause> pauses;
  /** Confined to the timer thread. */
  private @Nullable Set<String> projects;

  StoreWatch(StoreView store, Consumer<String> notices) {
    this.store = store;
    this.notices = notices;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-dashboard-watch");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::check, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      Set<Budget> b = Set.copyOf(store.budgets()); // compared as sets: stores need not keep an order
      if (budgets != null && !budgets.equals(b)) {
        notices.accept("{\"type\":\"BudgetsChanged\"}");
      }
      budgets = b;
      Set<Pause> p = Set.copyOf(store.pauses());
      if (pauses != null && !pauses.equals(p)) {
        notices.accept("{\"type\":\"PausesChanged\"}");
      }
      pauses = p;
      Set<String> names = Set.copyOf(store.projects());
      if (projects != null && !projects.equals(names)) {
        notices.accept("{\"type\":\"ProjectsChanged\"}");
      }
      projects = names;
    } catch (RuntimeException e) {
      log.warn("Could not read budgets, pauses and projects from the store; trying again in {} ms (error={})", INTERVAL_MILLIS,
          e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("The dashboard's store watch did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
