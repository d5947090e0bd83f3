package dev.orchestrator.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The issue's simulation, in virtual time: three synthetic providers with hidden success rates, review scores and
 * prices on four task types. The strategy decides each task from the statistics projected from the events the
 * simulated calls write, as the engine would; an oracle that knows the hidden figures makes the ideal choice.
 */
class LearningSimulationTest {
  private static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
  private static final List<String> PROVIDERS = List.of("claude", "chatgpt", "gemini");
  private static final List<String> TYPES = List.of("code_generation", "content_review", "summarization",
      "translation");
  private static final Map<String, Double> PRICE = Map.of("claude", 0.012, "chatgpt", 0.006, "gemini", 0.0015);
  /** The quality a cheaper provider may give up: the strategy's and the oracle's. */
  private static final double MARGIN = 0.1;

  /** A provider's hidden behaviour on a type: its success rate and the mean score reviewers give it. */
  record Hidden(double success, double score) {
    double quality() {
      return success * score / 10;
    }
  }

  private static Map<String, Map<String, Hidden>> world() {
    Map<String, Map<String, Hidden>> w = new HashMap<>();
    w.put("code_generation", Map.of("claude", new Hidden(0.95, 9), "chatgpt", new Hidden(0.80, 8),
        "gemini", new Hidden(0.55, 6)));
    w.put("content_review", Map.of("claude", new Hidden(0.90, 8.5), "chatgpt", new Hidden(0.95, 9),
        "gemini", new Hidden(0.70, 6)));
    // The cheap one is as good as the dear one: it should win.
    w.put("summarization", Map.of("claude", new Hidden(0.96, 9), "chatgpt", new Hidden(0.90, 8),
        "gemini", new Hidden(0.95, 9)));
    w.put("translation", Map.of("claude", new Hidden(0.85, 7.5), "chatgpt", new Hidden(0.92, 8.5),
        "gemini", new Hidden(0.92, 8.5)));
    return w;
  }

  /** The ideal choice: the cheapest success among providers within the margin of the best hidden quality. */
  private static String oracle(Map<String, Hidden> type) {
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

  /** One decision. */
  record Decision(int index, String type, String provider, Choice choice) {}

  /** Runs the simulated tasks; {@code world} may change with the task's index. */
  static final class Simulation {
    final MutableClock clock = MutableClock.at(START, ZoneOffset.UTC);
    final EventLog log = new EventLog("sim", "run-1");
    final OutcomeProjection stats;
    final LearningStrategy strategy;
    final Random outcomes;
    final List<Decision> decisions = new ArrayList<>();

    Simulation(LearningStrategy strategy, OutcomeProjection.Builder settings, long worldSeed) {
      this.strategy = strategy;
      this.outcomes = new Random(worldSeed);
      this.stats = settings.taskTypes((project, run, task) -> task.substring(0, task.indexOf('#'))).build();
    }

    void run(int tasks, List<String> types, java.util.function.IntFunction<Map<String, Map<String, Hidden>>> world) {
      for (int i = decisions.size(), end = decisions.size() + tasks; i < end; i++) {
        String type = types.get(i % types.size());
        String task = type + "#" + i;
        Assignment a = Assignment.builder(task, type).project("sim").candidates(PROVIDERS)
            .statistics(stats.project("sim")).at(clock.instant()).build();
        Choice c = strategy.choose(a);
        Hidden h = world.apply(i).get(type).get(c.provider());
        log.started(task, c.provider(), 1, clock.instant());
        clock.advance(Duration.ofSeconds(30));
        if (outcomes.nextDouble() < h.success()) {
          log.awaitingReview(task, clock.instant());
          int score = (int) Math.max(0, Math.min(10, Math.round(h.score() + outcomes.nextGaussian() * 0.7)));
          log.reviewed(task, score, clock.instant());
          log.succeeded(task, c.provider(), Money.usd(BigDecimal.valueOf(PRICE.get(c.provider()))), 1500,
              clock.instant());
        } else {
          log.failed(task, c.provider(), ErrorKind.SERVER, clock.instant());
        }
        stats.applyAll(log.after(stats.lastSequence()));
        clock.advance(Duration.ofSeconds(30));
        decisions.add(new Decision(i, type, c.provider(), c));
      }
    }

    /** The share of a type's tasks in [from, to) that went to {@code provider}. */
    double share(String type, String provider, int from, int to) {
      long all = decisions.subList(from, to).stream().filter(d -> d.type().equals(type)).count();
      long to0 = decisions.subList(from, to).stream().filter(d -> d.type().equals(type)
          && d.provider().equals(provider)).count();
      return to0 / (double) all;
    }
  }

  private static LearningStrategy adaptive(long seed) {
    return Strategies.adaptive(seed, Strategies.DEFAULT_MIN_SAMPLES, MARGIN, Strategies.DEFAULT_EXPLORATION_MARGIN);
  }

  private static OutcomeProjection.Builder settings() {
    return OutcomeProjection.builder().halfLife(Duration.ofDays(1)).minSamples(5).failureWindow(10)
        .failureThreshold(0.6).coolDown(Duration.ofHours(1));
  }

  // The seeds are fixed so the test is reproducible; the criteria hold for most seeds, not every one (see
  // docs/learning.md: an unlucky start leaves a cheap provider under-sampled for a while).
  @Test
  void after500TasksAdaptiveSendsEachTypeToItsBestProviderAtNearlyTheOraclesCost() {
    learnsTheBestProviders(7, 2026);
  }

  @Test
  void aProviderThatStartsFailingIsDemotedForThatTypeAndWinsItBackAfterItRecovers() {
    demotesAndRecovers(11, 2026);
  }

  private static void learnsTheBestProviders(long seed, long worldSeed) {
    Map<String, Map<String, Hidden>> world = world();
    Simulation sim = new Simulation(adaptive(seed), settings(), worldSeed);
    sim.run(500, TYPES, i -> world); // learning
    sim.run(400, TYPES, i -> world); // judged: where the next 100 tasks of each type go, and at what price

    double cost = 0;
    double successes = 0;
    double oracleCost = 0;
    double oracleSuccesses = 0;
    for (Decision d : sim.decisions.subList(500, 900)) {
      Map<String, Hidden> type = world.get(d.type());
      cost += PRICE.get(d.provider());
      successes += type.get(d.provider()).success();
      String best = oracle(type);
      oracleCost += PRICE.get(best);
      oracleSuccesses += type.get(best).success();
    }
    for (String type : TYPES) {
      String best = oracle(world.get(type));
      assertThat(sim.share(type, best, 500, 900)).as("share of %s sent to %s", type, best)
          .isGreaterThanOrEqualTo(0.9);
    }
    assertThat(oracle(world.get("summarization"))).as("the cheap provider that is nearly as good").isEqualTo("gemini");
    double perSuccess = cost / successes;
    double oraclePerSuccess = oracleCost / oracleSuccesses;
    assertThat(perSuccess).as("cost per success against the oracle's %s", oraclePerSuccess)
        .isLessThanOrEqualTo(oraclePerSuccess * 1.10);
    // The reasons say why, in words.
    assertThat(sim.decisions.get(899).choice().reason()).startsWith("adaptive: ");
  }

  private static void demotesAndRecovers(long seed, long worldSeed) {
    Map<String, Map<String, Hidden>> healthy = world();
    Map<String, Map<String, Hidden>> broken = world();
    broken.put("code_generation", Map.of("claude", new Hidden(0.05, 9), "chatgpt", new Hidden(0.80, 8),
        "gemini", new Hidden(0.55, 6)));
    List<String> types = List.of("code_generation", "content_review");
    Simulation sim = new Simulation(adaptive(seed), settings(), worldSeed);
    // Claude fails code from task 300 to task 450, then recovers.
    sim.run(900, types, i -> i >= 300 && i < 450 ? broken : healthy);

    assertThat(sim.share("code_generation", "claude", 150, 300)).as("claude has code before the fault")
        .isGreaterThanOrEqualTo(0.85);
    Instant failingFrom = START.plus(Duration.ofMinutes(300));
    List<Demotion> demotions = new ArrayList<>();
    // Replay the stream to find each demotion as it happened.
    OutcomeProjection replay = settings().taskTypes((p, r, t) -> t.substring(0, t.indexOf('#'))).build();
    Demotion last = null;
    for (var e : sim.log.events) {
      replay.apply(e);
      Optional<Demotion> d = replay.project("sim").demotions().stream()
          .filter(x -> x.provider().equals("claude")).findFirst();
      if (d.isPresent() && !d.get().equals(last)) {
        last = d.get();
        demotions.add(last);
      }
    }
    assertThat(demotions).as("claude demoted for code once it failed").isNotEmpty();
    Demotion first = demotions.get(0);
    assertThat(first.taskType()).isEqualTo("code_generation");
    assertThat(first.since()).isAfter(failingFrom).isBefore(failingFrom.plus(Duration.ofMinutes(40)));
    assertThat(first.evidence()).startsWith("claude failed ").contains("code_generation attempts");
    assertThat(demotions).allMatch(d -> d.taskType().equals("code_generation"));
    assertThat(sim.share("content_review", "chatgpt", 300, 450)).as("the other type is untouched")
        .isGreaterThanOrEqualTo(0.85);

    int demotedAt = (int) Duration.between(START, first.since()).toMinutes();
    assertThat(sim.share("code_generation", "claude", demotedAt + 1, 450)).as("set aside while demoted")
        .isLessThanOrEqualTo(0.2);
    assertThat(sim.share("code_generation", "claude", 700, 900)).as("back after it recovered")
        .isGreaterThanOrEqualTo(0.85);
  }
}
