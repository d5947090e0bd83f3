package dev.orchestrator.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.event.ShadowComparedEvent;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.ExpectedOutput;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow evaluation: after a sampled task succeeded, a cheaper candidate answers the same request and a judge (the
 * task's first reviewer, else the policy's judge, never the incumbent) says which answer is better; the verdict is
 * recorded as a {@link ShadowComparedEvent}, which the statistics count towards a promotion. Both calls are reserved
 * against the budgets before either is made (a refusal skips the comparison) and charged when they end; the task's
 * own record and output are never touched. Confined to the drain loop.
 */
final class Shadows {
  private static final Logger log = LoggerFactory.getLogger(Shadows.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"winner\",\"reason\"],"
      + "\"properties\":{\"winner\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},\"reason\":{\"type\":\"string\"}}}";

  private final EngineContext ctx;
  private final Budgets budgets;
  private final Providers providers;
  private final Learning learning;
  private final ShadowPolicy policy;
  private final Random random;

  Shadows(EngineContext ctx, Budgets budgets, Providers providers, Learning learning, ShadowPolicy policy) {
    this.ctx = ctx;
    this.budgets = budgets;
    this.providers = providers;
    this.learning = learning;
    this.policy = policy;
    this.random = new Random(policy.seed());
  }

  /**
   * A task succeeded on {@code n.slot} with {@code output}, answering {@code request} (as the prompt guards let it
   * go): on a sample, a comparison starts.
   */
  void succeeded(TaskNode n, String output, @Nullable ProviderRequest request) {
    if (request == null || policy.sampleRate() <= 0 || random.nextDouble() >= policy.sampleRate()) {
      return;
    }
    Slot incumbent = n.slot;
    Slot judge = n.reviewers.length > 0 ? n.reviewers[0]
        : policy.judge() != null && providers.contains(policy.judge()) ? providers.slot(policy.judge()) : null;
    if (judge == null || judge == incumbent) {
      log.debug("No shadow comparison: no judge other than the incumbent (run={}, task={})", n.run.id, n.id());
      return;
    }
    Slot challenger = challenger(n, incumbent, judge, request);
    if (challenger == null) {
      log.debug("No shadow comparison: no cheaper candidate (run={}, task={})", n.run.id, n.id());
      return;
    }
    boolean challengerFirst = random.nextBoolean();
    CostEstimate shadowEstimate = Budgets.estimate(challenger, request);
    // The judge's request is not known before the challenger answers: it is estimated with the incumbent's answer
    // in both places, which is of the same order.
    CostEstimate judgeEstimate = Budgets.estimate(judge, judgeRequest(n, request, output, output));
    if (!shadowEstimate.isKnown() || !judgeEstimate.isKnown()) {
      log.debug("No shadow comparison: a call's cost cannot be bounded (run={}, task={})", n.run.id, n.id());
      return;
    }
    BigDecimal shadowWorst = shadowEstimate.high().amount();
    BigDecimal judgeWorst = judgeEstimate.high().amount();
    Money cap = policy.maxCostPerComparison();
    if (cap != null && shadowWorst.add(judgeWorst).compareTo(cap.amount()) > 0) {
      log.debug("No shadow comparison: its worst case {} is above the cap {} (run={}, task={})",
          Money.usd(shadowWorst.add(judgeWorst)), cap, n.run.id, n.id());
      return;
    }
    String shadowReservation = reserve(n, challenger, shadowWorst);
    if (shadowReservation == null) {
      return;
    }
    String judgeReservation = reserve(n, judge, judgeWorst);
    if (judgeReservation == null) {
      budgets.settleAside(n, challenger, shadowReservation.isEmpty() ? null : shadowReservation, CallCost.NONE);
      return;
    }
    String type = n.spec.taskType();
    call(n, challenger, request, shadowReservation, shadowWorst, (shadow, shadowCost) -> {
      if (shadow == null) {
        budgets.settleAside(n, judge, judgeReservation.isEmpty() ? null : judgeReservation, CallCost.NONE);
        return;
      }
      String a = challengerFirst ? shadow.text() : output;
      String b = challengerFirst ? output : shadow.text();
      call(n, judge, judgeRequest(n, request, a, b), judgeReservation, judgeWorst, (verdict, judgeCost) -> {
        String[] parsed = verdict == null ? null : parse(verdict.text());
        if (parsed == null) {
          log.debug("No shadow verdict: the judge gave none (run={}, task={}, judge={})", n.run.id, n.id(),
              judge.name);
          return;
        }
        boolean aWon = parsed[0].equals("a");
        String winner = aWon == challengerFirst ? challenger.name : incumbent.name;
        Money cost = Money.usd(shadowCost.amount().add(judgeCost.amount()));
        ctx.emit(n.run, new ShadowComparedEvent(n.run.project, n.run.id, n.id(), ctx.now(), type, incumbent.name,
            challenger.name, winner, judge.name, parsed[1], cost));
        log.debug("Shadow compared (run={}, task={}, incumbent={}, challenger={}, winner={})", n.run.id, n.id(),
            incumbent.name, challenger.name, winner);
      });
    });
  }

  /** A reservation's id, "" for a free call, or null (logged) when the budgets refuse it. */
  private @Nullable String reserve(TaskNode n, Slot slot, BigDecimal worst) {
    if (worst.signum() <= 0) {
      return "";
    }
    String id = budgets.reserveAside(n, slot, worst);
    if (id == null) {
      log.debug("No shadow comparison: the budgets refuse its reservation (run={}, task={}, provider={}, worst={})",
          n.run.id, n.id(), slot.name, Money.usd(worst));
    }
    return id;
  }

  /**
   * The cheapest candidate of the task other than the incumbent and the judge, available and not demoted, that is
   * cheaper than the incumbent: by the price of a success when both have one in the statistics, else by the
   * providers' estimates of the request.
   */
  private @Nullable Slot challenger(TaskNode n, Slot incumbent, Slot judge, ProviderRequest request) {
    OutcomeStatistics stats = learning.statistics(n.run.project, ctx.now());
    String type = n.spec.taskType();
    double own = price(stats, incumbent, type, request);
    Slot best = null;
    double bestPrice = own;
    for (Slot c : n.candidates()) {
      if (c == incumbent || c == judge || !c.available()
          || stats.demotion(c.name, type, ctx.now()).isPresent()) {
        continue;
      }
      double p = price(stats, c, type, request);
      if (p < bestPrice) {
        best = c;
        bestPrice = p;
      }
    }
    return best;
  }

  private static double price(OutcomeStatistics stats, Slot s, String type, ProviderRequest request) {
    ProviderStats st = stats.stats(s.name, type).orElse(null);
    if (st != null && st.successRate() > 0 && st.costPerSuccess() != null) {
      return st.costPerSuccess().amount().doubleValue() / st.successRate();
    }
    CostEstimate e = Budgets.estimate(s, request);
    return e.isKnown() ? e.high().amount().doubleValue() : Double.MAX_VALUE;
  }

  /** Calls {@code slot} aside from the task's attempts, then settles it and hands its reply (null if none) on. */
  private void call(TaskNode n, Slot slot, ProviderRequest request, String reservation, BigDecimal worst,
      BiConsumer<@Nullable ProviderResponse, CallCost> then) {
    CallContext context = CallContext.builder().project(n.run.project).runId(n.run.id).taskId(n.id())
        .attempt(Math.max(1, n.record.attempts().size())).build();
    CompletableFuture<ProviderResponse> f;
    try {
      f = slot.provider.complete(request, context);
      if (f == null) {
        f = CompletableFuture.failedFuture(new IllegalStateException("provider returned no future"));
      }
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<ProviderResponse> call = f;
    Duration timeout = n.spec.timeout();
    Scheduler.Cancellable timer = timeout == null ? null : ctx.later(timeout, () -> call.cancel(true));
    call.whenComplete((response, error) -> ctx.post(() -> {
      if (timer != null) {
        timer.cancel();
      }
      CallCost cost = CallCost.of(response, error, worst);
      budgets.settleAside(n, slot, reservation.isEmpty() ? null : reservation, cost);
      if (error != null) {
        log.debug("Shadow call failed (run={}, task={}, provider={}, error={})", n.run.id, n.id(), slot.name,
            error.toString());
      }
      then.accept(error == null ? response : null, cost);
    }));
  }

  private static ProviderRequest judgeRequest(TaskNode n, ProviderRequest task, String a, String b) {
    String criteria = n.spec.review() != null ? "Judge them against these criteria:\n"
        + Prompts.fill(n, n.spec.review().criteria()) + "\n\n" : "";
    String prompt = "Two assistants answered the same task. Say which answer is better.\n" + criteria
        + "The task:\n" + task.prompt() + "\n\nAnswer A:\n" + a + "\n\nAnswer B:\n" + b
        + "\n\nReply with JSON only: {\"winner\": \"a\" or \"b\", \"reason\": \"why, in a sentence\"}";
    return ProviderRequest.builder().prompt(prompt).expectedOutput(ExpectedOutput.jsonSchema(VERDICT_SCHEMA))
        .taskType("review").timeout(n.spec.timeout()).build();
  }

  /** The winner ("a" or "b") and the reason of a judge's reply, or null when it holds no verdict. */
  static String @Nullable [] parse(String reply) {
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(reply.substring(start, end + 1));
      String winner = node.path("winner").asText("").trim().toLowerCase(java.util.Locale.ROOT);
      if (!winner.equals("a") && !winner.equals("b")) {
        return null;
      }
      return new String[] {winner, node.path("reason").asText("")};
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
