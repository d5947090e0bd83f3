package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Dry runs: the waves, providers, estimates and budget lines of a workflow, without calling or changing anything. */
final class Planner {
  private final EngineContext ctx;
  private final Providers providers;
  private final Budgets budgets;
  private final Resilience resilience;
  private final @Nullable Learning learning;

  Planner(EngineContext ctx, Providers providers, Budgets budgets, Resilience resilience,
      @Nullable Learning learning) {
    this.learning = learning;
    this.ctx = ctx;
    this.providers = providers;
    this.budgets = budgets;
    this.resilience = resilience;
  }

  /**
   * A dry run: waves, providers, estimates, totals against budgets and problems, without calling any provider or
   * changing any state.
   */
  Plan plan(String project, Workflow workflow, Map<String, ?> params) {
    Submissions.checkName(project);
    Objects.requireNonNull(workflow, "workflow");
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, String> values = Submissions.values(workflow, params, problems);
    return ctx.call(() -> {
      List<TaskSpec> specs = workflow.tasks();
      int[] wave = new int[specs.size()];
      Duration[] finish = new Duration[specs.size()];
      List<List<Plan.Step>> waves = new ArrayList<>();
      Money low = Money.ZERO;
      Money expected = Money.ZERO;
      Money high = Money.ZERO;
      Duration longest = Duration.ZERO;
      Map<String, Money> byProvider = new LinkedHashMap<>();
      for (int i = 0; i < specs.size(); i++) {
        TaskSpec spec = specs.get(i);
        Duration start = Duration.ZERO;
        for (String dep : spec.dependsOn()) {
          int d = workflow.indexOf(dep);
          wave[i] = Math.max(wave[i], wave[d] + 1);
          start = start.compareTo(finish[d]) >= 0 ? start : finish[d];
        }
        Slot[] candidates = providers.candidates(spec, problems);
        Slot chosen = null;
        String choice = null;
        if (candidates != null && learning != null) {
          Learning.Preview preview = learning.preview(project, spec, candidates, ctx.now());
          if (preview != null) {
            candidates = preview.order();
            choice = preview.note();
          }
        }
        if (candidates != null) {
          for (Slot c : candidates) {
            if (c.available()) {
              chosen = c;
              break;
            }
          }
          if (chosen == null) {
            chosen = candidates[0];
            problems.add("task '" + spec.id() + "' would wait: " + (chosen.paused
                ? "provider " + chosen.name + " is paused (" + chosen.pauseReason + ")"
                : "provider " + chosen.name + "'s circuit is open until " + resilience.openUntil(chosen))
                + " and no other candidate is available");
          }
        }
        String title = PromptTemplate.of(spec.title()).render(values::get);
        ProviderRequest planned = Prompts.planned(spec, workflow.context(i), Prompts.parents(workflow, i), values::get);
        Plan.Step step;
        if (chosen == null) {
          step = Plan.Step.builder().taskId(spec.id()).title(title).build();
        } else {
          CostEstimate e = Budgets.estimate(chosen, planned);
          unknown(project, spec, chosen, e, problems, notes);
          step = Plan.Step.builder().taskId(spec.id()).title(title).provider(chosen.name).low(e.low())
              .expected(e.expected()).high(e.high()).duration(e.expectedDuration()).bounded(e.isKnown())
              .choice(choice).build();
          if (spec.maxCost() != null && e.low().compareTo(spec.maxCost()) > 0) {
            problems.add("task '" + spec.id() + "' can never run: even its cheapest reply (" + e.low()
                + ") costs more than its maxCost (" + spec.maxCost() + "); raise maxCost or shorten the prompt");
          }
          byProvider.merge(chosen.name, e.expected(), Money::plus);
        }
        Plan.Step reviewStep = null;
        Slot[] reviewSlots = providers.reviewers(spec, problems);
        if (reviewSlots.length > 0) {
          Slot reviewer = reviewSlots[0];
          // The reviewer reads the criteria and the author's prompt, its dependencies' outputs included.
          CostEstimate e = Budgets.estimate(reviewer, ProviderRequest.builder()
              .prompt(PromptTemplate.of(spec.review().criteria()).render(values::get) + "\n" + planned.prompt())
              .taskType("review").timeout(spec.timeout()).build());
          unknown(project, spec, reviewer, e, problems, notes);
          int rounds = spec.review().maxRounds();
          reviewStep = Plan.Step.builder().taskId(spec.id()).title("review of " + spec.id()).provider(reviewer.name)
              .kind("review").low(e.low()).expected(e.expected()).high(e.high().times(BigDecimal.valueOf(rounds)))
              .duration(e.expectedDuration()).bounded(e.isKnown()).build();
          byProvider.merge(reviewer.name, e.expected(), Money::plus);
        }
        finish[i] = start.plus(step.duration()).plus(reviewStep == null ? Duration.ZERO : reviewStep.duration());
        longest = longest.compareTo(finish[i]) >= 0 ? longest : finish[i];
        while (waves.size() <= wave[i]) {
          waves.add(new ArrayList<>());
        }
        waves.get(wave[i]).add(step);
        low = low.plus(step.low());
        expected = expected.plus(step.expected());
        high = high.plus(step.high());
        if (reviewStep != null) {
          waves.get(wave[i]).add(reviewStep);
          low = low.plus(reviewStep.low());
          expected = expected.plus(reviewStep.expected());
          high = high.plus(reviewStep.high());
        }
      }
      LocalDate today = LocalDate.ofInstant(ctx.now(), budgets.zone());
      List<Account> keys = new ArrayList<>();
      keys.add(new Account(BudgetScope.global(), null));
      keys.add(new Account(BudgetScope.project(project), null));
      for (String p : byProvider.keySet()) {
        keys.add(new Account(BudgetScope.provider(p), null));
        keys.add(new Account(BudgetScope.providerDaily(p), today));
      }
      List<BudgetLine> lines = new ArrayList<>();
      for (Account k : keys) {
        Budget b = budgets.limit(k.scope());
        if (b == null) {
          continue;
        }
        Balance balance = budgets.balance(k);
        BigDecimal spent = balance.spent();
        BigDecimal reserved = balance.reserved();
        Money wanted = switch (k.scope().kind()) {
          case PROVIDER, PROVIDER_DAILY -> byProvider.get(k.scope().name());
          default -> expected;
        };
        lines.add(BudgetLine.builder().scope(k.scope()).day(k.day()).spent(Money.usd(spent))
            .reserved(Money.usd(reserved)).limit(b.limit()).paused(budgets.stopsWork(k)).build());
        if (spent.add(reserved).add(wanted.amount()).compareTo(b.limit().amount()) > 0) {
          problems.add("the expected cost " + wanted + " would break the budget " + k.scope() + " (" + Money.usd(spent)
              + " spent and " + Money.usd(reserved) + " reserved of " + b.limit() + "): raise it or trim the work");
        }
      }
      warnAboutProviders(byProvider.keySet(), notes);
      return Plan.builder().workflow(workflow.name()).project(project).waves(waves).low(low).expected(expected)
          .high(high).duration(longest).budgets(lines).problems(problems).notes(notes).build();
    });
  }

  /**
   * Notes of what would hold the plan's providers back, as every process sees it in the store: an open or half-open
   * circuit, a pause.
   */
  private void warnAboutProviders(java.util.Set<String> used, List<String> notes) {
    for (String name : used) {
      CircuitState c = resilience.circuit(name);
      if (c.paused()) {
        notes.add("provider " + name + " is paused (" + c.pauseReason() + "): its tasks wait until it is resumed");
      }
      if (c.state() == CircuitState.State.OPEN) {
        notes.add("provider " + name + "'s circuit is open until " + c.probeAt() + " after repeated failures: its "
            + "tasks go to another of their providers or wait until it answers again (orchestrator providers shows "
            + "its health)");
      } else if (c.state() == CircuitState.State.HALF_OPEN) {
        notes.add("provider " + name + "'s circuit is half-open after failures: its next call tests it");
      }
    }
  }

  /**
   * A call whose cost cannot be bounded: a problem when a limit applies to it (the engine would not make it), a note
   * otherwise (it runs, and its cost is recorded as the reply says, $0 for an unpriced model).
   */
  private void unknown(String project, TaskSpec spec, Slot slot, CostEstimate e, List<String> problems,
      List<String> notes) {
    if (e.isKnown()) {
      return;
    }
    String limit = budgets.limitOn(List.of(BudgetScope.global(), BudgetScope.project(project),
        BudgetScope.provider(slot.name), BudgetScope.providerDaily(slot.name)),
        spec.maxCost() == null ? null : spec.maxCost().amount());
    if (limit != null) {
      problems.add("task '" + spec.id() + "' would fail: " + Budgets.unbounded(slot.name, e.unknown(), limit));
    } else {
      notes.add("task '" + spec.id() + "' on provider " + slot.name + " is unpriced (" + e.unknown()
          + "): its costs will be recorded as the provider reports them, $0 when it reports none");
    }
  }
}
