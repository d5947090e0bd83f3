package dev.orchestrator.core.learn;

import dev.orchestrator.Money;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.learn.ShadowTally;
import dev.orchestrator.spi.store.StoreView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the statistics of a store say, for people: the figures of every provider instance on every task type (the
 * roadmap's {@code ai_performance}) and {@link #recommendations() recommendations} in words, such as
 * {@code "Assign code_generation to chatgpt (better success rate: 90% vs 60% for claude)"},
 * {@code "Prefer gemini for summarization: 85% as good as chatgpt at 20% of its cost per success"} or
 * {@code "Stop assigning code_generation to claude: 12 of 20 recent attempts failed"}.
 *
 * <p>A comparison needs at least {@link #DEFAULT_MIN_SAMPLES} attempts (not weighted) on each side; with fewer the
 * report says {@code "Not enough data yet: ..."} rather than guess. Quality is {@link ProviderStats#quality()}; two
 * providers within {@link #DEFAULT_MARGIN} of each other are a tie. A cheaper provider is worth preferring when its
 * cost per success is at most half the best one's and its quality at least 80% of it.
 *
 * <pre>{@code
 * LearningReport report = LearningReport.fromStore(store, "marketing", clock.instant());
 * report.figures().forEach(f -> System.out.println(f.provider() + " " + f.taskType() + " " + f.successRate()));
 * report.recommendations().forEach(System.out::println);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class LearningReport {
  /** The fewest attempts on each side of a comparison: {@value}. */
  public static final int DEFAULT_MIN_SAMPLES = 5;
  /** Quality differences up to this are a tie: {@value}. */
  public static final double DEFAULT_MARGIN = 0.05;
  /** A cheaper provider is recommended when its cost per success is at most this share of the best one's. */
  private static final BigDecimal CHEAP = new BigDecimal("0.5");
  /** ... and its quality at least this share of the best one's. */
  private static final double GOOD_ENOUGH = 0.8;

  /**
   * The figures of one provider instance on one task type. Counts are weighted as in {@link ProviderStats}
   * (recent outcomes count more); {@code samples} is not.
   *
   * @param provider the provider instance
   * @param taskType the task type
   * @param samples attempts seen, not weighted
   * @param attempts attempts, weighted
   * @param firstTrySuccessRate successes at a task's first attempt over ended attempts, 0 to 1
   * @param successRate successes over ended attempts, 0 to 1
   * @param failovers times a task moved on to another provider after failing here
   * @param reviewScoreMean the mean review score, 0 to 10, or null when nothing was reviewed
   * @param guardViolations guard violations in its outputs
   * @param latencyP50 the median call time, or null before a call ended
   * @param latencyP95 the 95th percentile call time, or null
   * @param tokens tokens of its successful calls
   * @param cost what its successful calls cost
   * @param costPerSuccess what one success cost, or null before the first
   * @param quality success rate times mean review score over 10, 0 to 1
   * @param demotion the demotion in force for this type at the report's time, or null
   * @since 0.1
   */
  public record Figures(String provider, String taskType, long samples, double attempts, double firstTrySuccessRate,
      double successRate, double failovers, @Nullable Double reviewScoreMean, double guardViolations,
      @Nullable Duration latencyP50, @Nullable Duration latencyP95, double tokens, Money cost,
      @Nullable Money costPerSuccess, double quality, @Nullable Demotion demotion) {
    public Figures {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(taskType, "taskType");
      Objects.requireNonNull(cost, "cost");
    }

    /** Whether the provider is demoted for this type at the report's time. */
    public boolean demoted() {
      return demotion != null;
    }

    static Figures of(ProviderStats s, @Nullable Demotion demotion) {
      double outcomes = s.outcomes();
      return new Figures(s.provider(), s.taskType(), s.samples(), s.attempts(),
          outcomes <= 0 ? 0 : s.firstTrySuccesses() / outcomes, s.successRate(), s.failovers(),
          s.reviewScoreMean().isPresent() ? s.reviewScoreMean().getAsDouble() : null, s.guardViolations(),
          s.latencyP50(), s.latencyP95(), s.tokens(), s.cost(), s.costPerSuccess(), s.quality(), demotion);
    }
  }

  /**
   * What shadow evaluation found of one challenger on one task type.
   *
   * @param challenger the provider instance that answered beside the incumbents
   * @param taskType the task type
   * @param comparisons comparisons that reached a verdict
   * @param wins those the judge gave the challenger
   * @param cost what the comparisons' calls cost together
   * @param promotion why the challenger is promoted for the type, or null when it is not
   * @since 0.1
   */
  public record Shadow(String challenger, String taskType, long comparisons, long wins, Money cost,
      @Nullable String promotion) {
    public Shadow {
      Objects.requireNonNull(challenger, "challenger");
      Objects.requireNonNull(taskType, "taskType");
      Objects.requireNonNull(cost, "cost");
    }
  }

  private final @Nullable String project;
  private final Instant at;
  private final int minSamples;
  private final List<Figures> figures;
  private final List<String> recommendations;
  private final List<Shadow> shadows;

  private LearningReport(@Nullable String project, Instant at, int minSamples, List<Figures> figures,
      List<String> recommendations, List<Shadow> shadows) {
    this.project = project;
    this.at = at;
    this.minSamples = minSamples;
    this.figures = List.copyOf(figures);
    this.recommendations = List.copyOf(recommendations);
    this.shadows = List.copyOf(shadows);
  }

  /**
   * The report of one project ({@code project} non-null) or of every project (null), read from a store's event
   * stream with the projection's defaults (a half-life of 7 days) and the task types of the stored workflows.
   *
   * @param at the time demotions are judged at, usually the clock's now
   */
  public static LearningReport fromStore(StoreView store, @Nullable String project, Instant at) {
    Objects.requireNonNull(store, "store");
    OutcomeProjection projection = OutcomeProjection.builder().taskTypes(TaskTypes.fromStore(store)).build();
    projection.catchUp(store);
    return of(project == null ? projection.global() : projection.project(project), project, at);
  }

  /** The report of the given statistics, with the default minimum sample and margin. */
  public static LearningReport of(OutcomeStatistics statistics, @Nullable String project, Instant at) {
    return of(statistics, project, at, DEFAULT_MIN_SAMPLES, DEFAULT_MARGIN);
  }

  /**
   * The report of the given statistics.
   *
   * @param project the project they are of, or null for every project (only shown, never filtered on)
   * @param at the time demotions are judged at
   * @param minSamples the fewest attempts on each side of a comparison
   * @param margin quality differences up to this are a tie, 0 to 1
   * @throws IllegalArgumentException when minSamples is below 1 or the margin is outside 0 to 1
   */
  public static LearningReport of(OutcomeStatistics statistics, @Nullable String project, Instant at,
      int minSamples, double margin) {
    Objects.requireNonNull(statistics, "statistics");
    Objects.requireNonNull(at, "at");
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be >= 1 (was " + minSamples + ")");
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin must be 0 to 1 (was " + margin + "): give a quality difference such"
          + " as 0.05");
    }
    List<Figures> figures = new ArrayList<>();
    TreeSet<String> types = new TreeSet<>(statistics.taskTypes());
    statistics.demotions().forEach(d -> types.add(d.taskType()));
    List<String> recommendations = new ArrayList<>();
    for (String type : types) {
      TreeSet<String> providers = new TreeSet<>();
      statistics.forType(type).forEach(s -> providers.add(s.provider()));
      statistics.demotions().stream().filter(d -> d.taskType().equals(type) && d.activeAt(at))
          .forEach(d -> providers.add(d.provider()));
      List<Figures> ofType = new ArrayList<>();
      for (String p : providers) {
        ofType.add(Figures.of(statistics.statsOrEmpty(p, type), statistics.demotion(p, type, at).orElse(null)));
      }
      figures.addAll(ofType);
      recommend(type, ofType, minSamples, margin, recommendations);
    }
    figures.sort(Comparator.comparing(Figures::provider).thenComparing(Figures::taskType));
    List<Shadow> shadows = new ArrayList<>();
    for (ShadowTally t : statistics.shadowTallies()) {
      String promotion = statistics.promotion(t.challenger(), t.taskType()).orElse(null);
      shadows.add(new Shadow(t.challenger(), t.taskType(), t.comparisons(), t.wins(), t.cost(), promotion));
      if (promotion != null) {
        recommendations.add("Assign " + t.taskType() + " to " + t.challenger() + " (promoted by shadow evaluation: "
            + promotion + "); the learning strategies already put it first");
      }
    }
    return new LearningReport(project, at, minSamples, figures, recommendations, shadows);
  }

  private static void recommend(String type, List<Figures> ofType, int minSamples, double margin, List<String> out) {
    List<Figures> usable = new ArrayList<>();
    for (Figures f : ofType) {
      if (f.demotion() != null) {
        Demotion d = f.demotion();
        out.add("Stop assigning " + type + " to " + f.provider() + ": " + d.failures() + " of " + d.sample()
            + " recent attempts failed (tried again after " + d.retryAt() + ")");
      } else {
        usable.add(f);
      }
    }
    if (usable.isEmpty()) {
      return;
    }
    if (usable.size() == 1) {
      Figures only = usable.get(0);
      out.add("Not enough data yet on " + type + ": only " + only.provider() + " (" + attempts(only.samples())
          + ") can be compared; a comparison needs a second provider with at least " + minSamples + " attempts");
      return;
    }
    List<Figures> enough = usable.stream().filter(f -> f.samples() >= minSamples).collect(Collectors.toList());
    if (enough.size() < 2) {
      out.add("Not enough data yet on " + type + ": a comparison needs at least " + minSamples
          + " attempts on two providers (" + usable.stream().map(f -> f.provider() + " " + f.samples())
          .collect(Collectors.joining(", ")) + ")");
      return;
    }
    enough.sort(Comparator.comparingDouble(Figures::quality).reversed()
        .thenComparing(f -> f.costPerSuccess() == null ? null : f.costPerSuccess().amount(),
            Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Figures::provider));
    Figures best = enough.get(0);
    Figures second = enough.get(1);
    if (best.quality() - second.quality() > margin) {
      if (best.successRate() - second.successRate() > margin) {
        out.add("Assign " + type + " to " + best.provider() + " (better success rate: " + percent(best.successRate())
            + " vs " + percent(second.successRate()) + " for " + second.provider() + ")");
      } else if (best.reviewScoreMean() != null && second.reviewScoreMean() != null) {
        out.add("Assign " + type + " to " + best.provider() + " (higher quality: review "
            + score(best.reviewScoreMean()) + " vs " + score(second.reviewScoreMean()) + " for " + second.provider()
            + ")");
      } else {
        out.add("Assign " + type + " to " + best.provider() + " (higher quality: " + percent(best.quality())
            + " vs " + percent(second.quality()) + " for " + second.provider() + ")");
      }
    } else {
      String line = "No clear winner on " + type + ": " + best.provider() + " and " + second.provider()
          + " are within " + percent(margin) + " of each other in quality";
      Money a = best.costPerSuccess();
      Money b = second.costPerSuccess();
      if (a != null && b != null && b.amount().signum() > 0 && a.amount().compareTo(b.amount()) < 0) {
        line += "; " + best.provider() + " costs " + share(a.amount().divide(b.amount(), MathContext.DECIMAL64))
            + " of " + second.provider() + "'s per success";
      }
      out.add(line);
    }
    cheaper(type, best, enough).ifPresent(out::add);
  }

  /** The cheapest provider at most half the best one's cost per success and at least 80% as good, in words. */
  private static Optional<String> cheaper(String type, Figures best, List<Figures> enough) {
    Money bestPrice = best.costPerSuccess();
    if (bestPrice == null || bestPrice.amount().signum() <= 0 || best.quality() <= 0) {
      return Optional.empty();
    }
    Figures pick = null;
    BigDecimal pickShare = null;
    for (Figures f : enough) {
      Money price = f.costPerSuccess();
      if (f == best || price == null || f.quality() < GOOD_ENOUGH * best.quality()) {
        continue;
      }
      BigDecimal share = price.amount().divide(bestPrice.amount(), MathContext.DECIMAL64);
      if (share.compareTo(CHEAP) <= 0 && (pickShare == null || share.compareTo(pickShare) < 0)) {
        pick = f;
        pickShare = share;
      }
    }
    if (pick == null) {
      return Optional.empty();
    }
    double good = pick.quality() / best.quality();
    String asGood = good >= 0.995 ? "as good as " : percent(good) + " as good as ";
    return Optional.of("Prefer " + pick.provider() + " for " + type + ": " + asGood + best.provider() + " at "
        + share(pickShare) + " of its cost per success");
  }

  private static String share(BigDecimal share) {
    return share.movePointRight(2).setScale(0, RoundingMode.HALF_UP).toPlainString() + "%";
  }

  private static String attempts(long n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }

  private static String score(double score) {
    return String.format(Locale.ROOT, "%.1f/10", score);
  }

  /** The project the report is of, or null for every project. */
  public @Nullable String project() {
    return project;
  }

  /** The time demotions were judged at. */
  public Instant at() {
    return at;
  }

  /** The fewest attempts on each side of a comparison this report used. */
  public int minSamples() {
    return minSamples;
  }

  /** Every provider's figures on every task type, by provider and then type. */
  public List<Figures> figures() {
    return figures;
  }

  /** Recommendations in words, by task type: demotions, then the best provider, then a cheaper one. */
  public List<String> recommendations() {
    return recommendations;
  }

  /** What shadow evaluation found, by challenger and then type; empty when it never compared. */
  public List<Shadow> shadows() {
    return shadows;
  }

  /** Whether there is nothing to learn from yet: no outcome and no demotion. */
  public boolean isEmpty() {
    return figures.isEmpty();
  }

  @Override
  public String toString() {
    return "LearningReport[project=" + project + ", at=" + at + ", figures=" + figures + ", recommendations="
        + recommendations + ", shadows=" + shadows + "]";
  }
}
