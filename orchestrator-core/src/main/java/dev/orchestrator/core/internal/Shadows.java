package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow evaluation's sampling: after a sampled task succeeded, a comparison of it starts as a run of its own
 * ({@link ShadowRuns}): a cheaper candidate answers the same request, and a judge (the task's first reviewer, else the
 * policy's judge, never the incumbent) says which answer is better. The loop only samples; the comparison is chosen
 * (statistics, estimates, a budget check) and started from the timer thread once the task's success is committed, so
 * nothing about it can change or delay the task; a comparison that cannot start is logged and dropped.
 */
final class Shadows {
  private static final Logger log = LoggerFactory.getLogger(Shadows.class);

  /** Starts comparison runs, and counts those sampled and not started yet. */
  interface Starter {
    /** A comparison was sampled: {@link #settled} follows, whether it starts or not. */
    void sampled();

    /** Starts a comparison run in a project and returns its id; called off the drain loop. */
    String start(String project, Workflow workflow, Map<String, String> params);

    /** A sampled comparison started, or will not. */
    void settled();
  }

  private final EngineContext ctx;
  private final Budgets budgets;
  private final Providers providers;
  private final Learning learning;
  private final ShadowPolicy policy;
  private final Starter starter;
  private final Random random;

  Shadows(EngineContext ctx, Budgets budgets, Providers providers, Learning learning, ShadowPolicy policy,
      Starter starter) {
    this.ctx = ctx;
    this.budgets = budgets;
    this.providers = providers;
    this.learning = learning;
    this.policy = policy;
    this.starter = starter;
    this.random = new Random(policy.seed());
  }

  /**
   * A task succeeded on {@code n.slot} with {@code output}, answering {@code request} (as the prompt guards let it
   * go): on a sample, what the loop alone may read is taken now, and the comparison is chosen and started from the
   * timer thread once the success is committed.
   */
  void succeeded(TaskNode n, String output, @Nullable ProviderRequest request) {
    if (request == null || ShadowRuns.isComparison(n.run) || policy.sampleRate() <= 0
        || random.nextDouble() >= policy.sampleRate()) {
      return;
    }
    Slot incumbent = n.slot;
    Slot judge = n.reviewers.length > 0 ? n.reviewers[0]
        : policy.judge() != null && providers.contains(policy.judge()) ? providers.slot(policy.judge()) : null;
    if (judge == null || judge == incumbent) {
      log.debug("No shadow comparison: no judge other than the incumbent (run={}, task={})", n.run.id, n.id());
      return;
    }
    List<Slot> challengers = new ArrayList<>();
    for (Slot c : n.candidates()) {
      if (c != incumbent && c != judge && c.available()) {
        challengers.add(c);
      }
    }
    if (challengers.isEmpty()) {
      log.debug("No shadow comparison: no other candidate available (run={}, task={})", n.run.id, n.id());
      return;
    }
    String criteria = n.spec.review() != null ? Prompts.fill(n, n.spec.review().criteria()) : null;
    Sample sample = new Sample(n.run.project, n.run.id, n.id(), n.spec.taskType(), request, output, incumbent,
        judge, List.copyOf(challengers), random.nextBoolean(), criteria);
    starter.sampled();
    ctx.events.afterCommit(() -> {
      try {
        ctx.later(Duration.ZERO, () -> {
          try {
            start(sample);
          } finally {
            starter.settled();
          }
        });
      } catch (RuntimeException e) {
        starter.settled();
        log.debug("No shadow comparison: the engine is closing (run={}, task={})", sample.runId(), sample.taskId());
      }
    }, starter::settled);
  }

  /** A sampled success, as the loop saw it. */
  private record Sample(String project, String runId, String taskId, String taskType, ProviderRequest request,
      String output, Slot incumbent, Slot judge, List<Slot> challengers, boolean challengerFirst,
      @Nullable String criteria) {}

  /** Chooses the comparison and starts it; nothing of it may reach the task, so every failure is logged here. */
  private void start(Sample sample) {
    ShadowRuns.Plan plan;
    try {
      plan = plan(sample);
    } catch (RuntimeException e) {
      log.warn("No shadow comparison: choosing one failed (project={}, run={}, task={})", sample.project(),
          sample.runId(), sample.taskId(), e);
      return;
    }
    if (plan == null) {
      return;
    }
    try {
      String run = starter.start(sample.project(), ShadowRuns.workflow(plan), ShadowRuns.params(plan));
      log.info("Shadow comparison started (project={}, run={}, task={}, incumbent={}, challenger={}, judge={}, "
          + "comparison={})", sample.project(), plan.ofRun(), plan.ofTask(), plan.incumbent(), plan.challenger(),
          plan.judge(), run);
    } catch (RuntimeException e) {
      log.warn("Shadow comparison not started (project={}, run={}, task={}, challenger={})", sample.project(),
          plan.ofRun(), plan.ofTask(), plan.challenger(), e);
    }
  }

  /** What to compare the task with, or null (logged) when there is nothing cheaper or it would not fit. */
  private ShadowRuns.@Nullable Plan plan(Sample s) {
    Slot challenger = challenger(s);
    if (challenger == null) {
      log.debug("No shadow comparison: no cheaper candidate (run={}, task={})", s.runId(), s.taskId());
      return null;
    }
    ShadowRuns.Plan draft = new ShadowRuns.Plan(s.runId(), s.taskId(), s.taskType(), s.request(), s.output(),
        s.incumbent().name, challenger.name, s.judge().name, s.challengerFirst(), s.criteria(), null, null,
        policy.wins(), policy.comparisons());
    CostEstimate challengerEstimate = Budgets.estimate(challenger, s.request());
    // The judge's request is not known before the challenger answers: it is estimated with the incumbent's answer
    // in both places, which is of the same order.
    CostEstimate judgeEstimate = Budgets.estimate(s.judge(), judgeRequest(draft, s.output()));
    if (!challengerEstimate.isKnown() || !judgeEstimate.isKnown()) {
      log.debug("No shadow comparison: a call's cost cannot be bounded (run={}, task={})", s.runId(), s.taskId());
      return null;
    }
    BigDecimal challengerWorst = challengerEstimate.high().amount();
    BigDecimal judgeWorst = judgeEstimate.high().amount();
    BigDecimal worst = challengerWorst.add(judgeWorst);
    Money cap = policy.maxCostPerComparison();
    if (cap != null && worst.compareTo(cap.amount()) > 0) {
      log.debug("No shadow comparison: its worst case {} is above the cap {} (run={}, task={})", Money.usd(worst),
          cap, s.runId(), s.taskId());
      return null;
    }
    String breach = budgets.wouldBreak(s.project(), challenger, challengerWorst, s.judge(), judgeWorst);
    if (breach != null) {
      log.debug("No shadow comparison: its worst case {} would break the limit on {} (run={}, task={})",
          Money.usd(worst), breach, s.runId(), s.taskId());
      return null;
    }
    Money[] caps = cap == null ? new Money[2] : ShadowRuns.split(cap, challengerWorst, judgeWorst);
    return new ShadowRuns.Plan(s.runId(), s.taskId(), s.taskType(), s.request(), s.output(), s.incumbent().name,
        challenger.name, s.judge().name, s.challengerFirst(), s.criteria(), caps[0], caps[1], policy.wins(),
        policy.comparisons());
  }

  /** What the judge will be asked, with {@code challengerAnswer} standing for the challenger's. */
  private static ProviderRequest judgeRequest(ShadowRuns.Plan p, String challengerAnswer) {
    Workflow w = ShadowRuns.workflow(p);
    Map<String, String> values = new java.util.HashMap<>(ShadowRuns.params(p));
    values.put("tasks." + ShadowRuns.CHALLENGER_TASK + ".output", challengerAnswer);
    return Prompts.planned(w.task(ShadowRuns.JUDGE_TASK), dev.orchestrator.workflow.UpstreamContext.none(),
        java.util.List.of(), values::get);
  }

  /**
   * The cheapest of the sampled candidates not demoted for the type that is cheaper than the incumbent, prices
   * compared like with like: the price of a success (cost per success over success rate) when both have one in the
   * statistics, else the providers' expected costs of the request.
   */
  private @Nullable Slot challenger(Sample s) {
    Instant now = ctx.now();
    OutcomeStatistics stats = learning.statistics(s.project(), now);
    double ownMeasured = measured(stats, s.incumbent(), s.taskType());
    double ownExpected = expected(s.incumbent(), s.request());
    Slot best = null;
    double bestShare = 1;
    for (Slot c : s.challengers()) {
      if (stats.demotion(c.name, s.taskType(), now).isPresent()) {
        continue;
      }
      double theirs = measured(stats, c, s.taskType());
      double share = !Double.isNaN(ownMeasured) && !Double.isNaN(theirs) ? theirs / ownMeasured
          : expected(c, s.request()) / ownExpected;
      if (share < bestShare) {
        best = c;
        bestShare = share;
      }
    }
    return best;
  }

  /** The price of a success on {@code s} for the type, or NaN without one in the statistics. */
  private static double measured(OutcomeStatistics stats, Slot s, String type) {
    ProviderStats st = stats.stats(s.name, type).orElse(null);
    if (st != null && st.successRate() > 0 && st.costPerSuccess() != null) {
      return st.costPerSuccess().amount().doubleValue() / st.successRate();
    }
    return Double.NaN;
  }

  /** The provider's expected cost of the request; one that cannot be known is dearest of all. */
  private static double expected(Slot s, ProviderRequest request) {
    CostEstimate e = Budgets.estimate(s, request);
    return e.isKnown() ? e.expected().amount().doubleValue() : Double.MAX_VALUE;
  }

}
