package dev.orchestrator.core.learn;

import dev.orchestrator.Money;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.ProviderStats;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The built-in learning strategies. Each ranks the candidates by {@link ProviderStats#quality()} (success rate times
 * mean review score over 10) and their price, puts candidates demoted for the task's type last, and names the
 * figures it decided by in the {@link Choice#reason() reason}.
 *
 * <ul>
 *   <li>{@link #asAssigned()}: the workflow's order, always (the default: behaviour without learning);
 *   <li>{@link #bestQuality(int)}: the highest quality among candidates with enough outcomes;
 *   <li>{@link #cheapestAcceptable(int, double)}: the lowest price of a success among candidates whose quality is
 *       within a margin of the best;
 *   <li>{@link #adaptive(long, int, double, double)}: Thompson sampling, which keeps learning: it draws each
 *       candidate's success rate and review score from what is known of them, then takes the cheapest success among
 *       the candidates whose drawn quality is within the margin of the best draw.
 * </ul>
 *
 * <p>All are thread-safe.
 *
 * @since 0.1
 */
public final class Strategies {
  /** Outcomes a candidate needs before its figures are trusted, unless configured: 5. */
  public static final int DEFAULT_MIN_SAMPLES = 5;
  /** How much lower quality is still acceptable for a cheaper candidate, unless configured: 0.05. */
  public static final double DEFAULT_MARGIN = 0.05;
  /** How far below the best mean quality a candidate may be and still be explored, unless configured: 0.25. */
  public static final double DEFAULT_EXPLORATION_MARGIN = 0.25;

  /** Samples, in multiples of the minimum, after which a clearly worse candidate is no longer explored. */
  private static final int WELL_MEASURED = 4;

  private Strategies() {}

  /** The workflow's order, whatever the statistics say: today's behaviour. */
  public static LearningStrategy asAssigned() {
    return a -> Choice.of(a.candidates(), "as assigned: the workflow's order " + a.candidates());
  }

  /**
   * The highest quality first among candidates with at least {@code minSamples} outcomes on the type, demoted ones
   * last; until every candidate has them, a candidate with fewer goes first, so each is measured (cold start).
   *
   * @throws IllegalArgumentException when {@code minSamples} is below 1
   */
  public static LearningStrategy bestQuality(int minSamples) {
    checkMinSamples(minSamples);
    return promoting("best-quality", a -> {
      Split s = split(a, minSamples);
      if (!s.unknown.isEmpty()) {
        return measuring("best-quality", a, s, minSamples);
      }
      List<String> known = byQuality(a, s.known);
      List<String> order = concat(known, List.of(), s.demoted);
      return Choice.of(order, "best-quality: " + known.get(0) + " has the best quality on " + a.taskType() + " ("
          + describe(a.stats(known.get(0))) + ")" + runnerUp(a, known) + demotedNote(a, s));
    });
  }

  /**
   * The lowest price of a success ({@link ProviderStats#costPerSuccess()} over the success rate) among candidates
   * whose quality is within {@code margin} of the best, of those with at least {@code minSamples} outcomes; the
   * others follow by quality, then demoted ones. Until every candidate has {@code minSamples} outcomes, a candidate
   * with fewer goes first, so each is measured (cold start).
   *
   * @throws IllegalArgumentException when {@code minSamples} is below 1 or {@code margin} is not 0 to 1
   */
  public static LearningStrategy cheapestAcceptable(int minSamples, double margin) {
    checkMinSamples(minSamples);
    checkShare("margin", margin);
    return promoting("cheapest-acceptable", a -> {
      Split s = split(a, minSamples);
      if (!s.unknown.isEmpty()) {
        return measuring("cheapest-acceptable", a, s, minSamples);
      }
      List<String> known = byQuality(a, s.known);
      String best = known.get(0);
      double floor = a.stats(best).quality() - margin;
      String cheapest = best;
      for (String c : known) {
        ProviderStats st = a.stats(c);
        if (st.quality() >= floor && priceOfSuccess(st) < priceOfSuccess(a.stats(cheapest))) {
          cheapest = c;
        }
      }
      List<String> rest = new ArrayList<>(known);
      rest.remove(cheapest);
      rest.add(0, cheapest);
      String why = cheapest.equals(best)
          ? cheapest + " has the best quality on " + a.taskType() + " and no candidate within " + fmt(margin)
              + " of it is cheaper (" + describe(a.stats(cheapest)) + ")"
          : cheapest + " is the cheapest on " + a.taskType() + " within " + fmt(margin) + " of the best quality ("
              + describe(a.stats(cheapest)) + "; best " + best + " " + describe(a.stats(best)) + ")";
      return Choice.of(concat(rest, List.of(), s.demoted), "cheapest-acceptable: " + why + demotedNote(a, s));
    });
  }

  /**
   * Thompson sampling over success and review score per dollar. A candidate with fewer than {@code minSamples}
   * outcomes on the type is tried first (in the workflow's order), so every candidate is measured; after that,
   * each decision draws every candidate's success rate from {@code Beta(1 + successes, 1 + failures)} and its mean
   * review score from a normal distribution around the observed mean (with the observed scores' standard error), and
   * chooses the cheapest success (price of a call over the drawn success rate) among candidates whose drawn quality
   * is within {@code margin} of the best draw. Exploration is bounded: a candidate with at least four times
   * {@code minSamples} outcomes whose mean quality is more than {@code explorationMargin} below the best mean is not
   * drawn at all (one with fewer still is, so a provider back from a demotion can win its place again). Demoted
   * candidates come last.
   *
   * @param seed the seed of the random draws: the same seed and the same assignments give the same choices
   * @throws IllegalArgumentException when {@code minSamples} is below 1 or a margin is not 0 to 1
   */
  public static LearningStrategy adaptive(long seed, int minSamples, double margin, double explorationMargin) {
    checkMinSamples(minSamples);
    checkShare("margin", margin);
    checkShare("explorationMargin", explorationMargin);
    return promoting("adaptive", new Adaptive(new Random(seed), minSamples, margin, explorationMargin));
  }

  /** {@link #adaptive(long, int, double, double)} with the default samples and margins. */
  public static LearningStrategy adaptive(long seed) {
    return adaptive(seed, DEFAULT_MIN_SAMPLES, DEFAULT_MARGIN, DEFAULT_EXPLORATION_MARGIN);
  }

  private static final class Adaptive implements LearningStrategy {
    private final Random random; // guarded by itself
    private final int minSamples;
    private final double margin;
    private final double explorationMargin;

    Adaptive(Random random, int minSamples, double margin, double explorationMargin) {
      this.random = random;
      this.minSamples = minSamples;
      this.margin = margin;
      this.explorationMargin = explorationMargin;
    }

    @Override
    public Choice choose(Assignment a) {
      Split s = split(a, minSamples);
      if (!s.unknown.isEmpty()) {
        return measuring("adaptive", a, s, minSamples);
      }
      List<String> known = new ArrayList<>(s.known);
      known.sort(Comparator.comparingDouble((String c) -> expectedQuality(a.stats(c))).reversed());
      double bestMean = expectedQuality(a.stats(known.get(0)));
      List<String> drawn = new ArrayList<>();
      List<Double> quality = new ArrayList<>();
      List<Double> price = new ArrayList<>();
      synchronized (random) {
        for (String c : known) {
          ProviderStats st = a.stats(c);
          if (st.samples() >= WELL_MEASURED * minSamples && expectedQuality(st) < bestMean - explorationMargin) {
            continue; // bounded exploration: measured well and clearly worse, not drawn
          }
          double p = Beta.sample(random, 1 + st.successes(), 1 + st.failures());
          drawn.add(c);
          quality.add(p * reviewDraw(random, st));
          price.add(callPrice(st) / Math.max(p, 1e-9));
        }
      }
      double top = quality.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      double floor = top - margin;
      int i = -1;
      for (int k = 0; k < drawn.size(); k++) {
        if (quality.get(k) >= floor && (i < 0 || price.get(k) < price.get(i))) {
          i = k;
        }
      }
      String pick = drawn.get(i);
      String reason = String.format(Locale.ROOT, "adaptive: %s drew quality %.2f at $%.4f per success, the "
          + "cheapest draw within %s of the best draw %.2f on %s (%s)", pick, quality.get(i), price.get(i),
          fmt(margin), top, a.taskType(), describe(a.stats(pick)));
      List<String> rest = new ArrayList<>(known);
      rest.remove(pick);
      rest.add(0, pick);
      return Choice.of(concat(rest, List.of(), s.demoted), reason + demotedNote(a, s));
    }

    /**
     * The posterior mean quality: the success rate as {@code (1 + successes) / (2 + outcomes)}, so a candidate with
     * few outcomes is not taken at its lucky streak's word, times the mean review score over 10.
     */
    private static double expectedQuality(ProviderStats st) {
      double p = (1 + st.successes()) / (2 + st.outcomes());
      return p * (st.reviews() > 0 ? st.reviewScoreMean().orElse(0) / 10.0 : 1.0);
    }

    /**
     * A draw of the mean review score over 10: normal around the observed mean with the standard error of the
     * observed scores (at least half a point), or 1 when nothing was reviewed.
     */
    private static double reviewDraw(Random random, ProviderStats st) {
      double n = st.reviews();
      if (n <= 0) {
        return 1.0;
      }
      double mean = st.reviewScoreMean().orElse(0);
      double var = 0;
      List<Double> buckets = st.reviewScores();
      for (int score = 0; score < buckets.size(); score++) {
        var += buckets.get(score) * (score - mean) * (score - mean);
      }
      double sd = Math.max(0.5, Math.sqrt(var / n));
      double draw = mean + random.nextGaussian() * sd / Math.sqrt(Math.max(1.0, n));
      return Math.max(0, Math.min(10, draw)) / 10.0;
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /**
   * Puts first the first candidate (in the inner choice's order) promoted by shadow evaluation for the task's type
   * and not demoted for it, with the evidence in the reason; otherwise the inner choice stands.
   */
  private static LearningStrategy promoting(String name, LearningStrategy inner) {
    return a -> {
      Choice c = inner.choose(a);
      for (String p : c.ordered()) {
        java.util.Optional<String> evidence = a.statistics().promotion(p, a.taskType());
        if (evidence.isPresent() && !a.demoted(p)) {
          List<String> order = new ArrayList<>(c.ordered());
          order.remove(p);
          order.add(0, p);
          return Choice.of(order, name + ": " + p + " is promoted on " + a.taskType() + ": " + evidence.get());
        }
      }
      return c;
    };
  }

  /** The candidates split into: enough outcomes, too few, demoted (each in the workflow's order). */
  private static final class Split {
    final List<String> known = new ArrayList<>();
    final List<String> unknown = new ArrayList<>();
    final List<String> demoted = new ArrayList<>();
  }

  /**
   * The cold start every learning built-in shares: a candidate with fewer than {@code minSamples} outcomes on the
   * type goes first (the first such in the workflow's order), then the measured ones by quality, then the other
   * unmeasured ones, then demoted ones. Without it a strategy that trusts only figures would give every task to the
   * first candidate it measured and never learn what the others do; with it, learning costs at most
   * {@code minSamples} calls per candidate and type (and again after a demotion).
   */
  private static Choice measuring(String strategy, Assignment a, Split s, int minSamples) {
    String first = s.unknown.get(0);
    List<String> rest = new ArrayList<>(s.unknown.subList(1, s.unknown.size()));
    return Choice.of(concat(List.of(first), concat(byQuality(a, s.known), rest, List.of()), s.demoted),
        strategy + ": measuring " + first + " on " + a.taskType() + " (" + a.stats(first).samples() + " of "
            + minSamples + " outcomes needed before its figures count)" + demotedNote(a, s));
  }

  private static Split split(Assignment a, int minSamples) {
    Split s = new Split();
    for (String c : a.candidates()) {
      if (a.demoted(c)) {
        s.demoted.add(c);
      } else if (!affordable(a, c)) {
        s.demoted.add(c);
      } else if (a.stats(c).samples() >= minSamples) {
        s.known.add(c);
      } else {
        s.unknown.add(c);
      }
    }
    if (s.known.isEmpty() && s.unknown.isEmpty()) {
      // Every candidate is demoted or too dear: offer them all rather than none, in the workflow's order.
      s.unknown.addAll(s.demoted);
      s.demoted.clear();
    }
    return s;
  }

  /** Whether one more call of a candidate fits the remaining budget, by the mean price of its calls. */
  private static boolean affordable(Assignment a, String c) {
    Money left = a.remainingBudget();
    Money perCall = a.stats(c).costPerSuccess();
    return left == null || perCall == null || perCall.compareTo(left) <= 0;
  }

  private static List<String> byQuality(Assignment a, List<String> candidates) {
    List<String> sorted = new ArrayList<>(candidates);
    // Stable: equal quality keeps the workflow's order.
    sorted.sort(Comparator.comparingDouble((String c) -> a.stats(c).quality()).reversed());
    return sorted;
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  /** The mean price of a call. */
  private static double callPrice(ProviderStats s) {
    Money m = s.costPerSuccess();
    return m == null ? 0 : m.amount().doubleValue();
  }

  /** The price of a success counting failed calls: a call's price over the success rate. */
  private static double priceOfSuccess(ProviderStats s) {
    double rate = s.successRate();
    return rate <= 0 ? Double.MAX_VALUE : callPrice(s) / rate;
  }

  private static String describe(ProviderStats s) {
    OptionalDouble review = s.reviewScoreMean();
    Money perCall = s.costPerSuccess();
    return String.format(Locale.ROOT, "quality %.2f, success %.0f%% over %d attempts%s%s", s.quality(),
        100 * s.successRate(), s.samples(),
        review.isPresent() ? String.format(Locale.ROOT, ", review %.1f/10", review.getAsDouble()) : "",
        perCall == null ? "" : ", $" + perCall.amount().setScale(4, java.math.RoundingMode.HALF_UP).toPlainString()
            + " per call");
  }

  private static String runnerUp(Assignment a, List<String> known) {
    return known.size() < 2 ? "" : String.format(Locale.ROOT, "; next %s at %.2f", known.get(1),
        a.stats(known.get(1)).quality());
  }

  private static String demotedNote(Assignment a, Split s) {
    if (s.demoted.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("; offered last: ");
    for (int i = 0; i < s.demoted.size(); i++) {
      String c = s.demoted.get(i);
      b.append(i == 0 ? "" : ", ").append(a.statistics().demotion(c, a.taskType(), a.at())
          .map(d -> d.evidence()).orElse(c + " costs more than the remaining budget " + a.remainingBudget()));
    }
    return b.toString();
  }

  private static String fmt(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static void checkMinSamples(int minSamples) {
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be >= 1 (was " + minSamples
          + "): give the outcomes a candidate needs before its figures are trusted");
    }
  }

  private static void checkShare(String field, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(field + " must be 0 to 1 (was " + v + "): give a quality difference such "
          + "as 0.05");
    }
  }
}
