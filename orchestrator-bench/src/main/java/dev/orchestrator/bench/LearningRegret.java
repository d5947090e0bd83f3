package dev.orchestrator.bench;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.learn.OutcomeProjection;
import dev.orchestrator.core.learn.Strategies;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoredEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The regret curve of the learning strategies: the simulation of {@code LearningSimulationTest} (three synthetic
 * providers with hidden success rates, review scores and prices on four task types, in virtual time), run for several
 * policies over many seeds and compared with an oracle that knows the hidden figures. A plain {@code main}, run by
 * hand; nothing is timed.
 *
 * <p>Each task goes to the provider the policy chooses; its outcome is drawn from that provider's hidden figures and
 * written as the engine's events, which an {@link OutcomeProjection} folds into the statistics the next decision
 * sees. Policies: the built-in {@code adaptive}, {@code cheapest-acceptable} and {@code best-quality} strategies,
 * {@code always-best-model} (the provider with the highest hidden quality over all types, for every type),
 * {@code random} (uniform) and the {@code oracle} (per type, the lowest price of a success among providers within
 * {@link #MARGIN} of the best hidden quality).
 *
 * <p>The figures are cumulative from the first task to each checkpoint and judge the choices in expectation over the
 * outcome noise: cost per success = the price of every call over the sum of the chosen providers' hidden success
 * rates, quality = the mean hidden quality (success rate x review score / 10) of the chosen providers, share = the
 * share of tasks sent to the oracle's provider for their type. Regret against the oracle: extra cost per success in
 * percent and the quality gap (oracle minus policy). Every figure is the median over the seeds, with the minimum and
 * the maximum. The same seeds give the same table.
 *
 * <p>Arguments (all optional): {@code --tasks 2000 --seeds 20 --first-seed 1 --checkpoints 100,250,500,1000,2000
 * --policies adaptive,cheapest-acceptable,best-quality,always-best-model,random,oracle}.
 */
public final class LearningRegret {
  static final List<String> PROVIDERS = List.of("claude", "chatgpt", "gemini");
  static final List<String> TYPES = List.of("code_generation", "content_review", "summarization", "translation");
  static final Map<String, Double> PRICE = Map.of("claude", 0.012, "chatgpt", 0.006, "gemini", 0.0015);
  /** The quality a cheaper provider may give up: the oracle's, adaptive's and cheapest-acceptable's. */
  static final double MARGIN = 0.1;
  private static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
  private static final String PROJECT = "sim";

  /** A provider's hidden behaviour on a type: its success rate and the mean score reviewers give it. */
  record Hidden(double success, double score) {
    double quality() {
      return success * score / 10;
    }
  }

  /** The simulation's world, as in {@code LearningSimulationTest}. */
  static Map<String, Map<String, Hidden>> world() {
    Map<String, Map<String, Hidden>> w = new LinkedHashMap<>();
    w.put("code_generation", Map.of("claude", new Hidden(0.95, 9), "chatgpt", new Hidden(0.80, 8),
        "gemini", new Hidden(0.55, 6)));
    w.put("content_review", Map.of("claude", new Hidden(0.90, 8.5), "chatgpt", new Hidden(0.95, 9),
        "gemini", new Hidden(0.70, 6)));
    w.put("summarization", Map.of("claude", new Hidden(0.96, 9), "chatgpt", new Hidden(0.90, 8),
        "gemini", new Hidden(0.95, 9)));
    w.put("translation", Map.of("claude", new Hidden(0.85, 7.5), "chatgpt", new Hidden(0.92, 8.5),
        "gemini", new Hidden(0.92, 8.5)));
    return w;
  }

  /** The oracle's choice on a type: the cheapest success within the margin of the best hidden quality. */
  static String oracle(Map<String, Hidden> type) {
    double best = type.values().stream().mapToDouble(Hidden::quality).max().orElseThrow();
    String pick = null;
    for (String p : PROVIDERS) {
      Hidden h = type.get(p);
      if (h.quality() >= best - MARGIN - 1e-12
          && (pick == null || PRICE.get(p) / h.success() < PRICE.get(pick) / type.get(pick).success())) {
        pick = p;
      }
    }
    return pick;
  }

  /** The provider with the highest mean hidden quality over all types. */
  static String bestModel(Map<String, Map<String, Hidden>> world) {
    String pick = null;
    double best = -1;
    for (String p : PROVIDERS) {
      double q = world.values().stream().mapToDouble(t -> t.get(p).quality()).average().orElseThrow();
      if (q > best) {
        best = q;
        pick = p;
      }
    }
    return pick;
  }

  private LearningRegret() {}

  public static void main(String[] args) {
    Map<String, String> opts = BenchSupport.options(args);
    int tasks = Integer.parseInt(opts.getOrDefault("tasks", "2000"));
    int seeds = Integer.parseInt(opts.getOrDefault("seeds", "20"));
    long firstSeed = Long.parseLong(opts.getOrDefault("first-seed", "1"));
    int[] checkpoints = BenchSupport.ints(opts.getOrDefault("checkpoints", "100,250,500,1000,2000"));
    List<String> names = List.of(opts.getOrDefault("policies",
        "adaptive,cheapest-acceptable,best-quality,always-best-model,random,oracle").split(","));
    if (tasks < 1 || seeds < 1) {
      throw new IllegalArgumentException("--tasks and --seeds must be at least 1 (were " + tasks + " and " + seeds
          + ")");
    }
    for (int c : checkpoints) {
      if (c < 1 || c > tasks) {
        throw new IllegalArgumentException("--checkpoints must lie in 1.." + tasks + " (--tasks); " + c + " does not");
      }
    }

    Map<String, Map<String, Hidden>> world = world();
    Map<String, LongFunction<LearningStrategy>> policies = policies(world);
    for (String name : names) {
      if (!policies.containsKey(name)) {
        throw new IllegalArgumentException("--policies: unknown policy '" + name + "'; use some of "
            + policies.keySet());
      }
    }
    System.out.printf(Locale.ROOT, "LearningRegret: %d tasks x %d seeds (%d..%d), margin %.2f, checkpoints %s%n",
        tasks, seeds, firstSeed, firstSeed + seeds - 1, MARGIN, Arrays.toString(checkpoints));
    Map<String, String> oracleOf = new LinkedHashMap<>();
    world.forEach((type, h) -> oracleOf.put(type, oracle(h)));
    System.out.println("oracle's provider per type: " + oracleOf + "; always-best-model: " + bestModel(world));
    System.out.println();

    // The oracle's figures do not depend on the seed (its choices are fixed); compute them once.
    Curve oracleCurve = simulate(policies.get("oracle").apply(firstSeed), world, firstSeed, tasks, checkpoints);
    Map<String, Curve[]> curves = new LinkedHashMap<>();
    for (String name : names) {
      Curve[] runs = new Curve[seeds];
      for (int s = 0; s < seeds; s++) {
        long seed = firstSeed + s;
        runs[s] = simulate(policies.get(name).apply(seed), world, seed, tasks, checkpoints);
      }
      curves.put(name, runs);
    }

    System.out.println("| policy | tasks | cost per success | extra cost vs oracle | to the best provider | mean "
        + "quality | quality gap vs oracle |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, Curve[]> e : curves.entrySet()) {
      Curve[] runs = e.getValue();
      for (int k = 0; k < checkpoints.length; k++) {
        final int i = k;
        double oracleCps = oracleCurve.costPerSuccess[i];
        double oracleQ = oracleCurve.quality[i];
        System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s |%n", e.getKey(), checkpoints[k],
            spread(Arrays.stream(runs).mapToDouble(r -> r.costPerSuccess[i]).toArray(), "$%.5f"),
            spread(Arrays.stream(runs).mapToDouble(r -> (r.costPerSuccess[i] / oracleCps - 1) * 100).toArray(),
                "%+.1f%%"),
            spread(Arrays.stream(runs).mapToDouble(r -> r.bestShare[i] * 100).toArray(), "%.1f%%"),
            spread(Arrays.stream(runs).mapToDouble(r -> r.quality[i]).toArray(), "%.3f"),
            spread(Arrays.stream(runs).mapToDouble(r -> oracleQ - r.quality[i]).toArray(), "%+.3f"));
      }
    }

    System.out.println();
    System.out.println("Share of each type's last " + Math.min(500, tasks) + " tasks sent to the oracle's provider "
        + "(median over the seeds, min-max):");
    System.out.println();
    StringBuilder head = new StringBuilder("| policy |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String type : TYPES) {
      head.append(' ').append(type).append(" (").append(oracleOf.get(type)).append(") |");
      rule.append("---:|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (Map.Entry<String, Curve[]> e : curves.entrySet()) {
      StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
      for (int t = 0; t < TYPES.size(); t++) {
        final int ti = t;
        row.append(' ').append(spread(Arrays.stream(e.getValue()).mapToDouble(r -> r.lateShare[ti] * 100).toArray(),
            "%.0f%%")).append(" |");
      }
      System.out.println(row);
    }

    if (tasks >= 900) {
      System.out.println();
      System.out.println("Seeds whose tasks 501 to 900 meet LearningSimulationTest's criterion (at least 90% of each type"
          + " to the oracle's provider, cost per success within 10% of the oracle's):");
      for (Map.Entry<String, Curve[]> e : curves.entrySet()) {
        List<Long> failing = new ArrayList<>();
        Curve[] runs = e.getValue();
        for (int s = 0; s < runs.length; s++) {
          if (!runs[s].meetsTestCriterion) {
            failing.add(firstSeed + s);
          }
        }
        System.out.printf(Locale.ROOT, "  %-20s %d of %d%s%n", e.getKey(), runs.length - failing.size(), runs.length,
            failing.isEmpty() || failing.size() == runs.length ? "" : " (not: seeds " + failing + ")");
      }
    }
  }

  private static Map<String, LongFunction<LearningStrategy>> policies(Map<String, Map<String, Hidden>> world) {
    Map<String, LongFunction<LearningStrategy>> p = new LinkedHashMap<>();
    p.put("adaptive", seed -> Strategies.adaptive(seed, Strategies.DEFAULT_MIN_SAMPLES, MARGIN,
        Strategies.DEFAULT_EXPLORATION_MARGIN));
    p.put("cheapest-acceptable", seed -> Strategies.cheapestAcceptable(Strategies.DEFAULT_MIN_SAMPLES, MARGIN));
    p.put("best-quality", seed -> Strategies.bestQuality(Strategies.DEFAULT_MIN_SAMPLES));
    String best = bestModel(world);
    p.put("always-best-model", seed -> fixed(a -> best, "always-best-model"));
    p.put("random", seed -> {
      Random random = new Random(seed * 31 + 7);
      return fixed(a -> PROVIDERS.get(random.nextInt(PROVIDERS.size())), "random");
    });
    Map<String, String> oracleOf = new LinkedHashMap<>();
    world.forEach((type, h) -> oracleOf.put(type, oracle(h)));
    p.put("oracle", seed -> fixed(a -> oracleOf.get(a.taskType()), "oracle"));
    return p;
  }

  /** A policy that names its provider; the others follow in the candidates' order. */
  private static LearningStrategy fixed(java.util.function.Function<Assignment, String> pick, String name) {
    return a -> {
      String first = pick.apply(a);
      List<String> order = new ArrayList<>();
      order.add(first);
      for (String c : a.candidates()) {
        if (!c.equals(first)) {
          order.add(c);
        }
      }
      return Choice.of(order, name + ": " + first);
    };
  }

  /** One run's cumulative figures at each checkpoint, and the late share per type. */
  static final class Curve {
    final double[] costPerSuccess;
    final double[] quality;
    final double[] bestShare;
    final double[] lateShare = new double[TYPES.size()];
    /** Whether tasks 501 to 900 meet the core test's criterion; null with fewer than 900 tasks. */
    Boolean meetsTestCriterion;

    Curve(int points) {
      costPerSuccess = new double[points];
      quality = new double[points];
      bestShare = new double[points];
    }
  }

  /**
   * One run, as {@code LearningSimulationTest.Simulation} runs it: one task a minute, types in turn, the outcome
   * drawn from the chosen provider's hidden figures with the {@code seed}'s random numbers.
   */
  static Curve simulate(LearningStrategy strategy, Map<String, Map<String, Hidden>> world, long seed, int tasks,
      int[] checkpoints) {
    Random outcomes = new Random(seed * 1_000_003L + 2026);
    OutcomeProjection stats = OutcomeProjection.builder().halfLife(Duration.ofDays(1)).minSamples(5)
        .failureWindow(10).failureThreshold(0.6).coolDown(Duration.ofHours(1))
        .taskTypes((project, run, task) -> task.substring(0, task.indexOf('#'))).build();
    Log log = new Log();
    Curve curve = new Curve(checkpoints.length);
    int lateFrom = tasks - Math.min(500, tasks);
    int[] late = new int[TYPES.size()];
    int[] lateBest = new int[TYPES.size()];
    double cost = 0;
    double successes = 0;
    double quality = 0;
    int best = 0;
    int point = 0;
    int[] judged = new int[TYPES.size()];
    int[] judgedBest = new int[TYPES.size()];
    double judgedCost = 0;
    double judgedSuccesses = 0;
    double oracleCost = 0;
    double oracleSuccesses = 0;
    Instant now = START;
    for (int i = 0; i < tasks; i++) {
      int t = i % TYPES.size();
      String type = TYPES.get(t);
      String task = type + "#" + i;
      Assignment a = Assignment.builder(task, type).project(PROJECT).candidates(PROVIDERS)
          .statistics(stats.project(PROJECT)).at(now).build();
      String provider = strategy.choose(a).provider();
      Hidden h = world.get(type).get(provider);
      log.add(new TaskStartedEvent(PROJECT, "run-1", task, now, TaskState.READY, provider, 1));
      now = now.plusSeconds(30);
      if (outcomes.nextDouble() < h.success()) {
        log.add(new TaskAwaitingReviewEvent(PROJECT, "run-1", task, now, TaskState.RUNNING, "reviewer"));
        int score = (int) Math.max(0, Math.min(10, Math.round(h.score() + outcomes.nextGaussian() * 0.7)));
        log.add(new ReviewCompletedEvent(PROJECT, "run-1", task, now, "reviewer", 1, score >= 7, score, "ok"));
        log.add(new TaskSucceededEvent(PROJECT, "run-1", task, now, TaskState.RUNNING, provider,
            TokenUsage.of(1500, 0), Money.usd(BigDecimal.valueOf(PRICE.get(provider)))));
      } else {
        log.add(new TaskFailedEvent(PROJECT, "run-1", task, now, TaskState.RUNNING, provider, ErrorKind.SERVER,
            "SERVER from " + provider));
      }
      stats.applyAll(log.after(stats.lastSequence()));
      now = now.plusSeconds(30);

      boolean isBest = provider.equals(oracle(world.get(type)));
      cost += PRICE.get(provider);
      successes += h.success();
      quality += h.quality();
      best += isBest ? 1 : 0;
      if (i >= 500 && i < 900) {
        String o = oracle(world.get(type));
        judged[t]++;
        judgedBest[t] += isBest ? 1 : 0;
        judgedCost += PRICE.get(provider);
        judgedSuccesses += h.success();
        oracleCost += PRICE.get(o);
        oracleSuccesses += world.get(type).get(o).success();
      }
      if (i >= lateFrom) {
        late[t]++;
        lateBest[t] += isBest ? 1 : 0;
      }
      while (point < checkpoints.length && checkpoints[point] == i + 1) {
        curve.costPerSuccess[point] = cost / successes;
        curve.quality[point] = quality / (i + 1);
        curve.bestShare[point] = best / (double) (i + 1);
        point++;
      }
    }
    for (int t = 0; t < TYPES.size(); t++) {
      curve.lateShare[t] = late[t] == 0 ? Double.NaN : lateBest[t] / (double) late[t];
    }
    if (tasks >= 900) {
      boolean ok = judgedCost / judgedSuccesses <= oracleCost / oracleSuccesses * 1.10;
      for (int t = 0; t < TYPES.size(); t++) {
        ok &= judgedBest[t] >= 0.9 * judged[t];
      }
      curve.meetsTestCriterion = ok;
    }
    return curve;
  }

  /** The events of the simulated attempts, numbered as a store numbers them. */
  private static final class Log {
    private final List<StoredEvent> events = new ArrayList<>();

    void add(Event e) {
      events.add(new StoredEvent(events.size() + 1, e));
    }

    List<StoredEvent> after(long sequence) {
      return events.subList((int) Math.min(sequence, events.size()), events.size());
    }
  }

  /** {@code median [min-max]} in the given format. */
  static String spread(double[] values, String format) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    String m = String.format(Locale.ROOT, format, median);
    if (sorted[0] == sorted[n - 1]) {
      return m;
    }
    return m + " [" + String.format(Locale.ROOT, format, sorted[0]) + " to "
        + String.format(Locale.ROOT, format, sorted[n - 1]) + "]";
  }
}
