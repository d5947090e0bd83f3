package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Money;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What was spent per provider and per day, summed from the attempts the store records for every run, whichever
 * process made the calls. A finished run's sums are kept (its attempts no longer change; a reopened run finishes
 * again at another time, which the key tells apart); a running run is read from the store each time.
 *
 * <p>Thread-safe: the kept sums are guarded by their map's monitor.
 */
final class Spending {
  private static final int KEPT_RUNS = 10_000;

  /** Spending of some runs: per provider and per day, in US dollars. */
  record Totals(Map<String, Money> byProvider, Map<String, Money> byDay) {}

  private record Kept(@Nullable Instant finishedAt, Map<String, Money> byProvider, Map<String, Money> byDay) {}

  private final Store store;
  private final ZoneId zone;
  /** Guarded by itself; least recently used first. */
  private final Map<String, Kept> kept = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
      return size() > KEPT_RUNS;
    }
  };

  /**
   * @param zone the time zone whose calendar days the spending is grouped by
   */
  Spending(Store store, ZoneId zone) {
    this.store = store;
    this.zone = zone;
  }

  /** The spending of the projects' runs, per provider and per day (both sorted by name). */
  Totals of(List<String> projects) {
    Map<String, Money> byProvider = new TreeMap<>();
    Map<String, Money> byDay = new TreeMap<>();
    for (String p : projects) {
      for (RunRecord r : store.runs(p)) {
        Kept k = run(r);
        k.byProvider().forEach((name, m) -> byProvider.merge(name, m, Money::plus));
        k.byDay().forEach((day, m) -> byDay.merge(day, m, Money::plus));
      }
    }
    return new Totals(byProvider, byDay);
  }

  private Kept run(RunRecord r) {
    String key = r.project() + '\n' + r.id();
    boolean finished = r.status().isFinished();
    if (finished) {
      synchronized (kept) {
        Kept k = kept.get(key);
        if (k != null && java.util.Objects.equals(k.finishedAt(), r.finishedAt())) {
          return k;
        }
      }
    }
    Map<String, Money> byProvider = new TreeMap<>();
    Map<String, Money> byDay = new TreeMap<>();
    for (TaskRecord t : store.tasks(r.project(), r.id())) {
      for (Attempt a : t.attempts()) {
        if (a.cost().isZero()) {
          continue;
        }
        byProvider.merge(a.provider(), a.cost(), Money::plus);
        Instant at = a.finishedAt() != null ? a.finishedAt() : a.startedAt();
        byDay.merge(LocalDate.ofInstant(at, zone).toString(), a.cost(), Money::plus);
      }
    }
    Kept k = new Kept(r.finishedAt(), Map.copyOf(byProvider), Map.copyOf(byDay));
    if (finished) {
      synchronized (kept) {
        kept.put(key, k);
      }
    }
    return k;
  }
}
