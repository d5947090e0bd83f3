package dev.orchestrator.micrometer.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoreView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gauges show, read from the orchestrator's store at most once per time-to-live: a scrape reads every gauge,
 * and each would otherwise read the store again. Thread-safe: reads are serialised, so a slow store is read by one
 * scrape at a time.
 *
 * <p>A read that fails is logged and the previous figures are kept; gauges show NaN until a first read succeeds.
 */
public final class StoreSnapshot {
  private static final Logger log = LoggerFactory.getLogger(StoreSnapshot.class);

  /** The figures of one read. */
  public record Data(Map<TaskState, Long> tasks, Map<Priority, Long> ready, Map<BudgetScope, Double> utilisation,
      Map<String, CircuitState.State> circuits) {
    static final Data EMPTY = new Data(Map.of(), Map.of(), Map.of(), Map.of());
  }

  private final Orchestrator orchestrator;
  private final Clock clock;
  private final Duration ttl;
  private final Consumer<Data> onRead;
  /** Guarded by this. */
  private @Nullable Data data;
  /** Guarded by this: when data was read, on the orchestrator's clock. */
  private @Nullable Instant readAt;

  /** {@code onRead} sees every successful read, under this snapshot's lock (to register gauges for new budgets). */
  public StoreSnapshot(Orchestrator orchestrator, Duration ttl, Consumer<Data> onRead) {
    this.orchestrator = orchestrator;
    this.clock = orchestrator.clock();
    this.ttl = ttl;
    this.onRead = onRead;
  }

  /** The figures, read again when older than the time-to-live; empty when no read has succeeded yet. */
  public synchronized Data get() {
    Instant now = clock.instant();
    if (data != null && readAt != null && now.isBefore(readAt.plus(ttl)) && !now.isBefore(readAt)) {
      return data;
    }
    try {
      data = read();
      readAt = now;
      onRead.accept(data);
    } catch (RuntimeException e) {
      readAt = now; // a failing store is asked again after the time-to-live, not at every gauge
      log.warn("Metrics could not read the store; gauges keep their last figures (error={})", e.toString(), e);
    }
    return data == null ? Data.EMPTY : data;
  }

  private Data read() {
    StoreView store = orchestrator.store();
    Map<TaskState, Long> tasks = new EnumMap<>(TaskState.class);
    Map<Priority, Long> ready = new EnumMap<>(Priority.class);
    for (TaskState s : TaskState.values()) {
      tasks.put(s, 0L);
    }
    for (Priority p : Priority.values()) {
      ready.put(p, 0L);
    }
    for (RunRecord run : store.unfinishedRuns()) {
      List<TaskRecord> records = store.tasks(run.project(), run.id());
      for (TaskRecord t : records) {
        tasks.merge(t.state(), 1L, Long::sum);
        if (t.state() == TaskState.READY) {
          ready.merge(t.lane(), 1L, Long::sum);
        }
      }
    }
    Map<BudgetScope, Double> utilisation = new HashMap<>();
    for (BudgetLine line : orchestrator.costReport().lines()) {
      if (line.limit() == null || line.scope().kind() == BudgetScope.Kind.RUN
          || line.scope().kind() == BudgetScope.Kind.TASK) {
        continue; // run and task budgets would make a tag per run: their figures are in the cost report
      }
      double limit = line.limit().amount().doubleValue();
      double spent = line.spent().amount().doubleValue();
      utilisation.put(line.scope(), limit == 0 ? (spent > 0 ? Double.POSITIVE_INFINITY : 0) : spent / limit);
    }
    Map<String, CircuitState.State> circuits = new HashMap<>();
    for (String provider : orchestrator.providers()) {
      circuits.put(provider, orchestrator.circuit(provider).state());
    }
    return new Data(Map.copyOf(tasks), Map.copyOf(ready), Map.copyOf(utilisation), Map.copyOf(circuits));
  }
}
