package dev.orchestrator.core.learn;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskAwaitingReviewEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskSkippedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.spi.store.StoredEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of every provider instance on every task type, as a projection of the store's event stream: events
 * are folded in sequence order, each at most once, from the last sequence seen. Two projections with the same
 * settings that fold the same events hold the same figures, whatever process they run in and however the folding
 * was split into batches; so every process, before and after a restart, decides from the same numbers.
 *
 * <p>What is counted, per provider instance and task type (the type comes from the run's workflow, through
 * {@link TaskTypes}):
 *
 * <ul>
 *   <li>an attempt for every {@link TaskStartedEvent};
 *   <li>a success at the first try or after retries for a {@link TaskSucceededEvent}, with its tokens and cost;
 *   <li>a failure when an attempt ends in {@link TaskRetryScheduledEvent} or {@link TaskFailedEvent}, unless its
 *       kind is not the provider's doing ({@link ErrorKind#BUDGET}, {@link ErrorKind#CANCELLED},
 *       {@link ErrorKind#GUARD}: a guard that stops an output is counted as a guard violation instead);
 *   <li>a failover when the attempt after a failure goes to another provider;
 *   <li>review scores ({@link ReviewCompletedEvent}) and output guard violations ({@link GuardTriggeredEvent}) for
 *       the provider whose output it was;
 *   <li>latency from the start of a call to the event that ends it.
 * </ul>
 *
 * <p><b>Recent counts more.</b> With a {@link Builder#halfLife(Duration) half-life}, each outcome is weighted by
 * {@code 2^-(age / halfLife)}, its age measured from the newest event folded in (event times, never the wall clock).
 *
 * <p><b>Failure patterns.</b> A provider whose failures among its last {@link Builder#failureWindow outcomes} on a
 * type reach the {@link Builder#failureThreshold threshold}, over at least {@link Builder#minSamples} outcomes, is
 * demoted for that type with the evidence in words; its figures for the type start over, and after the
 * {@link Builder#coolDown cool-down} strategies offer it again.
 *
 * <pre>{@code
 * OutcomeProjection stats = OutcomeProjection.builder().halfLife(Duration.ofDays(7))
 *     .taskTypes(TaskTypes.fromStore(store)).build();
 * stats.catchUp(store);
 * OutcomeStatistics mine = stats.project("marketing");
 * }</pre>
 *
 * <p>Thread-safe: folding and reading hold one lock.
 *
 * @since 0.1
 */
public final class OutcomeProjection {
  private final Duration halfLife;
  private final double failureThreshold;
  private final int minSamples;
  private final int failureWindow;
  private final Duration coolDown;
  private final int latencySamples;
  private final TaskTypes taskTypes;

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private long lastSequence;
  /** The newest event time folded in; weights are relative to it. Guarded by {@link #lock}. */
  private @Nullable Instant newest;
  /** Guarded by {@link #lock}. */
  private final Scope global = new Scope();
  /** Guarded by {@link #lock}. */
  /** Demotions a {@code ProviderDemotedEvent} announced: project, type, provider and since. */
  private final java.util.Set<String> announced = new java.util.HashSet<>();
  private final Map<String, Scope> projects = new TreeMap<>();
  /** Tasks with a call under way or a recent output, by project, run and task. Guarded by {@link #lock}. */
  private final Map<String, TaskTrack> tasks = new HashMap<>();

  private OutcomeProjection(Builder b) {
    this.halfLife = b.halfLife;
    this.failureThreshold = b.failureThreshold;
    this.minSamples = b.minSamples;
    this.failureWindow = b.failureWindow;
    this.coolDown = b.coolDown;
    this.latencySamples = b.latencySamples;
    this.taskTypes = b.taskTypes;
  }

  /** Starts a projection: half-life 7 days, demotion at 60% failures over 10 of the last 20 outcomes, 1 hour off. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Folds every event the store has after the last one seen, in batches.
   *
   * @return the number of events folded
   */
  public int catchUp(StoreView store) {
    int folded = 0;
    while (true) {
      List<StoredEvent> batch = store.eventsAfter(lastSequence(), 500);
      if (batch.isEmpty()) {
        return folded;
      }
      folded += applyAll(batch);
    }
  }

  /**
   * Folds events in the order given, skipping any whose sequence is not after the last one seen.
   *
   * @return the number of events folded
   */
  public int applyAll(List<StoredEvent> events) {
    int n = 0;
    synchronized (lock) {
      for (StoredEvent e : events) {
        if (fold(e)) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Folds one event, unless its sequence is not after the last one seen.
   *
   * @return whether it was folded
   */
  public boolean apply(StoredEvent event) {
    synchronized (lock) {
      return fold(event);
    }
  }

  /** The sequence of the newest event folded in; 0 before any. */
  public long lastSequence() {
    synchronized (lock) {
      return lastSequence;
    }
  }

  /**
   * Whether a {@link dev.orchestrator.event.ProviderDemotedEvent} for this demotion of the project was folded in, so
   * that each demotion is announced once by every process reading the store.
   */
  public boolean announced(String project, Demotion demotion) {
    synchronized (lock) {
      return announced.contains(project + '\u0000' + statKey(demotion.provider(), demotion.taskType()) + '\u0000'
          + demotion.since());
    }
  }

  /** The statistics over every project. */
  public OutcomeStatistics global() {
    synchronized (lock) {
      return global.snapshot();
    }
  }

  /** The statistics of one project; empty figures when it has none. */
  public OutcomeStatistics project(String project) {
    synchronized (lock) {
      Scope s = projects.get(project);
      return s == null ? OutcomeStatistics.builder().lastSequence(lastSequence).build() : s.snapshot();
    }
  }

  // ------------------------------------------------------------------------------------------------ folding

  private boolean fold(StoredEvent stored) {
    Objects.requireNonNull(stored, "event");
    if (stored.sequence() <= lastSequence) {
      return false;
    }
    lastSequence = stored.sequence();
    Event e = stored.event();
    if (newest == null || e.at().isAfter(newest)) {
      newest = e.at();
    }
    if (e instanceof TaskStartedEvent s) {
      started(s);
    } else if (e instanceof TaskSucceededEvent s) {
      succeeded(s);
    } else if (e instanceof TaskRetryScheduledEvent r) {
      failed(r.project(), r.runId(), r.taskId(), r.at(), null, r.kind(), false);
    } else if (e instanceof TaskFailedEvent f) {
      failed(f.project(), f.runId(), f.taskId(), f.at(), f.provider(), f.kind(), true);
    } else if (e instanceof TaskAwaitingReviewEvent a) {
      TaskTrack t = tasks.get(key(a.project(), a.runId(), a.taskId()));
      if (t != null) {
        latency(a.project(), t, a.at());
      }
    } else if (e instanceof ReviewCompletedEvent r) {
      TaskTrack t = tasks.get(key(r.project(), r.runId(), r.taskId()));
      if (t != null && t.provider != null) {
        int score = Math.max(0, Math.min(10, r.score()));
        each(r.project(), t.provider, t.type, r.at(), (a, w) -> a.scores[score] += w);
      }
    } else if (e instanceof GuardTriggeredEvent g) {
      TaskTrack t = tasks.get(key(g.project(), g.runId(), g.taskId()));
      if (g.phase() == GuardTriggeredEvent.Phase.OUTPUT && t != null && t.provider != null) {
        each(g.project(), t.provider, t.type, g.at(), (a, w) -> a.guardViolations += w);
      }
    } else if (e instanceof dev.orchestrator.event.ShadowComparedEvent c) {
      compared(global, c);
      compared(scope(c.project()), c);
    } else if (e instanceof dev.orchestrator.event.ProviderDemotedEvent d) {
      announced.add(d.project() + '\u0000' + statKey(d.provider(), d.taskType()) + '\u0000' + d.since());
    } else if (e instanceof TaskCancelledEvent c) {
      tasks.remove(key(c.project(), c.runId(), c.taskId()));
    } else if (e instanceof TaskSkippedEvent s) {
      tasks.remove(key(s.project(), s.runId(), s.taskId()));
    } else if (e instanceof RunFinishedEvent f) {
      String prefix = f.project() + '\u0000' + f.runId() + '\u0000';
      tasks.keySet().removeIf(k -> k.startsWith(prefix));
    }
    return true;
  }

  private void started(TaskStartedEvent s) {
    String k = key(s.project(), s.runId(), s.taskId());
    TaskTrack t = tasks.get(k);
    if (t == null) {
      t = new TaskTrack(taskTypes.taskType(s.project(), s.runId(), s.taskId()));
      tasks.put(k, t);
    }
    if (t.lastFailed != null && !t.lastFailed.equals(s.provider())) {
      each(s.project(), t.lastFailed, t.type, s.at(), (a, w) -> a.failovers += w);
    }
    t.lastFailed = null;
    t.provider = s.provider();
    t.attempt = s.attempt();
    t.startedAt = s.at();
    t.open = true;
    t.timed = false;
    each(s.project(), s.provider(), t.type, s.at(), (a, w) -> {
      a.attempts += w;
      a.samples++;
    });
  }

  private void succeeded(TaskSucceededEvent s) {
    String k = key(s.project(), s.runId(), s.taskId());
    TaskTrack t = tasks.get(k);
    if (t == null || !t.open) {
      return; // no call of ours under way: nothing to credit
    }
    latency(s.project(), t, s.at());
    String provider = s.provider();
    boolean firstTry = t.attempt <= 1;
    double dollars = s.cost().amount().doubleValue();
    double tokens = s.usage().totalTokens();
    t.open = false;
    t.provider = provider;
    each(s.project(), provider, t.type, s.at(), (a, w) -> {
      if (firstTry) {
        a.firstTry += w;
      } else {
        a.retried += w;
      }
      a.tokens += w * tokens;
      a.dollars += w * dollars;
    });
    outcome(s.project(), provider, t.type, s.at(), false);
    tasks.remove(k); // done: a reopened run starts a new track
  }

  private void failed(String project, String runId, String taskId, Instant at, @Nullable String named, ErrorKind kind,
      boolean terminal) {
    String k = key(project, runId, taskId);
    TaskTrack t = tasks.get(k);
    if (t == null || !t.open || t.provider == null) {
      return; // refused before any call (budget, pause): not a provider's outcome
    }
    latency(project, t, at);
    String provider = named != null ? named : t.provider;
    t.open = false;
    if (kind == ErrorKind.BUDGET || kind == ErrorKind.CANCELLED || kind == ErrorKind.GUARD) {
      return;
    }
    t.lastFailed = terminal ? null : provider;
    each(project, provider, t.type, at, (a, w) -> a.failures += w);
    outcome(project, provider, t.type, at, true);
    if (terminal) {
      tasks.remove(k);
    }
  }

  private void latency(String project, TaskTrack t, Instant at) {
    if (t.timed || t.startedAt == null || t.provider == null) {
      return;
    }
    t.timed = true;
    long nanos = Math.max(0, Duration.between(t.startedAt, at).toNanos());
    each(project, t.provider, t.type, at, (a, w) -> {
      a.latencies.addLast(nanos);
      if (a.latencies.size() > latencySamples) {
        a.latencies.removeFirst();
      }
    });
  }

  /** Records an outcome in the failure window of both scopes, and demotes when the pattern holds. */
  private void outcome(String project, String provider, String type, Instant at, boolean failure) {
    outcome(global, provider, type, at, failure);
    outcome(scope(project), provider, type, at, failure);
  }

  private void outcome(Scope scope, String provider, String type, Instant at, boolean failure) {
    String k = statKey(provider, type);
    Acc acc = scope.stats.get(k);
    if (acc == null) {
      return;
    }
    acc.window.addLast(failure);
    if (acc.window.size() > failureWindow) {
      acc.window.removeFirst();
    }
    Demotion current = scope.demotions.get(k);
    // Judged after every outcome, a success included: a provider back from a demotion whose first outcomes are
    // mostly failures is set aside again rather than kept on a few lucky ones.
    if (acc.window.size() < minSamples || (current != null && current.activeAt(at))) {
      return;
    }
    int failures = 0;
    for (boolean f : acc.window) {
      failures += f ? 1 : 0;
    }
    int sample = acc.window.size();
    if (failures < failureThreshold * sample) {
      return;
    }
    Instant retryAt = at.plus(coolDown);
    String evidence = String.format(Locale.ROOT, "%s failed %d of its last %d %s attempts (%.0f%% >= %.0f%%); "
        + "offered last until %s", provider, failures, sample, type, 100.0 * failures / sample,
        100.0 * failureThreshold, retryAt);
    scope.demotions.put(k, Demotion.builder(provider, type).since(at).retryAt(retryAt).failures(failures)
        .sample(sample).evidence(evidence).build());
    scope.stats.put(k, new Acc(provider, type)); // it starts over for this type when it is offered again
  }

  /**
   * A shadow comparison: the challenger's window of wins moves on, and it is promoted for the type while it holds
   * at least {@code promoteWins} wins among its last {@code promoteWindow} comparisons (the rule the comparing engine
   * wrote into the event, so that every reader promotes alike).
   */
  private void compared(Scope scope, dev.orchestrator.event.ShadowComparedEvent c) {
    String k = statKey(c.challenger(), c.taskType());
    scope.tallies.merge(k, dev.orchestrator.learn.ShadowTally.of(c.challenger(), c.taskType(), 1,
        c.challengerWon() ? 1 : 0, c.cost()), (was, one) -> was.plus(c.challengerWon(), c.cost()));
    ArrayDeque<Boolean> window = scope.shadows.computeIfAbsent(k, x -> new ArrayDeque<>());
    window.addLast(c.challengerWon());
    while (window.size() > c.promoteWindow()) {
      window.removeFirst();
    }
    int wins = 0;
    for (boolean w : window) {
      wins += w ? 1 : 0;
    }
    if (wins >= c.promoteWins()) {
      scope.promotions.put(k, new String[] {c.challenger(), c.taskType(), String.format(Locale.ROOT,
          "%s won %d of its last %d shadow comparisons on %s (latest against %s, judged by %s)", c.challenger(),
          wins, window.size(), c.taskType(), c.incumbent(), c.judge())});
    } else {
      scope.promotions.remove(k);
    }
  }

  private interface Update {
    void apply(Acc acc, double weight);
  }

  /** Applies an update, weighted for its time, to the provider's figures in its project and globally. */
  private void each(String project, String provider, String type, Instant at, Update u) {
    for (Scope s : new Scope[] {global, scope(project)}) {
      Acc acc = s.stats.computeIfAbsent(statKey(provider, type), k -> new Acc(provider, type));
      u.apply(acc, acc.weightAt(at));
    }
  }

  private Scope scope(String project) {
    return projects.computeIfAbsent(project, p -> new Scope());
  }

  private static String key(String project, String runId, String taskId) {
    return project + '\u0000' + runId + '\u0000' + taskId;
  }

  private static String statKey(String provider, String type) {
    return type + '\u0000' + provider;
  }

  /** The weight of something that happened {@code age} before the reference time. */
  private double decay(Duration age) {
    if (halfLife.isZero() || age.isNegative() || age.isZero()) {
      return 1.0;
    }
    return Math.pow(0.5, age.toNanos() / (double) halfLife.toNanos());
  }

  private final class Scope {
    final Map<String, Acc> stats = new TreeMap<>();
    final Map<String, Demotion> demotions = new TreeMap<>();
    /** Whether the challenger won each of its latest shadow comparisons, by type and provider. */
    final Map<String, ArrayDeque<Boolean>> shadows = new TreeMap<>();
    /** Provider, type and evidence of each promotion in force, by type and provider. */
    final Map<String, String[]> promotions = new TreeMap<>();
    /** What every comparison of each challenger found, by type and provider. */
    final Map<String, dev.orchestrator.learn.ShadowTally> tallies = new TreeMap<>();

    OutcomeStatistics snapshot() {
      OutcomeStatistics.Builder b = OutcomeStatistics.builder().lastSequence(lastSequence);
      for (Acc a : stats.values()) {
        b.add(a.snapshot(newest));
      }
      demotions.values().forEach(b::demotion);
      promotions.values().forEach(p -> b.promotion(p[0], p[1], p[2]));
      tallies.values().forEach(b::shadowTally);
      return b.build();
    }
  }

  /** One provider's figures on one type, weighted relative to {@link #ref}. */
  private final class Acc {
    final String provider;
    final String type;
    @Nullable Instant ref;
    long samples;
    double attempts;
    double firstTry;
    double retried;
    double failures;
    double failovers;
    final double[] scores = new double[ProviderStats.SCORE_BUCKETS];
    double guardViolations;
    double tokens;
    double dollars;
    final ArrayDeque<Long> latencies = new ArrayDeque<>();
    final ArrayDeque<Boolean> window = new ArrayDeque<>();

    Acc(String provider, String type) {
      this.provider = provider;
      this.type = type;
    }

    /** Moves the reference forward to {@code at} when it is newer, and gives the weight of something at {@code at}. */
    double weightAt(Instant at) {
      if (ref == null) {
        ref = at;
        return 1.0;
      }
      if (at.isAfter(ref)) {
        scale(decay(Duration.between(ref, at)));
        ref = at;
        return 1.0;
      }
      return decay(Duration.between(at, ref));
    }

    private void scale(double f) {
      if (f == 1.0) {
        return;
      }
      attempts *= f;
      firstTry *= f;
      retried *= f;
      failures *= f;
      failovers *= f;
      for (int i = 0; i < scores.length; i++) {
        scores[i] *= f;
      }
      guardViolations *= f;
      tokens *= f;
      dollars *= f;
    }

    ProviderStats snapshot(@Nullable Instant asOf) {
      double f = ref == null || asOf == null || !asOf.isAfter(ref) ? 1.0 : decay(Duration.between(ref, asOf));
      ProviderStats.Builder b = ProviderStats.builder(provider, type).samples(samples).attempts(attempts * f)
          .firstTrySuccesses(firstTry * f).retrySuccesses(retried * f).failures(failures * f)
          .failovers(failovers * f).guardViolations(guardViolations * f).tokens(tokens * f)
          .cost(dollars(dollars * f)).asOf(asOf == null ? ref : asOf);
      for (int i = 0; i < scores.length; i++) {
        b.reviewScore(i, scores[i] * f);
      }
      if (!latencies.isEmpty()) {
        long[] sorted = new long[latencies.size()];
        Iterator<Long> it = latencies.iterator();
        for (int i = 0; i < sorted.length; i++) {
          sorted[i] = it.next();
        }
        Arrays.sort(sorted);
        b.latency(Duration.ofNanos(rank(sorted, 0.50)), Duration.ofNanos(rank(sorted, 0.95)));
      }
      return b.build();
    }
  }

  /** Dollars summed as doubles, to 10 decimal places: far below a cent, without the binary noise. */
  private static Money dollars(double amount) {
    return Money.usd(BigDecimal.valueOf(amount).setScale(10, RoundingMode.HALF_UP).stripTrailingZeros());
  }

  /** The nearest-rank percentile. */
  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** What the projection knows of one task while it runs. */
  private static final class TaskTrack {
    final String type;
    @Nullable String provider;
    int attempt;
    @Nullable Instant startedAt;
    boolean open;
    boolean timed;
    @Nullable String lastFailed;

    TaskTrack(String type) {
      this.type = type;
    }
  }

  /**
   * Builds an {@link OutcomeProjection}. Each setter checks its value at once. Mutable and not thread-safe.
   */
  public static final class Builder {
    private Duration halfLife = Duration.ofDays(7);
    private double failureThreshold = 0.6;
    private int minSamples = 10;
    private int failureWindow = 20;
    private Duration coolDown = Duration.ofHours(1);
    private int latencySamples = 200;
    private TaskTypes taskTypes = TaskTypes.GENERAL;

    private Builder() {}

    /**
     * How fast old outcomes fade: one half-life ago counts half; {@link Duration#ZERO} weighs every outcome alike.
     * 7 days by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder halfLife(Duration halfLife) {
      Objects.requireNonNull(halfLife, "halfLife");
      if (halfLife.isNegative()) {
        throw new IllegalArgumentException("halfLife must not be negative (was " + halfLife
            + "): give a duration such as PT168H, or PT0S to weigh every outcome alike");
      }
      this.halfLife = halfLife;
      return this;
    }

    /**
     * The share of failures among the recent outcomes that demotes a provider for a type, above 0 and at most 1;
     * 0.6 by default.
     *
     * @throws IllegalArgumentException when outside (0, 1]
     */
    public Builder failureThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("failureThreshold must be > 0 and <= 1 (was " + threshold
            + "): give a share such as 0.6 for 60% failures");
      }
      this.failureThreshold = threshold;
      return this;
    }

    /**
     * The fewest recent outcomes a demotion is judged on; 10 by default, at most the failure window.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder minSamples(int minSamples) {
      if (minSamples < 1) {
        throw new IllegalArgumentException("minSamples must be >= 1 (was " + minSamples + ")");
      }
      this.minSamples = minSamples;
      return this;
    }

    /**
     * How many recent outcomes per provider and type a demotion looks at; 20 by default.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder failureWindow(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("failureWindow must be >= 1 (was " + window + ")");
      }
      this.failureWindow = window;
      return this;
    }

    /**
     * How long a demoted provider is offered last for the type before it is tried again; 1 hour by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder coolDown(Duration coolDown) {
      Objects.requireNonNull(coolDown, "coolDown");
      if (coolDown.isNegative()) {
        throw new IllegalArgumentException("coolDown must not be negative (was " + coolDown + ")");
      }
      this.coolDown = coolDown;
      return this;
    }

    /**
     * How many recent calls per provider and type the latency percentiles are taken over; 200 by default.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder latencySamples(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("latencySamples must be >= 1 (was " + n + ")");
      }
      this.latencySamples = n;
      return this;
    }

    /** Where task types come from; {@link TaskTypes#GENERAL} by default, {@link TaskTypes#fromStore} in an engine. */
    public Builder taskTypes(TaskTypes taskTypes) {
      this.taskTypes = Objects.requireNonNull(taskTypes, "taskTypes");
      return this;
    }

    /**
     * Builds the projection, empty.
     *
     * @throws IllegalStateException when minSamples is larger than the failure window
     */
    public OutcomeProjection build() {
      if (minSamples > failureWindow) {
        throw new IllegalStateException("minSamples must be <= failureWindow (was " + minSamples + " > "
            + failureWindow + "): widen the window or lower the minimum");
      }
      return new OutcomeProjection(this);
    }
  }
}
