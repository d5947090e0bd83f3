package dev.orchestrator.dashboard.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoreView;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The charts' data, read from the store on every request over the runs of the shown projects (or one): cumulative
 * spend over time per provider and per project with the stored budgets' limits, how many tasks were in each state
 * over time (replaying the runs' transitions), and each provider's call latency and failure rate. Time is cut into
 * at most {@value #MAX_BUCKETS} equal steps from the first recorded moment to now. Stateless; thread-safe.
 */
final class ChartViews {
  static final int MAX_BUCKETS = 48;
  private static final List<Duration> STEPS = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
      Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1),
      Duration.ofDays(7));

  private final StoreView store;
  private final Views views;
  private final Supplier<Instant> now;

  ChartViews(StoreView store, Views views, Supplier<Instant> now) {
    this.store = store;
    this.views = views;
    this.now = now;
  }

  /** A limit to draw as a line over the spend it covers. */
  record BudgetLine(String kind, String name, BigDecimal limit) {}

  /** A provider's calls: how many, how many failed (failed or timed out), and their durations in milliseconds. */
  record ProviderCalls(String provider, int calls, int failures, double failureRate, long latencyMeanMs,
      long latencyP50Ms, long latencyP95Ms) {}

  /**
   * @param times the end of each step, ISO-8601
   * @param spendByProvider cumulative spend in USD at each step's end
   * @param spendByProject likewise per project
   * @param tasksByState how many tasks were in each state at each step's end
   */
  record Charts(@Nullable String project, Duration step, List<Instant> times,
      Map<String, List<BigDecimal>> spendByProvider, Map<String, List<BigDecimal>> spendByProject,
      List<BudgetLine> budgets, Map<String, List<Integer>> tasksByState, List<ProviderCalls> providers) {}

  private record Spend(Instant at, String provider, String project, BigDecimal usd) {}

  private record Move(Instant at, String task, TaskState to) {}

  Charts charts(@Nullable String project) {
    List<String> projects = project == null ? views.projects() : List.of(views.checkProject(project));
    List<Spend> spends = new ArrayList<>();
    List<Move> moves = new ArrayList<>();
    Map<String, List<Long>> latencies = new TreeMap<>();
    Map<String, int[]> failures = new HashMap<>();
    Instant first = null;
    for (String p : projects) {
      for (RunRecord r : store.runs(p)) {
        first = first == null || r.submittedAt().isBefore(first) ? r.submittedAt() : first;
        for (TaskRecord t : store.tasks(p, r.id())) {
          for (Attempt a : t.attempts()) {
            if (a.finishedAt() == null) {
              continue;
            }
            spends.add(new Spend(a.finishedAt(), a.provider(), p, a.cost().amount()));
            latencies.computeIfAbsent(a.provider(), k -> new ArrayList<>())
                .add(Duration.between(a.startedAt(), a.finishedAt()).toMillis());
            if (a.outcome() == Attempt.Outcome.FAILED || a.outcome() == Attempt.Outcome.TIMED_OUT) {
              failures.computeIfAbsent(a.provider(), k -> new int[1])[0]++;
            }
          }
        }
        for (Event e : store.events(p, r.id())) {
          if (e instanceof TaskTransitionEvent t) {
            moves.add(new Move(t.at(), p + "/" + r.id() + "/" + t.taskId(), t.to()));
          }
        }
      }
    }
    Instant end = now.get();
    Instant start = first == null ? end.minus(Duration.ofHours(1)) : first;
    Duration span = Duration.between(start, end);
    Duration step = STEPS.stream().filter(s -> span.dividedBy(s) < MAX_BUCKETS).findFirst()
        .orElse(STEPS.get(STEPS.size() - 1));
    List<Instant> times = new ArrayList<>();
    // Steps end at whole multiples of the step, the last one at or after now.
    long stepMs = step.toMillis();
    long last = Math.floorDiv(end.toEpochMilli(), stepMs) * stepMs + stepMs;
    // The first step ends where the first recorded moment's step begins, so every line starts from zero.
    long firstEnd = Math.max(Math.floorDiv(start.toEpochMilli(), stepMs) * stepMs,
        last - (MAX_BUCKETS - 1) * stepMs);
    for (long t = firstEnd; t <= last; t += stepMs) {
      times.add(Instant.ofEpochMilli(t));
    }
    spends.sort(Comparator.comparing(Spend::at));
    Map<String, List<BigDecimal>> byProvider = cumulative(spends, times, Spend::provider);
    Map<String, List<BigDecimal>> byProject = cumulative(spends, times, Spend::project);
    moves.sort(Comparator.comparing(Move::at));
    Map<String, List<Integer>> byState = new TreeMap<>();
    Map<String, TaskState> current = new HashMap<>();
    int i = 0;
    for (Instant t : times) {
      while (i < moves.size() && !moves.get(i).at().isAfter(t)) {
        current.put(moves.get(i).task(), moves.get(i).to());
        i++;
      }
      Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
      current.values().forEach(s -> counts.merge(s, 1, Integer::sum));
      for (TaskState s : TaskState.values()) {
        byState.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(counts.getOrDefault(s, 0));
      }
    }
    byState.values().removeIf(l -> l.stream().allMatch(n -> n == 0));
    List<ProviderCalls> calls = new ArrayList<>();
    latencies.forEach((provider, l) -> {
      List<Long> sorted = l.stream().sorted().toList();
      int failed = failures.getOrDefault(provider, new int[1])[0];
      long mean = Math.round(sorted.stream().mapToLong(Long::longValue).average().orElse(0));
      calls.add(new ProviderCalls(provider, sorted.size(), failed, (double) failed / sorted.size(), mean,
          percentile(sorted, 0.5), percentile(sorted, 0.95)));
    });
    return new Charts(project, step, times, byProvider, byProject, budgets(projects, project == null), byState,
        calls);
  }

  private List<BudgetLine> budgets(List<String> projects, boolean everything) {
    List<BudgetLine> out = new ArrayList<>();
    for (Budget b : store.budgets()) {
      BudgetScope s = b.scope();
      boolean shown = switch (s.kind()) {
        case GLOBAL -> everything;
        case PROJECT -> projects.contains(s.name());
        case PROVIDER -> true;
        default -> false;
      };
      if (shown) {
        out.add(new BudgetLine(s.kind().name(), s.name(), b.limit().amount()));
      }
    }
    return out;
  }

  private static Map<String, List<BigDecimal>> cumulative(List<Spend> spends, List<Instant> times,
      java.util.function.Function<Spend, String> key) {
    Map<String, List<BigDecimal>> out = new TreeMap<>();
    spends.forEach(s -> out.computeIfAbsent(key.apply(s), k -> new ArrayList<>()));
    Map<String, BigDecimal> running = new HashMap<>();
    int i = 0;
    for (Instant t : times) {
      while (i < spends.size() && !spends.get(i).at().isAfter(t)) {
        running.merge(key.apply(spends.get(i)), spends.get(i).usd(), BigDecimal::add);
        i++;
      }
      out.forEach((k, l) -> l.add(running.getOrDefault(k, BigDecimal.ZERO)));
    }
    return out;
  }

  private static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
